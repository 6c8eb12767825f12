package org.confbridge.media.mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TalkTimelineTest {
    @Test
    void shortPausesMergeIntoOneTurnLongOnesSeparateTurns() {
        TalkTimeline t = new TalkTimeline();
        long tick = 1000;
        tick = run(t, tick, 100, true);   // 2 s of talk
        tick = run(t, tick, 20, false);   // 0.4 s breath
        tick = run(t, tick, 50, true);    // 1 s more of the same turn
        tick = run(t, tick, 250, false);  // 5 s of listening
        tick = run(t, tick, 75, true);    // a new turn, still talking at the end
        List<double[]> turns = t.intervals(1000, tick);
        assertEquals(2, turns.size());
        assertArrayEquals(new double[] {0.0, 3.4}, turns.get(0), 1e-9);
        assertArrayEquals(new double[] {8.4, 9.9}, turns.get(1), 1e-9);
    }

    @Test
    void aSilentCallerHasNoTurns() {
        TalkTimeline t = new TalkTimeline();
        run(t, 0, 500, false);
        assertEquals(0, t.intervals(0, 500).size());
    }

    /** {@code ticks} ticks of one verdict, told as a leg tells it: at each change. */
    private long last;
    private boolean was;

    private long run(TalkTimeline t, long tick, int ticks, boolean speaking) {
        for (int i = 0; i < ticks; i++, tick++) {
            if (speaking != was) {
                if (speaking) {
                    t.started(tick);
                } else {
                    t.stopped(tick);
                }
                was = speaking;
            }
        }
        last = tick;
        return tick;
    }
}
