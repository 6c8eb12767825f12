package org.confbridge.media.net;

import com.sun.jna.LastErrorException;

/**
 * The system calls a ring makes; {@link #LINUX} in the bridge, a faulty one in tests. Each
 * returns the call's result or throws {@link LastErrorException} with the errno.
 */
public interface RingKernel {
    long setup(int entries, long params);

    long enter(int fd, int toSubmit, int minComplete, int flags, long arg, long argSize);

    long register(int fd, int opcode, long arg, int count);

    /** The opcode of {@code send} (a faulty kernel may name one the kernel does not know). */
    default byte opSend() {
        return IoUring.OP_SEND;
    }

    RingKernel LINUX = new RingKernel() {
        @Override
        public long setup(int entries, long params) {
            return LinuxCalls.syscall(LinuxCalls.IO_URING_SETUP, entries, params, 0, 0, 0, 0);
        }

        @Override
        public long enter(int fd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
            return LinuxCalls.syscall(LinuxCalls.IO_URING_ENTER, fd, toSubmit, minComplete, flags, arg, argSize);
        }

        @Override
        public long register(int fd, int opcode, long arg, int count) {
            return LinuxCalls.syscall(LinuxCalls.IO_URING_REGISTER, fd, opcode, arg, count, 0, 0);
        }
    };
}
