package org.confbridge.media.net;

import com.sun.jna.LastErrorException;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A Linux io_uring of one thread: operations are written into the submission queue and handed to
 * the kernel together by one {@code io_uring_enter}, so a tick's sends (or reads) on many sockets
 * cost one system call instead of one each. No kernel polling thread. The ring's memory is the
 * kernel's, mapped; nothing is allocated per operation. Not thread-safe.
 * <p>
 * Shared indices, as liburing: we publish the submission tail with a release store after the
 * entry it covers is written, and read the kernel's submission head with an acquire load; the
 * kernel publishes the completion tail (acquire load here, so a completion is never read before
 * its contents, even when io-wq or task work posted it on another CPU of a weakly ordered machine)
 * and we publish the completion head with a release store once the entries are read.
 * <p>
 * {@link #submitAndWait} retries what the kernel answers as transient (EINTR, EAGAIN, EBUSY,
 * ENOMEM), resubmits what a short submit left, and waits a bounded time for completions: a ring
 * that cannot finish throws, after reporting every operation the kernel never took as
 * {@link #NOT_SUBMITTED}, so the caller can do it another way.
 * <p>
 * One file past 450 lines: the mapped queues, their shared indices, the probe and the file table
 * are one kernel object, set up by one call and torn down by one close.
 */
public final class IoUring implements AutoCloseable {
    /** What happened to one operation: its {@code userData} and the kernel's result (negative errno). */
    public interface Completion {
        void completed(long userData, int result);
    }

    /** The result reported for an operation the kernel never took (ECANCELED). */
    public static final int NOT_SUBMITTED = -125;

    // System calls and layouts from <linux/io_uring.h>; the numbers are the same on every architecture.
    private static final int PARAMS_SIZE = 120;
    private static final int SQE_SIZE = 64;
    private static final int CQE_SIZE = 16;
    private static final long OFF_SQ_RING = 0L;
    private static final long OFF_CQ_RING = 0x8000000L;
    private static final long OFF_SQES = 0x10000000L;
    private static final int FEAT_SINGLE_MMAP = 1;
    private static final int FEAT_EXT_ARG = 1 << 8;
    private static final int ENTER_GETEVENTS = 1;
    private static final int ENTER_EXT_ARG = 1 << 3;
    private static final int REGISTER_FILES = 2;
    private static final int REGISTER_FILES_UPDATE = 6;
    private static final int REGISTER_PROBE = 8;
    /** The operation's descriptor is a slot of the ring's file table (IOSQE_FIXED_FILE). */
    private static final byte SQE_FIXED_FILE = 1;
    private static final int PROBE_OPS = 256;
    private static final int PROBE_SIZE = 16 + 8 * PROBE_OPS;
    private static final int OP_SUPPORTED = 1;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ENOMEM = 12;
    private static final int EBUSY = 16;
    private static final int ETIME = 62;
    static final byte OP_NOP = 0;
    static final byte OP_SEND = 26;
    static final byte OP_RECV = 27;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int PROT_READ_WRITE = 0x3;
    private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;
    /** Transient refusals and empty submits in a row before the ring gives up. */
    private static final int MAX_ATTEMPTS = 16;
    /** The longest a submission waits for its completions: a loop never blocks on its ring. */
    private static final long WAIT_NANOS = 2_000_000L;

    private final RingKernel kernel;
    private final int fd;
    private final int entries;
    private final long sqRing;
    private final long sqRingSize;
    private final long cqRing;
    private final long cqRingSize;
    private final long sqes;
    private final long sqHead;
    private final long sqTail;
    private final int sqMask;
    private final long sqArray;
    private final long cqHead;
    private final long cqTail;
    private final int cqMask;
    private final long cqes;
    private final boolean extArg;
    /** The wait's argument for {@code io_uring_enter} (EXT_ARG), its timespec behind it. */
    private final long waitArg;
    /** A {@code struct io_uring_files_update} and the descriptor it points to. */
    private final long filesUpdate;
    private final Object filesLock = new Object();
    /** Slots in the ring's file table: 0 until {@link #registerFiles}. */
    private int files;
    private final byte opSend;
    /** Our copy of the submission tail (we are its only writer). */
    private int tail;
    /** Operations the kernel has taken and not yet completed. */
    private int inFlight;
    /** Transient refusals retried and short submits resubmitted, for the meters. */
    private long retries;
    private volatile boolean closed;

    /** The kernel will not make a ring here: no io_uring, a container's profile forbids it, or an opcode is missing. */
    public static final class Refused extends IOException {
        Refused(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** As {@link #open(int, Kernel)} on the running kernel. */
    public static IoUring open(int entries) throws IOException {
        return open(entries, RingKernel.LINUX);
    }

    /**
     * A ring of {@code entries} operations (a power of two), once the kernel has said it knows
     * every opcode used ({@code IORING_REGISTER_PROBE}) and done a no-op through it.
     *
     * @throws Refused     where the kernel refuses (no io_uring, {@code kernel.io_uring_disabled}, a
     *                     seccomp profile, a kernel before 5.6 without send and recv), with its reason
     * @throws IOException where it made a ring that then failed
     */
    public static IoUring open(int entries, RingKernel kernel) throws IOException {
        if (!PlatformDependent.hasUnsafe()) {
            throw new Refused("no direct memory access", null);
        }
        long params = PlatformDependent.allocateMemory(PARAMS_SIZE);
        try {
            PlatformDependent.setMemory(params, PARAMS_SIZE, (byte) 0);
            int fd;
            try {
                fd = (int) kernel.setup(entries, params);
            } catch (LastErrorException e) {
                throw new Refused(reason(e.getErrorCode()), e);
            } catch (LinkageError e) {
                throw new Refused("no io_uring_setup on this system (" + e.getMessage() + ")", e);
            }
            IoUring ring = new IoUring(kernel, fd, params);
            try {
                ring.probeOpcodes();
                ring.probeNop();
            } catch (IOException | RuntimeException e) {
                ring.close();
                throw e;
            }
            return ring;
        } finally {
            PlatformDependent.freeMemory(params);
        }
    }

    private static String reason(int errno) {
        return switch (errno) {
            case 1 -> "not permitted (kernel.io_uring_disabled, or the container's seccomp profile)";
            case 38 -> "the kernel has no io_uring";
            case 12 -> "out of memory for the ring (RLIMIT_MEMLOCK?)";
            default -> "errno " + errno;
        };
    }

    private IoUring(RingKernel kernel, int fd, long params) throws IOException {
        this.kernel = kernel;
        this.fd = fd;
        this.opSend = kernel.opSend();
        int sqEntries = PlatformDependent.getInt(params);
        int cqEntries = PlatformDependent.getInt(params + 4);
        int features = PlatformDependent.getInt(params + 20);
        long sqOff = params + 40;
        long cqOff = params + 80;
        this.entries = sqEntries;
        long sqSize = PlatformDependent.getInt(sqOff + 24) + 4L * sqEntries;
        long cqSize = PlatformDependent.getInt(cqOff + 20) + (long) CQE_SIZE * cqEntries;
        boolean single = (features & FEAT_SINGLE_MMAP) != 0;
        try {
            if (single) {
                sqSize = cqSize = Math.max(sqSize, cqSize);
            }
            this.sqRingSize = sqSize;
            this.cqRingSize = single ? 0 : cqSize;
            this.sqRing = LinuxCalls.mmap(0, sqSize, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, OFF_SQ_RING);
            this.cqRing = single ? sqRing : LinuxCalls.mmap(0, cqSize, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, OFF_CQ_RING);
            this.sqes = LinuxCalls.mmap(0, (long) SQE_SIZE * sqEntries, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, OFF_SQES);
        } catch (LastErrorException e) {
            LinuxCalls.close(fd);
            throw new IOException("mapping the ring: errno " + e.getErrorCode(), e);
        }
        this.sqHead = sqRing + PlatformDependent.getInt(sqOff);
        this.sqTail = sqRing + PlatformDependent.getInt(sqOff + 4);
        this.sqMask = PlatformDependent.getInt(sqRing + PlatformDependent.getInt(sqOff + 8));
        this.sqArray = sqRing + PlatformDependent.getInt(sqOff + 24);
        this.cqHead = cqRing + PlatformDependent.getInt(cqOff);
        this.cqTail = cqRing + PlatformDependent.getInt(cqOff + 4);
        this.cqMask = PlatformDependent.getInt(cqRing + PlatformDependent.getInt(cqOff + 8));
        this.cqes = cqRing + PlatformDependent.getInt(cqOff + 20);
        this.tail = PlatformDependent.getInt(sqTail);
        this.extArg = (features & FEAT_EXT_ARG) != 0;
        // struct io_uring_getevents_arg (24 bytes), then the timespec it points to.
        this.waitArg = PlatformDependent.allocateMemory(24 + 16);
        PlatformDependent.setMemory(waitArg, 40, (byte) 0);
        PlatformDependent.putLong(waitArg + 16, waitArg + 24);
        PlatformDependent.putLong(waitArg + 32, WAIT_NANOS);
        this.filesUpdate = PlatformDependent.allocateMemory(16 + 8);
        PlatformDependent.setMemory(filesUpdate, 24, (byte) 0);
        PlatformDependent.putLong(filesUpdate + 8, filesUpdate + 16);
    }

    /**
     * Gives the ring a file table of {@code size} empty slots (IORING_REGISTER_FILES, sparse): an
     * operation on a socket in it skips the kernel's look-up of the descriptor and its reference
     * count ({@code fget}/{@code fput}). False where the kernel refuses (the descriptor limit is
     * lower, or memory): operations then name descriptors.
     */
    public boolean registerFiles(int size) {
        long table = PlatformDependent.allocateMemory(4L * size);
        try {
            for (int i = 0; i < size; i++) {
                PlatformDependent.putInt(table + 4L * i, -1);
            }
            kernel.register(fd, REGISTER_FILES, table, size);
            files = size;
            return true;
        } catch (LastErrorException e) {
            return false;
        } finally {
            PlatformDependent.freeMemory(table);
        }
    }

    /** Slots in the file table (0: none). */
    public int files() {
        return files;
    }

    /**
     * Puts descriptor {@code socketFd} in slot {@code slot} of the file table, or empties the slot
     * with -1. A socket in the table stays open while it is there, whoever closes its descriptor:
     * empty its slot first. Any thread (the kernel serialises it with the ring's submissions).
     *
     * @throws IOException where the kernel refuses, with the errno
     */
    public void updateFile(int slot, int socketFd) throws IOException {
        Objects.checkIndex(slot, files);
        synchronized (filesLock) { // its scratch memory is shared; joins and leaves only, never a packet
            if (closed) {
                return; // the table went with the ring
            }
            PlatformDependent.putInt(filesUpdate, slot);
            PlatformDependent.putInt(filesUpdate + 16, socketFd);
            try {
                kernel.register(fd, REGISTER_FILES_UPDATE, filesUpdate, 1);
            } catch (LastErrorException e) {
                throw new IOException("io_uring file table, slot " + slot + ": errno " + e.getErrorCode(), e);
            }
        }
    }

    /** Asks the kernel which opcodes it knows (5.6 and later): send, recv and nop must be among them. */
    private void probeOpcodes() throws IOException {
        long probe = PlatformDependent.allocateMemory(PROBE_SIZE);
        try {
            PlatformDependent.setMemory(probe, PROBE_SIZE, (byte) 0);
            try {
                kernel.register(fd, REGISTER_PROBE, probe, PROBE_OPS);
            } catch (LastErrorException e) {
                throw new Refused("the kernel cannot list its io_uring opcodes (errno " + e.getErrorCode()
                        + "; before 5.6 it has no send and recv either)", e);
            }
            int known = PlatformDependent.getByte(probe + 1) & 0xFF;
            for (byte op : new byte[] {OP_NOP, opSend, OP_RECV}) {
                int at = op & 0xFF;
                boolean supported = at < known
                        && (PlatformDependent.getShort(probe + 16 + 8L * at + 2) & OP_SUPPORTED) != 0;
                if (!supported) {
                    throw new Refused("the kernel's io_uring has no opcode " + at + " ("
                            + (op == OP_NOP ? "nop" : op == OP_RECV ? "recv" : "send") + ")", null);
                }
            }
        } finally {
            PlatformDependent.freeMemory(probe);
        }
    }

    /** One operation that does nothing, through the kernel: a profile that allows the set-up but not the rest fails here. */
    private void probeNop() throws IOException {
        prepare(OP_NOP, -1, false, 0, 0, 0);
        int[] result = {Integer.MIN_VALUE};
        submitAndWait((userData, res) -> result[0] = res);
        if (result[0] != 0) {
            throw new IOException("a no-op failed: " + result[0]);
        }
    }

    /** Whether the submission queue has no room left: {@link #submitAndWait} first. */
    public boolean full() {
        return pending() + inFlight >= entries;
    }

    /** Operations written and not yet taken by the kernel. */
    public int pending() {
        return tail - loadAcquire(sqHead);
    }

    /** Operations the kernel has taken and not completed (after a wait that ran out of time). */
    public int inFlight() {
        return inFlight;
    }

    /** Transient refusals retried and short submits resubmitted so far. */
    public long retries() {
        return retries;
    }

    /**
     * Writes a {@code send} of {@code len} bytes at {@code address} on the connected socket
     * {@code socket}: a descriptor, or with {@code fixedFile} a slot of the file table (see
     * {@link #registerFiles}). Not waiting for room in the socket (a full socket is an answer:
     * EAGAIN). The memory must stay as it is until the operation has completed.
     */
    public void send(int socket, boolean fixedFile, long address, int len, long userData) {
        prepare(opSend, socket, fixedFile, address, len, userData);
    }

    /**
     * Writes a {@code recv} of at most {@code len} bytes from {@code socket} (a descriptor, or a
     * slot of the file table) into {@code address}, answered at once: a datagram, or EAGAIN when
     * there is none (no waiting for one).
     */
    public void recv(int socket, boolean fixedFile, long address, int len, long userData) {
        prepare(OP_RECV, socket, fixedFile, address, len, userData);
    }

    private void prepare(byte op, int socketFd, boolean fixedFile, long address, int len, long userData) {
        if (full()) {
            throw new IllegalStateException("submission queue full");
        }
        int index = tail & sqMask;
        long sqe = sqes + (long) index * SQE_SIZE;
        for (int i = 0; i < SQE_SIZE; i += 8) {
            PlatformDependent.putLong(sqe + i, 0L); // cheaper than setMemory's call into the VM
        }
        PlatformDependent.putByte(sqe, op);
        if (fixedFile) {
            PlatformDependent.putByte(sqe + 1, SQE_FIXED_FILE);
        }
        PlatformDependent.putInt(sqe + 4, socketFd);
        PlatformDependent.putLong(sqe + 16, address);
        PlatformDependent.putInt(sqe + 24, len);
        if (op != OP_NOP) {
            PlatformDependent.putInt(sqe + 28, MSG_DONTWAIT); // a no-op takes no flags
        }
        PlatformDependent.putLong(sqe + 32, userData);
        PlatformDependent.putInt(sqArray + 4L * index, index);
        tail++;
        storeRelease(sqTail, tail); // publishes the entry written above
    }

    /**
     * Hands what was written to the kernel and reports each operation to {@code completion},
     * waiting at most a few milliseconds for the last of them. Returns how many were submitted.
     *
     * @throws IOException when the kernel keeps refusing, fails the call, or does not complete the
     *                     operations in time; what it never took has been reported as
     *                     {@link #NOT_SUBMITTED} and is no longer queued, what it took and did not
     *                     complete is {@link #inFlight}
     */
    public int submitAndWait(Completion completion) throws IOException {
        if (closed) {
            return 0;
        }
        int submitted = 0;
        int attempts = 0;
        while (pending() > 0) {
            int n = pending();
            try {
                long taken = kernel.enter(fd, n, 0, 0, 0, 0);
                submitted += (int) taken;
                inFlight += (int) taken;
                if (taken < n) {
                    retries++; // a short submit: the rest goes again
                    if (++attempts > MAX_ATTEMPTS) {
                        throw abandon(completion, "the kernel took " + taken + " of " + n + " operations, again and again");
                    }
                }
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (!transientErrno(errno) || ++attempts > MAX_ATTEMPTS) {
                    throw abandon(completion, "io_uring_enter: errno " + errno);
                }
                retries++;
            }
            reap(completion); // frees completion slots an EBUSY asked for
        }
        reap(completion);
        if (inFlight > 0) {
            awaitCompletions(completion);
        }
        return submitted;
    }

    private static boolean transientErrno(int errno) {
        return errno == EINTR || errno == EAGAIN || errno == EBUSY || errno == ENOMEM;
    }

    /** Waits for what the kernel took, at most {@link #WAIT_NANOS} in all. */
    private void awaitCompletions(Completion completion) throws IOException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (inFlight > 0) {
            try {
                if (extArg) {
                    kernel.enter(fd, 0, inFlight, ENTER_GETEVENTS | ENTER_EXT_ARG, waitArg, 24);
                } else {
                    kernel.enter(fd, 0, 0, ENTER_GETEVENTS, 0, 0); // runs pending task work, never waits
                    Thread.onSpinWait();
                }
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno != ETIME && !transientErrno(errno)) {
                    throw new IOException("io_uring_enter (waiting): errno " + errno, e);
                }
            }
            reap(completion);
            if (inFlight > 0 && System.nanoTime() > deadline) {
                throw new IOException(inFlight + " operation(s) not completed within "
                        + WAIT_NANOS / 1_000_000 + " ms");
            }
        }
    }

    /**
     * The kernel will not take what is queued: each such operation is reported as
     * {@link #NOT_SUBMITTED} and taken back out of the queue.
     */
    private IOException abandon(Completion completion, String why) {
        reap(completion);
        int head = loadAcquire(sqHead);
        for (int at = head; at != tail; at++) {
            int index = PlatformDependent.getInt(sqArray + 4L * (at & sqMask));
            completion.completed(PlatformDependent.getLong(sqes + (long) index * SQE_SIZE + 32), NOT_SUBMITTED);
        }
        tail = head;
        storeRelease(sqTail, tail);
        return new IOException(why);
    }

    /** Reports what has completed; returns how many. */
    public int reap(Completion completion) {
        int head = PlatformDependent.getInt(cqHead); // ours: only we move it
        int end = loadAcquire(cqTail);
        int count = end - head;
        for (; head != end; head++) {
            long cqe = cqes + (long) (head & cqMask) * CQE_SIZE;
            long userData = PlatformDependent.getLong(cqe);
            int result = PlatformDependent.getInt(cqe + 8);
            storeRelease(cqHead, head + 1); // the entry is read: the kernel may reuse it
            inFlight--;
            completion.completed(userData, result);
        }
        return count;
    }

    private static int loadAcquire(long address) {
        int value = PlatformDependent.getInt(address);
        VarHandle.acquireFence(); // no later load or store moves above this load
        return value;
    }

    private static void storeRelease(long address, int value) {
        VarHandle.releaseFence(); // no earlier load or store moves below this store
        PlatformDependent.putInt(address, value);
    }

    /**
     * Unmaps the ring and closes it. With operations still in flight the kernel cancels them as
     * the ring goes; their buffers are the caller's to keep until then (see {@link #inFlight}).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LinuxCalls.munmap(sqes, (long) SQE_SIZE * entries);
        if (cqRingSize > 0) {
            LinuxCalls.munmap(cqRing, cqRingSize);
        }
        LinuxCalls.munmap(sqRing, sqRingSize);
        PlatformDependent.freeMemory(waitArg);
        synchronized (filesLock) { // a socket closing on another thread finds the ring closed, not its number reused
            LinuxCalls.close(fd); // the file table goes with the ring, and the sockets' references with it
            PlatformDependent.freeMemory(filesUpdate);
        }
    }

    /**
     * Sends {@code len} bytes at {@code address} on the connected socket {@code socketFd} with a
     * system call of its own, not waiting: for operations a stopped ring hands back. Returns the
     * bytes sent, or throws with the errno.
     */
    public static long sendNow(int socketFd, long address, int len) {
        return LinuxCalls.send(socketFd, address, len, MSG_DONTWAIT);
    }
}
