package org.confbridge.media.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;

/**
 * A Linux io_uring of one thread: operations are written into the submission queue and handed to
 * the kernel together by one {@code io_uring_enter}, which also waits for them all to complete,
 * so a tick's sends (or reads) on many sockets cost one system call instead of one each. No kernel
 * polling thread and no operation left in flight after {@link #submitAndWait}: the kernel touches
 * the rings only inside its system calls, on this thread, which is why plain memory accesses
 * suffice.
 * The ring's memory is the kernel's, mapped; nothing is allocated per operation. Not thread-safe.
 */
public final class IoUring implements AutoCloseable {
    /** What happened to one operation: its {@code userData} and the kernel's result (negative errno). */
    public interface Completion {
        void completed(long userData, int result);
    }

    // System calls and layouts from <linux/io_uring.h>; the numbers are the same on every architecture.
    private static final long SYS_IO_URING_SETUP = 425;
    private static final long SYS_IO_URING_ENTER = 426;
    private static final int PARAMS_SIZE = 120;
    private static final int SQE_SIZE = 64;
    private static final int CQE_SIZE = 16;
    private static final long OFF_SQ_RING = 0L;
    private static final long OFF_CQ_RING = 0x8000000L;
    private static final long OFF_SQES = 0x10000000L;
    private static final int FEAT_SINGLE_MMAP = 1;
    private static final int ENTER_GETEVENTS = 1;
    private static final int EINTR = 4;
    private static final byte OP_NOP = 0;
    private static final byte OP_SEND = 26;
    private static final byte OP_RECV = 27;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int PROT_READ_WRITE = 0x3;
    private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;

    private final int fd;
    private final int entries;
    private final long sqRing;
    private final long sqRingSize;
    private final long cqRing;
    private final long cqRingSize;
    private final long sqes;
    private final long sqTail;
    private final int sqMask;
    private final long sqArray;
    private final long cqHead;
    private final long cqTail;
    private final int cqMask;
    private final long cqes;
    /** Operations written since the last submission. */
    private int pending;
    private boolean closed;

    /** The kernel will not make a ring here: no io_uring, or a container's profile forbids it. */
    public static final class Refused extends IOException {
        Refused(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /**
     * A ring of {@code entries} operations (a power of two).
     *
     * @throws Refused     where the kernel refuses (no io_uring, or a container's seccomp profile
     *                     or {@code kernel.io_uring_disabled} forbids it), with its reason
     * @throws IOException where it made a ring that then failed
     */
    public static IoUring open(int entries) throws IOException {
        if (!PlatformDependent.hasUnsafe()) {
            throw new Refused("no direct memory access", null);
        }
        long params = PlatformDependent.allocateMemory(PARAMS_SIZE);
        try {
            PlatformDependent.setMemory(params, PARAMS_SIZE, (byte) 0);
            int fd;
            try {
                fd = (int) Sys.syscall(SYS_IO_URING_SETUP, entries, params, 0, 0, 0, 0);
            } catch (LastErrorException e) {
                throw new Refused(reason(e.getErrorCode()), e);
            } catch (LinkageError e) {
                throw new Refused("no io_uring_setup on this system (" + e.getMessage() + ")", e);
            }
            IoUring ring = new IoUring(fd, params);
            ring.probe();
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

    private IoUring(int fd, long params) throws IOException {
        this.fd = fd;
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
            this.sqRing = Sys.mmap(0, sqSize, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, OFF_SQ_RING);
            this.cqRing = single ? sqRing : Sys.mmap(0, cqSize, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, OFF_CQ_RING);
            this.sqes = Sys.mmap(0, (long) SQE_SIZE * sqEntries, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, OFF_SQES);
        } catch (LastErrorException e) {
            Sys.close(fd);
            throw new IOException("mapping the ring: errno " + e.getErrorCode(), e);
        }
        this.sqTail = sqRing + PlatformDependent.getInt(sqOff + 4);
        this.sqMask = PlatformDependent.getInt(sqRing + PlatformDependent.getInt(sqOff + 8));
        this.sqArray = sqRing + PlatformDependent.getInt(sqOff + 24);
        this.cqHead = cqRing + PlatformDependent.getInt(cqOff);
        this.cqTail = cqRing + PlatformDependent.getInt(cqOff + 4);
        this.cqMask = PlatformDependent.getInt(cqRing + PlatformDependent.getInt(cqOff + 8));
        this.cqes = cqRing + PlatformDependent.getInt(cqOff + 20);
    }

    /** One operation that does nothing, through the kernel: a profile that allows the set-up but not the rest fails here. */
    private void probe() throws IOException {
        prepare(OP_NOP, -1, 0, 0, 0);
        int[] result = {Integer.MIN_VALUE};
        try {
            submitAndWait((userData, res) -> result[0] = res);
        } catch (IOException e) {
            close();
            throw e;
        }
        if (result[0] != 0) {
            close();
            throw new IOException("a no-op failed: " + result[0]);
        }
    }

    /** Whether the submission queue has no room left: {@link #submitAndWait} first. */
    public boolean full() {
        return pending == entries;
    }

    /** Operations written and not yet submitted. */
    public int pending() {
        return pending;
    }

    /**
     * Writes a {@code send} of {@code len} bytes at {@code address} on the connected socket
     * {@code socketFd}, not waiting for room in the socket (a full socket is an answer: EAGAIN).
     * The memory must stay as it is until {@link #submitAndWait}.
     */
    public void send(int socketFd, long address, int len, long userData) {
        prepare(OP_SEND, socketFd, address, len, userData);
    }

    /**
     * Writes a {@code recv} of at most {@code len} bytes from {@code socketFd} into {@code address},
     * answered at once: a datagram, or EAGAIN when there is none (no waiting for one).
     */
    public void recv(int socketFd, long address, int len, long userData) {
        prepare(OP_RECV, socketFd, address, len, userData);
    }

    private void prepare(byte op, int socketFd, long address, int len, long userData) {
        if (pending == entries) {
            throw new IllegalStateException("submission queue full");
        }
        int tail = PlatformDependent.getInt(sqTail);
        int index = tail & sqMask;
        long sqe = sqes + (long) index * SQE_SIZE;
        for (int i = 0; i < SQE_SIZE; i += 8) {
            PlatformDependent.putLong(sqe + i, 0L); // cheaper than setMemory's call into the VM
        }
        PlatformDependent.putByte(sqe, op);
        PlatformDependent.putInt(sqe + 4, socketFd);
        PlatformDependent.putLong(sqe + 16, address);
        PlatformDependent.putInt(sqe + 24, len);
        if (op != OP_NOP) {
            PlatformDependent.putInt(sqe + 28, MSG_DONTWAIT); // a no-op takes no flags
        }
        PlatformDependent.putLong(sqe + 32, userData);
        PlatformDependent.putInt(sqArray + 4L * index, index);
        PlatformDependent.putInt(sqTail, tail + 1);
        pending++;
    }

    /**
     * Hands what was written to the kernel in one system call and reports each operation to
     * {@code completion}. The sockets' operations are all answered inside that call (none waits:
     * {@code MSG_DONTWAIT}); should one not be, a second call waits for the rest. Returns how many
     * were submitted.
     *
     * @throws IOException when the system call fails or the kernel takes fewer operations than
     *                     written (the ring is then not to be used again)
     */
    public int submitAndWait(Completion completion) throws IOException {
        int n = pending;
        if (n == 0 || closed) {
            return 0;
        }
        pending = 0;
        long taken;
        try {
            taken = Sys.syscall(SYS_IO_URING_ENTER, fd, n, 0, 0, 0, 0);
        } catch (LastErrorException e) {
            reap(completion);
            throw new IOException("io_uring_enter: errno " + e.getErrorCode(), e);
        }
        int done = reap(completion);
        if (taken < n) {
            throw new IOException("the kernel took " + taken + " of " + n + " operations");
        }
        while (done < n) {
            try {
                Sys.syscall(SYS_IO_URING_ENTER, fd, 0, n - done, ENTER_GETEVENTS, 0, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new IOException("io_uring_enter (waiting): errno " + e.getErrorCode(), e);
                }
            }
            done += reap(completion);
        }
        return n;
    }

    private int reap(Completion completion) {
        int head = PlatformDependent.getInt(cqHead);
        int tail = PlatformDependent.getInt(cqTail);
        int count = tail - head;
        for (; head != tail; head++) {
            long cqe = cqes + (long) (head & cqMask) * CQE_SIZE;
            completion.completed(PlatformDependent.getLong(cqe), PlatformDependent.getInt(cqe + 8));
        }
        PlatformDependent.putInt(cqHead, head);
        return count;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Sys.munmap(sqes, (long) SQE_SIZE * entries);
        if (cqRingSize > 0) {
            Sys.munmap(cqRing, cqRingSize);
        }
        Sys.munmap(sqRing, sqRingSize);
        Sys.close(fd);
    }

    /** The C library's calls, mapped directly: primitive arguments, no allocation per call. */
    private static final class Sys {
        static {
            Native.register("c");
        }

        static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6)
                throws LastErrorException;

        static native long mmap(long address, long length, int prot, int flags, int fd, long offset)
                throws LastErrorException;

        static native int munmap(long address, long length);

        static native int close(int fd);
    }
}
