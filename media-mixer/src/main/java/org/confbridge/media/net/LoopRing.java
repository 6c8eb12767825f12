package org.confbridge.media.net;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room loop's io_uring ({@link IoUring}): the RTP it sends over a wake-up, and each tick's
 * first read of every leg's socket, handed to the kernel in one system call each instead of one
 * per packet. On a host whose system calls are dear (page-table isolation in a virtual machine)
 * the call, not the kernel's UDP work, is most of what a packet costs.
 * <p>
 * Sends: each packet is copied into a slot of the ring's own memory, untouched until
 * {@link #flush}. The loop flushes at the end of every wake-up, and before a socket it has packets
 * for is closed, connected or disconnected (so no packet goes to a closed descriptor, one the
 * kernel has since given to another socket, or a new destination). A packet the socket cannot take
 * is dropped and counted, as with a direct send.
 * <p>
 * Reads: at each wake-up every room on the loop queues one read per socket
 * ({@link PolledSocket#queueRead}), the loop submits them together ({@link #submitReads}), and
 * each socket finds its datagram (or that there was none) in its slot when its room's tick reads
 * it; further reads in the same tick are the socket's own calls. The slots stay as they are until
 * the next submission.
 * <p>
 * Should the kernel fail the system call itself later (it allowed it at start), the ring stops
 * for good and the sockets go back to a system call per packet, with one warning. The loop only.
 */
public final class LoopRing implements IoUring.Completion, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoopRing.class);
    private static final int ENTRIES = 1024;
    /** Marks a read's completion (its user data is the read's index); a send's is 0. */
    private static final long READ = 1L << 32;
    /** The kernel's answer for a socket with nothing to read or no room to send (negative errno). */
    static final int EAGAIN = -11;
    private static final int ENOBUFS = -105;

    private final IoUring ring;
    private final SocketCounters counters;
    /** ENTRIES slots of {@link TickIo#MAX_PACKET} bytes each for sends, then as many for reads. */
    private final long sendSlots;
    private final long readSlots;
    private int sends;
    private int reads;
    private final PolledSocket[] readers = new PolledSocket[ENTRIES];
    /** The loop's thread, the only one that may touch the ring. */
    private final Thread owner;
    private boolean broken;
    /** Datagrams the ring's reads have brought, and the system calls made (for tests and the curious). */
    private long datagramsRead;
    private long submissions;

    /**
     * A ring for the loop whose thread calls this.
     *
     * @throws IOException where the kernel refuses io_uring, with its reason
     */
    public static LoopRing open(SocketCounters counters) throws IOException {
        return new LoopRing(IoUring.open(ENTRIES), counters);
    }

    private LoopRing(IoUring ring, SocketCounters counters) {
        this.ring = ring;
        this.counters = counters;
        this.owner = Thread.currentThread();
        this.sendSlots = PlatformDependent.allocateMemory(2L * ENTRIES * TickIo.MAX_PACKET);
        this.readSlots = sendSlots + (long) ENTRIES * TickIo.MAX_PACKET;
    }

    /** Whether the calling thread is the loop's: only it may queue or flush. */
    boolean owned() {
        return Thread.currentThread() == owner;
    }

    /**
     * Queues {@code buf[off..off+len)} for the connected socket {@code fd}, sent at the next
     * {@link #flush}. False when the ring has stopped: the caller sends it itself.
     */
    boolean send(int fd, byte[] buf, int off, int len) {
        long slot = sendSlot();
        if (slot == 0) {
            return false;
        }
        PlatformDependent.copyMemory(buf, off, slot, len);
        ring.send(fd, slot, len, 0);
        return true;
    }

    /** As {@link #send(int, byte[], int, int)}, the packet at native {@code address}. */
    boolean send(int fd, long address, int len) {
        long slot = sendSlot();
        if (slot == 0) {
            return false;
        }
        PlatformDependent.copyMemory(address, slot, len);
        ring.send(fd, slot, len, 0);
        return true;
    }

    /** The next free send slot (flushing first when none is left), or 0 when the ring has stopped. */
    private long sendSlot() {
        if (broken) {
            return 0;
        }
        if (sends == ENTRIES || ring.full()) {
            flush();
            if (broken) {
                return 0;
            }
        }
        return sendSlots + (long) sends++ * TickIo.MAX_PACKET;
    }

    /**
     * Queues a read of {@code socket}'s next datagram into a slot; false when none is left this
     * tick or the ring has stopped (the socket reads for itself).
     */
    boolean read(PolledSocket socket, int fd) {
        if (broken || reads == ENTRIES) {
            return false;
        }
        if (ring.full()) {
            flush();
            if (broken) {
                return false;
            }
        }
        long slot = readSlots + (long) reads * TickIo.MAX_PACKET;
        readers[reads] = socket;
        ring.recv(fd, slot, TickIo.MAX_PACKET, READ | reads);
        reads++;
        return true;
    }

    long datagramsRead() {
        return datagramsRead;
    }

    /** How many times the ring has gone to the kernel with something to do. */
    public long submissions() {
        return submissions;
    }

    /** Where read number {@code index} of this tick put its datagram. */
    long readSlot(int index) {
        return readSlots + (long) index * TickIo.MAX_PACKET;
    }

    /** The wake-up's reads are queued: one system call for all of them (and any sends queued). */
    public void submitReads() {
        flush();
        for (int i = 0; i < reads; i++) {
            readers[i] = null;
        }
        reads = 0;
    }

    /** Sends every queued packet (and does every queued read), with one system call. */
    public void flush() {
        if (ring.pending() == 0) {
            sends = 0;
            return;
        }
        submissions++;
        try {
            ring.submitAndWait(this);
        } catch (IOException e) {
            broken = true;
            counters.socketError(); // this flush's packets are lost
            log.warn("media: io_uring failed ({}); this loop goes back to a system call per packet", e.getMessage());
        }
        sends = 0;
    }

    @Override
    public void completed(long userData, int result) {
        if ((userData & READ) != 0) {
            int index = (int) userData;
            PolledSocket reader = readers[index];
            if (result > 0) {
                datagramsRead++;
            }
            if (reader != null) {
                reader.readDone(this, index, result);
            }
            return;
        }
        if (result >= 0) {
            return;
        }
        // EAGAIN, ENOBUFS: the socket could not take it now. Anything else (ICMP unreachable on a
        // connected socket, ...) is that socket's error; either way the packet is gone.
        if (result == EAGAIN || result == ENOBUFS) {
            counters.sendDropped();
        } else {
            counters.socketError();
        }
    }

    /** After what is queued has gone out; a tick that still comes finds the ring stopped, not freed memory. */
    @Override
    public void close() {
        flush();
        broken = true;
        ring.close();
        PlatformDependent.freeMemory(sendSlots);
    }
}
