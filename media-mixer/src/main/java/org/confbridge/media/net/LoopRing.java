package org.confbridge.media.net;

import com.sun.jna.LastErrorException;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.util.Objects;
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
 * Reads: a wake-up ({@link #beginWakeUp} to {@link #endWakeUp}) gives every room on the loop one
 * read per socket ({@link PolledSocket#queueRead}), submitted together ({@link #submitReads}); each
 * socket finds its datagram (or that there was none) in its slot when its room's tick reads it.
 * A slot is never given twice in one wake-up, so a room that queues late cannot overwrite what
 * another room has yet to read.
 * <p>
 * Sockets are named by their slot in the ring's file table (registered files), put there on their
 * first operation and taken out before they close ({@link #forget}): the kernel then skips the
 * descriptor's look-up and reference count on every operation.
 * <p>
 * Should the kernel refuse an operation (a kernel that lied about its opcodes) or fail the ring
 * beyond its retries, the ring stops for good with one warning: what it had not done is done the
 * per-packet way (sends sent with a system call each, reads left to the socket), and the sockets go
 * back to a system call per packet. The loop only.
 */
public final class LoopRing implements IoUring.Completion, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoopRing.class);
    private static final int ENTRIES = 1024;
    /**
     * File table sizes tried, largest first (a kernel before 5.15 takes at most 32768, and none
     * takes more than the process's descriptor limit). A descriptor is its own slot.
     */
    private static final int[] FILE_TABLES = {32768, 4096, 1024};
    /** Marks a read's completion (its user data is the read's index); a send's is its slot's index. */
    private static final long READ = 1L << 32;
    /** The kernel's answer for a socket with nothing to read or no room to send (negative errno). */
    static final int EAGAIN = -11;
    private static final int EINVAL = -22;
    private static final int EOPNOTSUPP = -95;
    private static final int ENOBUFS = -105;

    private final IoUring ring;
    private final SocketCounters counters;
    /** ENTRIES slots of {@link TickIo#MAX_PACKET} bytes each for sends, then as many for reads. */
    private final long sendSlots;
    private final long readSlots;
    /** Per send slot, the socket and length: what a stopped ring needs to send it another way. */
    private final int[] sendFds = new int[ENTRIES];
    private final int[] sendLengths = new int[ENTRIES];
    private int sends;
    private int reads;
    private final PolledSocket[] readers = new PolledSocket[ENTRIES];
    /**
     * Descriptors in the ring's file table, by descriptor: their operations name the slot, which
     * saves the kernel a look-up and a reference count per operation. Null: no table.
     */
    private final boolean[] inTable;
    /** The loop's thread, the only one that may touch the ring. */
    private final Thread owner;
    private boolean broken;
    private boolean wakingUp;
    /** Why the kernel refused an operation in the last flush: the ring stops after it. */
    private String refused;
    private long retriesCounted;
    /** Datagrams the ring's reads have brought, and the system calls made (for tests and the curious). */
    private long datagramsRead;
    private long submissions;

    /**
     * A ring for the loop whose thread calls this.
     *
     * @throws IOException where the kernel refuses io_uring, with its reason
     */
    public static LoopRing open(SocketCounters counters) throws IOException {
        return open(counters, RingKernel.LINUX);
    }

    /** As {@link #open(SocketCounters)}, through {@code kernel} (tests inject faults). */
    public static LoopRing open(SocketCounters counters, RingKernel kernel) throws IOException {
        return new LoopRing(IoUring.open(ENTRIES, kernel), counters);
    }

    private LoopRing(IoUring ring, SocketCounters counters) {
        this.ring = ring;
        this.counters = counters;
        this.owner = Thread.currentThread();
        this.sendSlots = PlatformDependent.allocateMemory(2L * ENTRIES * TickIo.MAX_PACKET);
        this.readSlots = sendSlots + (long) ENTRIES * TickIo.MAX_PACKET;
        boolean[] table = null;
        for (int size : FILE_TABLES) {
            if (ring.registerFiles(size)) {
                table = new boolean[size];
                break;
            }
        }
        this.inTable = table;
    }

    /** Whether the ring names sockets by their slot in its file table (else by descriptor). */
    public boolean fileTable() {
        return inTable != null;
    }

    /**
     * The slot of {@code fd} in the file table, put there on its first operation; -1 where it
     * cannot be (no table, a descriptor beyond it, the kernel refused): the operation names the
     * descriptor. Whoever closes the socket calls {@link #forget} first.
     */
    private int slotOf(int fd) {
        if (inTable == null || fd < 0 || fd >= inTable.length) {
            return -1;
        }
        if (!inTable[fd]) {
            try {
                ring.updateFile(fd, fd);
            } catch (IOException e) {
                return -1;
            }
            inTable[fd] = true;
        }
        return fd;
    }

    /**
     * The socket {@code fd} is about to be closed: what is queued for it goes out, and the file
     * table lets it go. Without this the table would keep the socket, and its port, open after its
     * descriptor is closed, and a new socket given the same number would be reached through the
     * old one's slot.
     */
    void forget(int fd) {
        if (inTable == null || fd < 0 || fd >= inTable.length || !inTable[fd]) {
            return;
        }
        if (owned()) {
            flush();
        }
        inTable[fd] = false;
        try {
            ring.updateFile(fd, -1);
        } catch (IOException e) {
            log.warn("media: the io_uring file table kept a closed socket ({}); its port stays taken until the loop ends",
                    e.getMessage());
        }
    }

    /** Whether the calling thread is the loop's: only it may queue or flush. */
    boolean owned() {
        return Thread.currentThread() == owner;
    }

    /** Whether the ring has stopped: the sockets make their own system calls. */
    public boolean stopped() {
        return broken;
    }

    /**
     * Queues {@code buf[off..off+len)} for the connected socket {@code fd}, sent at the next
     * {@link #flush}. False when the ring has stopped: the caller sends it itself.
     *
     * @throws IndexOutOfBoundsException where the range is not in {@code buf} or longer than a slot
     */
    boolean send(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        Objects.checkIndex(len, TickIo.MAX_PACKET + 1);
        long slot = sendSlot(fd, len);
        if (slot == 0) {
            return false;
        }
        PlatformDependent.copyMemory(buf, off, slot, len);
        queueSend(fd, slot, len);
        return true;
    }

    /** As {@link #send(int, byte[], int, int)}, the packet at native {@code address}. */
    boolean send(int fd, long address, int len) {
        Objects.checkIndex(len, TickIo.MAX_PACKET + 1);
        long slot = sendSlot(fd, len);
        if (slot == 0) {
            return false;
        }
        PlatformDependent.copyMemory(address, slot, len);
        queueSend(fd, slot, len);
        return true;
    }

    private void queueSend(int fd, long slot, int len) {
        int file = slotOf(fd);
        ring.send(file >= 0 ? file : fd, file >= 0, slot, len, sends - 1);
    }

    /** The next free send slot (flushing first when none is left), or 0 when the ring has stopped. */
    private long sendSlot(int fd, int len) {
        if (broken) {
            return 0;
        }
        if (sends == ENTRIES || ring.full()) {
            flush();
            if (broken) {
                return 0;
            }
        }
        sendFds[sends] = fd;
        sendLengths[sends] = len;
        return sendSlots + (long) sends++ * TickIo.MAX_PACKET;
    }

    /** A wake-up begins: its reads get slots from the first on. */
    public void beginWakeUp() {
        for (int i = 0; i < reads; i++) {
            readers[i] = null;
        }
        reads = 0;
        wakingUp = true;
    }

    /** Whether a wake-up is under way (between {@link #beginWakeUp} and {@link #endWakeUp}). */
    public boolean wakingUp() {
        return wakingUp;
    }

    /** The wake-up is over: every packet it made goes out. */
    public void endWakeUp() {
        wakingUp = false;
        flush();
    }

    /**
     * Queues a read of {@code socket}'s next datagram into a slot; false when none is left this
     * wake-up or the ring has stopped (the socket reads for itself).
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
        int file = slotOf(fd);
        ring.recv(file >= 0 ? file : fd, file >= 0, slot, TickIo.MAX_PACKET, READ | reads);
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

    /** Where read number {@code index} of this wake-up put its datagram. */
    long readSlot(int index) {
        return readSlots + (long) index * TickIo.MAX_PACKET;
    }

    /** The reads queued so far this wake-up: one system call for all of them (and any sends queued). */
    public void submitReads() {
        flush();
    }

    /** Sends every queued packet (and does every queued read), with one system call. */
    public void flush() {
        if (broken || ring.pending() == 0) {
            sends = broken ? sends : 0;
            return;
        }
        submissions++;
        String failed = null;
        try {
            ring.submitAndWait(this);
        } catch (IOException e) {
            failed = e.getMessage();
        }
        long retries = ring.retries();
        if (retries != retriesCounted) {
            counters.ringRetried(retries - retriesCounted);
            retriesCounted = retries;
        }
        if (failed != null || refused != null) {
            stop(failed != null ? failed : refused);
        } else {
            sends = 0;
        }
    }

    private void stop(String why) {
        broken = true;
        counters.ringStopped();
        log.warn("media: io_uring stopped on this loop ({}); what it had not done went out the per-packet way, "
                + "and the loop makes a system call per packet from now on", why);
    }

    @Override
    public void completed(long userData, int result) {
        boolean notDone = result == IoUring.NOT_SUBMITTED || result == EINVAL || result == EOPNOTSUPP;
        if (notDone && result != IoUring.NOT_SUBMITTED && refused == null) {
            refused = "the kernel refused an operation: errno " + -result;
        }
        if ((userData & READ) != 0) {
            int index = (int) userData;
            PolledSocket reader = readers[index];
            if (notDone || broken) {
                return; // never read (or too late to matter): the socket reads for itself
            }
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
        if (notDone) {
            sendNow((int) userData);
        } else if (result == EAGAIN || result == ENOBUFS) {
            // The socket could not take it now: the packet is gone, as with a direct send.
            counters.sendDropped();
        } else {
            // ICMP unreachable on a connected socket and the like: that socket's error.
            counters.socketError();
        }
    }

    /** The packet in send slot {@code index}, which the ring did not send, with a system call of its own. */
    private void sendNow(int index) {
        counters.ringHandedBack();
        try {
            IoUring.sendNow(sendFds[index], sendSlots + (long) index * TickIo.MAX_PACKET, sendLengths[index]);
        } catch (LastErrorException e) {
            if (-e.getErrorCode() == EAGAIN || -e.getErrorCode() == ENOBUFS) {
                counters.sendDropped();
            } else {
                counters.socketError();
            }
        }
    }

    /**
     * After what is queued has gone out; a tick that still comes finds the ring stopped, not freed
     * memory. Slots the kernel may still write (an operation that never completed) are kept.
     */
    @Override
    public void close() {
        flush();
        broken = true;
        ring.reap(this);
        int unfinished = ring.inFlight();
        ring.close();
        if (unfinished == 0) {
            PlatformDependent.freeMemory(sendSlots);
        } else {
            log.warn("media: io_uring closed with {} operation(s) unfinished; their {} KB stay allocated",
                    unfinished, 2L * ENTRIES * TickIo.MAX_PACKET / 1024);
        }
    }
}
