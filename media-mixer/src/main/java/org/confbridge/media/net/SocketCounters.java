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

    /** A loop's io_uring retried a transient refusal or resubmitted what a short submit left. */
    default void ringRetried(long times) {
    }

    /** An operation a stopped (or refusing) io_uring did not do went out the per-packet way. */
    default void ringHandedBack() {
    }

    /** A loop's io_uring stopped for good; the loop makes a system call per packet from now on. */
    default void ringStopped() {
    }
}
