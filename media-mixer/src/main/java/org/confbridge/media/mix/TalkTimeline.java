package org.confbridge.media.mix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * When one caller talked, as intervals of ticks: told when the talk detector's verdict changes,
 * pauses up to {@link #MERGE_TICKS} merged into the talk around them, so the timeline reads as
 * turns of speech rather than syllables. Written on the room's loop, a pair of ints per turn
 * (nothing per tick); read when the caller leaves.
 */
public final class TalkTimeline {
    /** Pauses up to 1 s within one turn of speech. */
    static final int MERGE_TICKS = 50;

    private int[] bounds = new int[16];
    private int count;

    /** Talk started at {@code tick} (the room's 20 ms ticks); after a short pause the last turn goes on. */
    public void started(long tick) {
        if (count > 0 && count % 2 == 0 && tick - bounds[count - 1] <= MERGE_TICKS) {
            count--; // a short pause: the last interval goes on
        } else if (count % 2 == 0) {
            append((int) tick);
        }
    }

    /** Talk stopped at {@code tick}: the first tick without it. */
    public void stopped(long tick) {
        if (count % 2 == 1) {
            append((int) tick);
        }
    }

    private void append(int tick) {
        if (count == bounds.length) {
            bounds = Arrays.copyOf(bounds, count * 2);
        }
        bounds[count++] = tick;
    }

    /**
     * The intervals in seconds since {@code originTick}, each {@code [from, to]} rounded to 0.1 s;
     * one still open ends at {@code nowTick}.
     */
    public List<double[]> intervals(long originTick, long nowTick) {
        List<double[]> out = new ArrayList<>(count / 2 + 1);
        for (int i = 0; i < count; i += 2) {
            long from = bounds[i];
            long to = i + 1 < count ? bounds[i + 1] : nowTick;
            out.add(new double[] {seconds(from - originTick), seconds(to - originTick)});
        }
        return out;
    }

    private static double seconds(long ticks) {
        return Math.round(Math.max(0, ticks) * 0.02 * 10) / 10.0;
    }
}
