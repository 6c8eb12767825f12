package org.confbridge.media.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The RTP packets one tick of a room made for legs whose sockets live on another event loop. The
 * room's loop assembles them here and posts the batch once; that loop then sends them, so a large
 * room's system calls are shared among the loops. A room keeps two per loop and fills the one not
 * in flight; only a batch still unsent after two ticks makes the room drop packets (counted).
 */
final class SendBatch implements Runnable {
    private final EventLoop loop;
    private final SocketCounters counters;
    private ByteBuf buffer = Unpooled.directBuffer(32 * 1024);
    private PolledSocket[] sockets = new PolledSocket[64];
    private InetSocketAddress[] destinations = new InetSocketAddress[64];
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    private int count;
    private int used;
    /** Set by the room's loop when posting, cleared by the sending loop when done. */
    private volatile boolean inFlight;

    SendBatch(EventLoop loop, SocketCounters counters) {
        this.loop = loop;
        this.counters = counters;
    }

    boolean inFlight() {
        return inFlight;
    }

    /**
     * Room's loop: room for a packet of {@code len} bytes for {@code socket}. Returns the offset to
     * write it at in {@link #buffer()}; grows (allocating) only while a room grows.
     */
    int reserve(PolledSocket socket, InetSocketAddress to, int len) {
        if (count == sockets.length) {
            sockets = Arrays.copyOf(sockets, count * 2);
            destinations = Arrays.copyOf(destinations, count * 2);
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        if (used + len > buffer.capacity()) {
            ByteBuf bigger = Unpooled.directBuffer(Math.max(2 * buffer.capacity(), used + len));
            bigger.setBytes(0, buffer, 0, used);
            buffer.release();
            buffer = bigger;
        }
        int at = used;
        sockets[count] = socket;
        destinations[count] = to;
        offsets[count] = at;
        lengths[count] = len;
        count++;
        used += len;
        return at;
    }

    ByteBuf buffer() {
        return buffer;
    }

    /** Room's loop: hands the filled batch to its loop; an empty one stays home. */
    void post() {
        if (count > 0) {
            inFlight = true;
            loop.execute(this);
        }
    }

    /** The sending loop: every packet goes out through its socket (through the loop's ring, where it has one). */
    @Override
    public void run() {
        long base = buffer.memoryAddress();
        int sent = 0;
        PolledSocket first = count > 0 ? sockets[0] : null;
        for (int i = 0; i < count; i++) {
            if (sockets[i].sendPrepared(base + offsets[i], lengths[i], destinations[i])) {
                sent++;
            }
            sockets[i] = null;
            destinations[i] = null;
        }
        if (first != null) {
            first.sendQueued(); // the loop's ring, where it has one: the whole batch in one system call
        }
        counters.sent(sent);
        count = 0;
        used = 0;
        inFlight = false;
    }

    /** Frees the buffer after anything already posted has been sent (tasks run in order). */
    void release() {
        LoopTasks.runOn(loop, buffer::release);
    }
}
