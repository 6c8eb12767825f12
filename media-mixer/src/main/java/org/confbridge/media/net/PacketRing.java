package org.confbridge.media.net;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;

/**
 * Datagrams handed from the event loop that reads a leg's socket to the loop that mixes its room:
 * a single-producer, single-consumer ring of fixed slots, without locks and without allocation.
 * A full ring refuses the new packet; the mixer is then far behind, and older audio would not be
 * better than newer.
 */
final class PacketRing {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(PacketRing.class, "head", long.class);
            TAIL = lookup.findVarHandle(PacketRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final byte[] data;
    private final int slotSize;
    private final int mask;
    private final int[] lengths;
    private final long[] arrivals;
    private final InetSocketAddress[] senders;
    /** Next slot to read; written by the consumer only. */
    @SuppressWarnings("unused")
    private volatile long head;
    /** Next slot to write; written by the producer only. */
    @SuppressWarnings("unused")
    private volatile long tail;

    /** {@code slots} must be a power of two; a longer datagram is cut to {@code slotSize}. */
    PacketRing(int slots, int slotSize) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.slotSize = slotSize;
        this.mask = slots - 1;
        this.data = new byte[slots * slotSize];
        this.lengths = new int[slots];
        this.arrivals = new long[slots];
        this.senders = new InetSocketAddress[slots];
    }

    /** Producer: copies the readable bytes of {@code content}; false when the ring is full. */
    boolean offer(ByteBuf content, InetSocketAddress sender, long arrivalNanos) {
        long t = (long) TAIL.getOpaque(this);
        if (t - (long) HEAD.getAcquire(this) > mask) {
            return false;
        }
        int i = (int) t & mask;
        int len = Math.min(content.readableBytes(), slotSize);
        content.getBytes(content.readerIndex(), data, i * slotSize, len);
        lengths[i] = len;
        arrivals[i] = arrivalNanos;
        senders[i] = sender;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Consumer: hands every packet offered so far to {@code sink} (all of them: a channel was read already); returns how many. */
    int drain(LegSocket.Receiver sink) {
        long h = (long) HEAD.getOpaque(this);
        long t = (long) TAIL.getAcquire(this);
        if (h == t) {
            return 0;
        }
        for (long k = h; k < t; k++) {
            int i = (int) k & mask;
            sink.receive(data, i * slotSize, lengths[i], senders[i], arrivals[i]);
        }
        HEAD.setRelease(this, t);
        return (int) (t - h);
    }
}
