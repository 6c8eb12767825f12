package org.confbridge.media.jitter;

/**
 * Decides, packet by packet, whether the room's tick reads a leg's socket once more. A read that
 * finds the socket empty costs a system call for nothing, so reading stops where the next read
 * would most likely find nothing:
 * <ul>
 * <li>after an audio packet that arrived on time ({@link JitterBuffer#lastArrivalOnTime}): the
 * sender has sent nothing newer that could be here yet;
 * <li>after one that arrived a tick late ({@link JitterBuffer#ARRIVED_A_TICK_LATE}), when such
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

    /**
     * A read found a datagram; {@code arrival} is how it arrived ({@link JitterBuffer#lastArrival},
     * {@link JitterBuffer#ARRIVED_LATER} for a datagram that is not audio).
     *
     * @return whether to read the socket again in this tick
     */
    public boolean readAgainAfterPacket(int arrival) {
        if (followUp) {
            learn(true);
        }
        followUp = arrival == JitterBuffer.ARRIVED_A_TICK_LATE;
        return fullRead || arrival == JitterBuffer.ARRIVED_LATER
                || followUp && followUpFinds >= ONE / RARELY_ONE_IN;
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
