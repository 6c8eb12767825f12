package org.confbridge.media.loop;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.io.IOException;

/**
 * Real-time scheduling (Linux {@code SCHED_FIFO}) for the threads that mix and send audio. A room
 * thread at normal priority waits behind whatever else is runnable when its 20 ms timer fires, so
 * on a busy host its ticks come late by whole scheduler slices; at {@code SCHED_FIFO} it runs as
 * soon as it wakes. Media servers have long offered the same (Asterisk {@code -p}, FreeSWITCH
 * {@code -rp}). The kernel still holds back 5 % of each core for normal threads.
 */
final class RealtimePriority {
    static final int SCHED_FIFO = 1;

    private RealtimePriority() {
    }

    /**
     * Puts the calling thread at {@code SCHED_FIFO} with {@code priority} (1-99).
     *
     * @throws IOException with the kernel's reason (e.g. "Operation not permitted" without root,
     *                     {@code CAP_SYS_NICE} or a high enough {@code RLIMIT_RTPRIO}), or when
     *                     this is not Linux
     */
    static void applyToCurrentThread(int priority) throws IOException {
        if (priority < 1 || priority > 99) {
            throw new IllegalArgumentException("SCHED_FIFO priority must be 1-99: " + priority);
        }
        SchedParam param = new SchedParam();
        param.sched_priority = priority;
        try {
            LibC.INSTANCE.sched_setscheduler(0, SCHED_FIFO, param); // pid 0: this thread only
        } catch (LastErrorException e) {
            throw new IOException(strerror(e.getErrorCode()), e);
        } catch (LinkageError e) {
            throw new IOException("no sched_setscheduler on this system (" + e.getMessage() + ")", e);
        }
    }

    private static String strerror(int errno) {
        return switch (errno) {
            case 1 -> "Operation not permitted (needs root, CAP_SYS_NICE or an RLIMIT_RTPRIO at least this high)";
            case 22 -> "Invalid argument";
            default -> "errno " + errno;
        };
    }

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int sched_setscheduler(int pid, int policy, SchedParam param) throws LastErrorException;
    }

    /** {@code struct sched_param}. */
    @Structure.FieldOrder("sched_priority")
    public static final class SchedParam extends Structure {
        public int sched_priority;
    }
}
