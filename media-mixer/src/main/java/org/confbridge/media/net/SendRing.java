package org.confbridge.media.net;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;

/**
 * One room loop's outgoing RTP gathered over its wake-up and handed to the kernel in one system
 * call (an {@link IoUring}), instead of one {@code send} per packet. On a host whose system calls
 * are dear (page-table isolation in a virtual machine) the call, not the kernel's UDP work, is most
 * of what a packet costs. Each packet is copied into a slot of the ring's own memory, which stays
 * untouched until {@link #flush}. The loop flushes at the end of every wake-up, and before a socket
 * it has packets for is closed, connected or disconnected (so no packet goes to a closed
 * descriptor, or one the kernel has since given to another socket, or to a new destination).
 * A packet the socket cannot take is dropped and counted, as with a direct send. The loop only.
 */
public final class SendRing implements IoUring.Completion, AutoCloseable {
    private static final int ENTRIES = 1024;

    private final IoUring ring;
    private final SocketCounters counters;
    /** ENTRIES slots of {@link TickIo#MAX_PACKET} bytes. */
    private final long slots;
    /** The loop's thread, the only one that may touch the ring. */
    private final Thread owner;

    /**
     * A ring for the loop whose thread calls this.
     *
     * @throws IOException where the kernel refuses io_uring, with its reason
     */
    public static SendRing open(SocketCounters counters) throws IOException {
        return new SendRing(IoUring.open(ENTRIES), counters);
    }

    private SendRing(IoUring ring, SocketCounters counters) {
        this.ring = ring;
        this.counters = counters;
        this.owner = Thread.currentThread();
        this.slots = PlatformDependent.allocateMemory((long) ENTRIES * TickIo.MAX_PACKET);
    }

    /** Queues {@code buf[off..off+len)} for the connected socket {@code fd}; sent at the next {@link #flush}. */
    void send(int fd, byte[] buf, int off, int len) {
        if (ring.full()) {
            flush();
        }
        long slot = slots + (long) ring.pending() * TickIo.MAX_PACKET;
        PlatformDependent.copyMemory(buf, off, slot, len);
        ring.send(fd, slot, len, 0);
    }

    /** Whether the calling thread is the loop's: only it may queue or flush. */
    boolean owned() {
        return Thread.currentThread() == owner;
    }

    /** Sends every queued packet, with one system call, and counts those the sockets refused. */
    public void flush() {
        try {
            ring.submitAndWait(this);
        } catch (IOException e) {
            counters.socketError(); // the system call itself failed: this flush's packets are lost
        }
    }

    @Override
    public void completed(long userData, int result) {
        if (result >= 0) {
            return;
        }
        // EAGAIN, ENOBUFS: the socket could not take it now. Anything else (ICMP unreachable on a
        // connected socket, ...) is that socket's error; either way the packet is gone.
        if (result == -11 || result == -105) {
            counters.sendDropped();
        } else {
            counters.socketError();
        }
    }

    @Override
    public void close() {
        flush();
        ring.close();
        PlatformDependent.freeMemory(slots);
    }
}
