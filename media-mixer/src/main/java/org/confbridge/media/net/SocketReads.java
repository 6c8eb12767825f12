package org.confbridge.media.net;

/**
 * Decides, packet by packet, whether the room's tick reads a leg's socket once more. A read that
 * finds the socket empty costs a system call for nothing, so reading stops where the next read
 * would most likely find nothing:
 * <ul>
 * <li>after an audio packet that arrived on time ({@link Arrival#ON_TIME}): the sender has sent
 * nothing newer that could be here yet;
 * <li>after one that arrived a tick late ({@link Arrival#A_TICK_LATE}), when such
 * follow-up reads of this leg have lately found something less than one time in
 * {@value #RARELY_ONE_IN}. A sender whose packets land just as the tick reads makes most packets
 * look a tick late (the arrival time is the tick's), though the next one is rarely in yet.
 * </ul>
 * Every {@value #FULL_READ_EVERY_TICKS}th tick reads until empty regardless: a packet left behind
 * (the network's delay fell, or a follow-up read was wrongly left out) waits at most that long,
 * and those reads keep teaching how often follow-ups find something. One instance per leg, used
 * by the room's thread only.
 */
public final class SocketReads {
    /** How a datagram arrived, judged from its lateness against the stream's earliest arrivals. */
    public enum Arrival {
        /**
         * Less than half a frame later than the earliest, in a stream that delivers in order: the
         * sender cannot have sent a newer one that arrived yet, unless the network's delay just fell.
         */
        ON_TIME,
        /**
         * At most about one tick later than the earliest: a newer packet may be here only if it
         * travelled faster than most.
         */
        A_TICK_LATE,
        /** Later still, or not judged (not audio, not kept, no arrival time, too few in order). */
        LATER
    }

    /** Half a 20 ms frame: how much later than the earliest a packet may arrive and still be on time. */
    private static final long ON_TIME_MICROS = 10_000;
    /**
     * A 20 ms tick and a quarter: arrival times are tick times, so a packet that came just after
     * one tick's read looks this much later than one that came just before.
     */
    private static final long A_TICK_LATE_MICROS = 25_000;

    /** Read until empty every this many ticks (0.5 s), whatever the timing says. */
    public static final int FULL_READ_EVERY_TICKS = 25;
    /** Follow-up reads are left out while fewer than one in this many find a packet. */
    static final int RARELY_ONE_IN = 16;
    /** Fixed-point 1.0 of {@link #followUpFinds}. */
    private static final int ONE = 1 << 16;
    /** The moving average's weight of a new outcome: 1/16, some 16 follow-ups of memory. */
    private static final int WEIGHT_SHIFT = 4;

    private int ticksToFullRead = FULL_READ_EVERY_TICKS;
    private boolean fullRead;
    /** The packet just read arrived a tick late: the next read's outcome is a follow-up's. */
    private boolean followUp;
    /** How often follow-up reads found a packet (moving average, fixed point); starts at always. */
    private int followUpFinds = ONE;

    /** A tick starts reading the socket. */
    public void startTick() {
        followUp = false;
        fullRead = --ticksToFullRead <= 0;
        if (fullRead) {
            ticksToFullRead = FULL_READ_EVERY_TICKS;
        }
    }

    /** How a packet arrived, from its lateness (the jitter buffer's lateness of the packet; -1: not judged). */
    public static Arrival arrival(long latenessMicros) {
        return latenessMicros < 0 ? Arrival.LATER : latenessMicros < ON_TIME_MICROS ? Arrival.ON_TIME
                : latenessMicros < A_TICK_LATE_MICROS ? Arrival.A_TICK_LATE : Arrival.LATER;
    }

    /**
     * A read found a datagram that arrived as {@code arrival} ({@link Arrival#LATER} for one that is
     * not audio).
     *
     * @return whether to read the socket again in this tick
     */
    public boolean readAgainAfterPacket(Arrival arrival) {
        if (followUp) {
            learn(true);
        }
        followUp = arrival == Arrival.A_TICK_LATE;
        return fullRead || arrival == Arrival.LATER || followUp && followUpFinds >= ONE / RARELY_ONE_IN;
    }

    /** A read found the socket empty: the tick's reading ends. */
    public void foundEmpty() {
        if (followUp) {
            learn(false);
        }
        followUp = false;
    }

    private void learn(boolean found) {
        followUpFinds += ((found ? ONE : 0) - followUpFinds) >> WEIGHT_SHIFT;
    }
}
