package org.confbridge.media.net;

/** What sockets count: the media meters implement it. */
public interface SocketCounters {
    /** A socket call failed (ICMP unreachable and the like); the packet is lost, the leg goes on. */
    void socketError();

    /** A packet the socket (or the loop that sends on it) could not take now: dropped, never queued. */
    void sendDropped();

    /** A packet handed over between loops found the hand-over full. */
    void droppedOverrun();

    /** Packets another loop sent for a room. */
    void sent(int packets);
}
