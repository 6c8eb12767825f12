package org.confbridge.media.jitter;

/** Counters of one jitter buffer, written on the room's loop and read for metrics (racy reads are fine). */
public final class JitterStats {
    long received;
    long played;
    long lost;
    long recovered;
    long late;
    long duplicates;
    long dropped;
    long discarded;
    long accelerated;
    long underruns;
    long restarts;

    public long received() {
        return received;
    }

    public long played() {
        return played;
    }

    /** Packets never received in time, concealed instead. */
    public long lost() {
        return lost;
    }

    /** Lost packets rebuilt from the next packet's redundancy (Opus FEC) rather than concealed. */
    public long recovered() {
        return recovered;
    }

    public long late() {
        return late;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Oversize or empty payloads. */
    public long dropped() {
        return dropped;
    }

    /** Packets thrown away to keep the delay bounded. */
    public long discarded() {
        return discarded;
    }

    /** Packets skipped to give back delay that was no longer needed. */
    public long accelerated() {
        return accelerated;
    }

    public long underruns() {
        return underruns;
    }

    public long restarts() {
        return restarts;
    }

    /** Loss in percent of packets expected so far. */
    public double lossPercent() {
        long expected = played + lost;
        return expected == 0 ? 0.0 : 100.0 * lost / expected;
    }
}
