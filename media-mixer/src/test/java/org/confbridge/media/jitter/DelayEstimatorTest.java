package org.confbridge.media.jitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DelayEstimatorTest {
    private static final int CLOCK = 8000;
    private static final long FRAME_NANOS = 20_000_000L;

    /** One packet per 20 ms from {@code first}; every {@code lateEvery}-th arrives {@code lateMs} late. */
    private static long feed(DelayEstimator d, long first, long startTs, int packets, int lateEvery, int lateMs) {
        long ts = startTs;
        for (int i = 0; i < packets; i++) {
            long late = lateEvery > 0 && i % lateEvery == 0 ? lateMs * 1_000_000L : 0;
            d.arrival(first + i * FRAME_NANOS + late, ts);
            ts += CLOCK / 50;
        }
        return ts;
    }

    @Test
    void needsTheDelayThatCovers97PercentOfPackets() {
        DelayEstimator d = new DelayEstimator(CLOCK);
        // One packet in ten 30 ms late: 10 % is above the 97th percentile's cut.
        feed(d, 5_000_000_000L, 1000, 512, 10, 30);
        assertEquals(30, d.neededMs());
        // One in fifty 30 ms late: 2 % lies beyond the cut, the rest is on time.
        DelayEstimator rare = new DelayEstimator(CLOCK);
        feed(rare, 5_000_000_000L, 1000, 512, 50, 30);
        assertEquals(0, rare.neededMs());
    }

    @Test
    void latenessIsMeasuredFromTheEarliestRecentPacket() {
        DelayEstimator d = new DelayEstimator(CLOCK);
        feed(d, 0, 0, 100, 0, 0);
        d.arrival(100 * FRAME_NANOS + 12_000_000L, 100 * (CLOCK / 50));
        assertEquals(12_000, d.lastLatenessMicros());
    }

    @Test
    void aSenderClockJumpOfHoursStartsTheWindowOverInsteadOfOverflowing() {
        DelayEstimator d = new DelayEstimator(CLOCK);
        long ts = feed(d, 1_000_000_000L, 0, 300, 10, 30);
        assertEquals(30, d.neededMs());
        // The sender's timestamps jump three hours ahead, its packets keep coming every 20 ms.
        long jumped = ts + 3L * 3600 * CLOCK;
        feed(d, 1_000_000_000L + 300 * FRAME_NANOS, jumped, 2 * 16, 0, 0);
        assertEquals(0, d.neededMs(), "the jump is no lateness, and the packets before it are forgotten");
        assertTrue(d.lastLatenessMicros() >= 0 && d.lastLatenessMicros() < 1000, "lateness " + d.lastLatenessMicros());
    }
}
