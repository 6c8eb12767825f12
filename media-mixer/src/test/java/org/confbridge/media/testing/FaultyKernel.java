package org.confbridge.media.testing;

import com.sun.jna.LastErrorException;
import io.netty.util.internal.PlatformDependent;
import java.util.concurrent.atomic.AtomicInteger;
import org.confbridge.media.net.RingKernel;

/**
 * The running kernel's io_uring with faults put in, as a kernel, a container or a busy machine
 * could answer: set-up refused, no opcode list (before 5.6), an opcode it lists but refuses,
 * submits taken in part, EBUSY, and a ring that fails for good after a number of submissions.
 */
public final class FaultyKernel implements RingKernel {
    /** An opcode no kernel knows: operations sent with it complete with -EINVAL. */
    private static final byte UNKNOWN_OP = (byte) 200;
    private static final int EPERM = 1;
    private static final int EFAULT = 14;
    private static final int EBUSY = 16;
    private static final int EINVAL = 22;
    private static final int EMFILE = 24;
    private static final int REGISTER_FILES = 2;
    private static final int REGISTER_PROBE = 8;

    private boolean refuseSetup;
    private boolean noProbe;
    private boolean unknownSend;
    private boolean probeLies;
    private boolean shortSubmits;
    private boolean noFileTable;
    private int busyEvery;
    private int failAfterSubmits = -1;
    private final AtomicInteger submits = new AtomicInteger();
    private final AtomicInteger enters = new AtomicInteger();

    /** {@code io_uring_setup} answers EPERM (a seccomp profile, {@code kernel.io_uring_disabled}). */
    public FaultyKernel refuseSetup() {
        refuseSetup = true;
        return this;
    }

    /** {@code IORING_REGISTER_PROBE} answers EINVAL, as before Linux 5.6. */
    public FaultyKernel noProbe() {
        noProbe = true;
        return this;
    }

    /**
     * Sends go out with an opcode the kernel does not know, so each completes with -EINVAL; with
     * {@code probeLies} the opcode list says it is known (the set-up passes).
     */
    public FaultyKernel sendsRefused(boolean probeLies) {
        this.unknownSend = true;
        this.probeLies = probeLies;
        return this;
    }

    /** Each submission of more than one operation gives the kernel only half of them. */
    public FaultyKernel shortSubmits() {
        shortSubmits = true;
        return this;
    }

    /** A file table is refused (EMFILE, as under a low descriptor limit): operations name descriptors. */
    public FaultyKernel noFileTable() {
        noFileTable = true;
        return this;
    }

    /** Every {@code n}th submission answers EBUSY without reaching the kernel. */
    public FaultyKernel busyEvery(int n) {
        busyEvery = n;
        return this;
    }

    /** After {@code n} submissions every further one answers EFAULT: the ring has to stop. */
    public FaultyKernel failAfter(int n) {
        failAfterSubmits = n;
        return this;
    }

    /** Submissions the kernel was asked for so far. */
    public int submits() {
        return submits.get();
    }

    @Override
    public long setup(int entries, long params) {
        if (refuseSetup) {
            throw new LastErrorException(EPERM);
        }
        return LINUX.setup(entries, params);
    }

    @Override
    public long enter(int fd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
        enters.incrementAndGet();
        if (toSubmit > 0) {
            int n = submits.incrementAndGet();
            if (failAfterSubmits >= 0 && n > failAfterSubmits) {
                throw new LastErrorException(EFAULT);
            }
            if (busyEvery > 0 && n % busyEvery == 0) {
                throw new LastErrorException(EBUSY);
            }
            if (shortSubmits && toSubmit > 1) {
                return LINUX.enter(fd, toSubmit / 2, minComplete, flags, arg, argSize);
            }
        }
        return LINUX.enter(fd, toSubmit, minComplete, flags, arg, argSize);
    }

    @Override
    public long register(int fd, int opcode, long arg, int count) {
        if (noProbe && opcode == REGISTER_PROBE) {
            throw new LastErrorException(EINVAL);
        }
        if (noFileTable && opcode == REGISTER_FILES) {
            throw new LastErrorException(EMFILE);
        }
        long result = LINUX.register(fd, opcode, arg, count);
        if (probeLies && opcode == REGISTER_PROBE) {
            int at = UNKNOWN_OP & 0xFF;
            PlatformDependent.putByte(arg + 1, (byte) Math.max(at + 1, PlatformDependent.getByte(arg + 1) & 0xFF));
            PlatformDependent.putByte(arg + 16 + 8L * at, UNKNOWN_OP);
            PlatformDependent.putShort(arg + 16 + 8L * at + 2, (short) 1);
        }
        return result;
    }

    @Override
    public byte opSend() {
        return unknownSend ? UNKNOWN_OP : RingKernel.super.opSend();
    }
}
