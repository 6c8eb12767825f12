package org.confbridge.media.mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MixBusTest {
    private static final int FRAME = 320;

    @Test
    void talkerHearsExactlyEveryoneButItself() {
        Random rnd = new Random(7);
        short[][] in = new short[4][FRAME];
        for (short[] f : in) {
            for (int i = 0; i < FRAME; i++) {
                f[i] = (short) (rnd.nextInt(8000) - 4000); // sums stay below the limiter knee
            }
        }
        MixBus bus = new MixBus(FRAME);
        bus.clear();
        for (short[] f : in) {
            bus.add(f);
        }
        short[] out = new short[FRAME];
        for (int me = 0; me < 4; me++) {
            bus.mixMinus(in[me], out);
            for (int i = 0; i < FRAME; i++) {
                int expected = 0;
                for (int other = 0; other < 4; other++) {
                    expected += other == me ? 0 : in[other][i];
                }
                assertEquals(expected, out[i]);
            }
        }
        short[] full = bus.fullMix();
        for (int i = 0; i < FRAME; i++) {
            assertEquals(in[0][i] + in[1][i] + in[2][i] + in[3][i], full[i]);
        }
    }

    @Test
    void lonelyTalkerHearsSilence() {
        MixBus bus = new MixBus(FRAME);
        bus.clear();
        short[] in = Tone.sine(440, 16000, FRAME, 20000);
        bus.add(in);
        short[] out = new short[FRAME];
        bus.mixMinus(in, out);
        assertArrayEquals(new short[FRAME], out);
    }

    @Test
    void loudOverlapIsLimitedNotWrapped() {
        MixBus bus = new MixBus(FRAME);
        bus.clear();
        short[] loud = new short[FRAME];
        java.util.Arrays.fill(loud, (short) 30000);
        bus.add(loud);
        bus.add(loud);
        bus.add(loud);
        short[] full = bus.fullMix();
        for (short s : full) {
            assertTrue(s > 30000 && s <= Short.MAX_VALUE, "limited value " + s);
        }
        java.util.Arrays.fill(loud, (short) -30000);
        bus.clear();
        bus.add(loud);
        bus.add(loud);
        for (short s : bus.fullMix()) {
            assertTrue(s < -24576 && s >= -Short.MAX_VALUE, "limited value " + s);
        }
    }

    @Test
    void limiterIsTransparentBelowKneeAndMonotonicAbove() {
        for (int v = -SoftLimiter.KNEE; v <= SoftLimiter.KNEE; v += 97) {
            assertEquals(v, SoftLimiter.limit(v));
        }
        int previous = SoftLimiter.limit(SoftLimiter.KNEE);
        for (int v = SoftLimiter.KNEE + 1; v < 32768 * 8; v += 13) {
            int y = SoftLimiter.limit(v);
            assertTrue(y >= previous && y <= Short.MAX_VALUE);
            assertEquals(-y, SoftLimiter.limit(-v));
            previous = y;
        }
    }

    @Test
    void talkDetectorHasHysteresis() {
        TalkDetector d = new TalkDetector(100, 60, 3);
        short[] speech = Tone.sine(300, 8000, 160, 2000);
        short[] quiet = new short[160];
        assertEquals(false, d.update(quiet, 0, 160));
        assertEquals(true, d.update(speech, 0, 160));
        assertEquals(true, d.update(quiet, 0, 160));
        assertEquals(true, d.update(quiet, 0, 160));
        assertEquals(false, d.update(quiet, 0, 160));
    }
}
