package org.confbridge.media.net;

import java.net.InetSocketAddress;

/**
 * One leg's RTP socket as the room's tick uses it: read what arrived since the last tick, send an
 * assembled packet, and hear only the caller's proven source once it has latched. Called on the
 * room's loop; an implementation that sends from another loop says so. Implementations: a socket
 * the tick polls itself ({@link PolledSocket}), a Netty channel ({@link ChannelSocket}), and an
 * in-memory one for tests and benchmarks.
 */
public interface LegSocket {
    /** What the tick does with each datagram read; answers how it arrived, which decides whether to read again. */
    interface Receiver {
        SocketReads.Arrival receive(byte[] buf, int off, int len, InetSocketAddress sender, long arrivalNanos);
    }

    /** The local RTP port. */
    int localPort();

    /** The tick is about to read every socket: queue this one's first read where reads are batched. */
    default void queueRead(TickIo io) {
    }

    /**
     * Hands the datagrams that arrived since the last tick to {@code receiver}, in order. A source
     * the socket is connected to is passed as the very address given to {@link #connect}.
     */
    void read(Receiver receiver, TickIo io);

    /**
     * Sends the packet {@code buf[off..off+len)} to {@code to} (or to the connected source).
     * Returns whether it went out now; a packet handed to another loop is counted there.
     */
    boolean send(byte[] buf, int off, int len, InetSocketAddress to, TickIo io);

    /** The tick has made all its packets. */
    default void flush() {
    }

    /** The caller's source has proven itself: from now on the kernel passes only its datagrams. */
    void connect(InetSocketAddress source);

    /** The caller's media moved: any source may be heard again, to be judged anew. */
    void disconnect();

    /**
     * The room that reads this socket is leaving {@code io}'s loop (the leg moves to a room on
     * another): what that loop holds of the socket for its reads is let go there, on that loop.
     */
    default void leaveLoop(TickIo io) {
    }

    /** Closes the socket; its port returns to the pool once it really is closed. */
    void close(TickIo io);
}
