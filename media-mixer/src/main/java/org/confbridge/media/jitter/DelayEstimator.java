package org.confbridge.media.jitter;

/**
 * Measures how late packets arrive relative to the earliest one of the last few seconds, and from
 * that the playout delay a jitter buffer needs: the 97th percentile of those lateness values over
 * a sliding window, plus one packet of margin. Using the window's minimum transit time as the
 * reference follows a slowly drifting sender clock. Also keeps the RFC 3550 interarrival jitter.
 * Allocates nothing after construction.
 */
final class DelayEstimator {
    private static final int WINDOW = 256;
    private static final int RECOMPUTE_EVERY = 16;
    /** The 3 % of a full window above the 97th percentile: the most values {@link #recompute} keeps. */
    private static final int MAX_KEPT = WINDOW - (int) (WINDOW * 0.97);
    /** Transits further than this from {@link #base} start the window over rather than overflow an int. */
    private static final long MAX_OFFSET = 1L << 30;

    /** Microseconds per RTP clock unit: a multiplication per packet instead of a 64-bit division. */
    private final double microsPerUnit;
    /**
     * The window's transits in µs, relative to {@link #base}: ints, so that the scan every
     * {@value #RECOMPUTE_EVERY} packets reads 1 KB of each leg's memory (cold by then) rather than 2.
     */
    private final int[] transit = new int[WINDOW];
    private final int[] largest = new int[MAX_KEPT];
    private long base;
    private int count;
    private int next;
    private int sinceRecompute;
    private long lastTransit;
    private boolean haveLast;
    /** The lowest transit in the window at its last recompute, and of every packet since. */
    private long minTransit;
    private double jitter;
    private int neededMs;

    DelayEstimator(int clockRate) {
        this.microsPerUnit = 1_000_000.0 / clockRate;
    }

    /** Records one packet's arrival (nanoseconds, any epoch) and RTP timestamp (clock units, extended). */
    void arrival(long arrivalNanos, long timestamp) {
        // Transit time in microseconds: arrival minus the media time the packet stands for.
        long t = arrivalNanos / 1000 - (long) (timestamp * microsPerUnit);
        if (haveLast) {
            double d = Math.abs(t - lastTransit) / 1000.0;
            jitter += (d - jitter) / 16; // RFC 3550 section 6.4.1, here in milliseconds
        }
        if (count > 0 && Math.abs(t - base) > MAX_OFFSET) {
            clearWindow(); // a sender clock that ran 18 minutes (2^30 µs) away from ours, or jumped
        }
        if (count == 0) {
            base = t;
        }
        minTransit = haveLast ? Math.min(t, minTransit) : t;
        lastTransit = t;
        haveLast = true;
        transit[next] = (int) (t - base);
        next = (next + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
        if (++sinceRecompute >= RECOMPUTE_EVERY) {
            sinceRecompute = 0;
            recompute();
        }
    }

    /** Starts over (new SSRC or a jump in the stream). */
    void reset() {
        clearWindow();
        haveLast = false;
    }

    private void clearWindow() {
        count = 0;
        next = 0;
        sinceRecompute = 0;
    }

    /**
     * How much later (µs) the last packet arrived than the earliest-arriving recent ones, for the
     * media time it stands for; 0 before any packet.
     */
    long lastLatenessMicros() {
        return haveLast ? lastTransit - minTransit : 0;
    }

    /** The delay (ms) that would have covered 97 % of recent packets, 0 until measured. */
    int neededMs() {
        return neededMs;
    }

    /** RFC 3550 interarrival jitter in milliseconds. */
    double jitterMs() {
        return jitter;
    }

    private void recompute() {
        // The minimum and the 97th percentile without sorting: keep the k largest values seen
        // (k = 3 % of the window) in a small descending array. Allocation-free, O(window · k).
        int k = Math.max(1, count - (int) (count * 0.97));
        int[] top = largest;
        int min = Integer.MAX_VALUE;
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int v = transit[i];
            min = Math.min(min, v);
            if (kept < k) {
                int j = kept++;
                while (j > 0 && top[j - 1] < v) {
                    top[j] = top[j - 1];
                    j--;
                }
                top[j] = v;
            } else if (v > top[k - 1]) {
                int j = k - 1;
                while (j > 0 && top[j - 1] < v) {
                    top[j] = top[j - 1];
                    j--;
                }
                top[j] = v;
            }
        }
        neededMs = (int) (((long) top[kept - 1] - min) / 1000);
        minTransit = base + min; // an older minimum may have left the window
    }
}
