package org.confbridge.media.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;

/**
 * The I/O buffers one room's tick shares among its legs' sockets: where a datagram is read and
 * where a packet is assembled for a system call, and the batches of packets for sockets that
 * another loop sends on. Lives on the room's loop; nothing here is allocated per packet.
 */
public final class TickIo {
    /** The largest datagram read or sent. */
    public static final int MAX_PACKET = 2048;

    private final int loopIndex;
    private final EventLoop[] loops;
    private final SocketCounters counters;
    /** The loop's io_uring, or null where each packet is its own system call. */
    private final LoopRing ring;
    /** Per engine loop: two batches of packets for that loop's sockets, used in turn (see {@link SendBatch}). */
    private final SendBatch[][] batches;
    /** Per engine loop: the batch this tick fills, chosen at its first packet. */
    private final SendBatch[] filling;
    /** Where a datagram is read from a polled socket, and its copy on the heap. */
    final ByteBuf receiveBuffer = Unpooled.directBuffer(MAX_PACKET);
    final byte[] receiveBytes = new byte[MAX_PACKET];
    /** Where an outgoing packet is put for a socket on this loop. */
    final ByteBuf sendBuffer = Unpooled.directBuffer(MAX_PACKET);
    /** When this tick began: the arrival time of what it reads. */
    private long tickNanos;

    /** {@code loops} are the engine's loops in a fixed order; the room lives on {@code loops[loopIndex]}. */
    public TickIo(int loopIndex, EventLoop[] loops, SocketCounters counters, LoopRing ring) {
        this.loopIndex = loopIndex;
        this.ring = ring;
        this.loops = loops;
        this.counters = counters;
        this.batches = new SendBatch[loops.length][];
        this.filling = new SendBatch[loops.length];
    }

    /** Whether sockets can be read and sent on by memory address (Netty's native transport with Unsafe). */
    public boolean direct() {
        return receiveBuffer.hasMemoryAddress() && sendBuffer.hasMemoryAddress();
    }

    /** A tick begins at {@code nanos}. */
    public void startTick(long nanos) {
        tickNanos = nanos;
    }

    /** When this tick began. */
    public long tickNanos() {
        return tickNanos;
    }

    /** The room's loop's io_uring, or null. */
    public LoopRing ring() {
        return ring;
    }

    /** The index of the loop the room lives on. */
    public int loopIndex() {
        return loopIndex;
    }

    EventLoop loop(int index) {
        return loops[index];
    }

    /**
     * The batch this tick fills for the sockets of loop {@code index}, or null when both of that
     * loop's batches are still unsent (it is two ticks behind).
     */
    SendBatch batchFor(int index) {
        SendBatch b = filling[index];
        if (b == null) {
            SendBatch[] pair = batches[index];
            if (pair == null) {
                pair = batches[index] = new SendBatch[] {new SendBatch(loops[index], counters),
                    new SendBatch(loops[index], counters)};
            }
            b = !pair[0].inFlight() ? pair[0] : !pair[1].inFlight() ? pair[1] : null;
            filling[index] = b;
        }
        return b;
    }

    /** End of the tick: every filled batch goes to its loop. */
    public void post() {
        for (int i = 0; i < filling.length; i++) {
            if (filling[i] != null) {
                filling[i].post();
                filling[i] = null;
            }
        }
    }

    /** The room has closed: buffers go back, a batch's after anything already posted has been sent. */
    public void release() {
        receiveBuffer.release();
        sendBuffer.release();
        for (SendBatch[] pair : batches) {
            if (pair != null) {
                pair[0].release();
                pair[1].release();
            }
        }
    }
}
