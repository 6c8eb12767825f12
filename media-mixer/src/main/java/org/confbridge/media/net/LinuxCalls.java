package org.confbridge.media.net;

import com.sun.jna.LastErrorException;

/** The C library's calls, mapped directly: primitive arguments, no allocation per call. */
final class LinuxCalls {
    // System call numbers from <linux/io_uring.h>: the same on every architecture.
    static final long IO_URING_SETUP = 425;
    static final long IO_URING_ENTER = 426;
    static final long IO_URING_REGISTER = 427;

    private LinuxCalls() {
    }

    static {
        com.sun.jna.Native.register("c");
    }

    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6)
            throws LastErrorException;

    static native long mmap(long address, long length, int prot, int flags, int fd, long offset)
            throws LastErrorException;

    static native int munmap(long address, long length);

    static native int close(int fd);

    static native long send(int fd, long buf, long len, int flags) throws LastErrorException;
}
