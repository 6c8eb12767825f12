package org.confbridge.media.mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.confbridge.media.testing.Tone;
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
        MixBus bus = new MixBus();
        MixBus.Band band = bus.band(16000);
        bus.clear();
        for (short[] f : in) {
            bus.add(band, f);
        }
        short[] out = new short[FRAME];
        for (int me = 0; me < 4; me++) {
            bus.mixMinus(band, in[me], out);
            for (int i = 0; i < FRAME; i++) {
                int expected = 0;
                for (int other = 0; other < 4; other++) {
                    expected += other == me ? 0 : in[other][i];
                }
                assertEquals(expected, out[i]);
            }
        }
        short[] full = bus.fullMix(band);
        for (int i = 0; i < FRAME; i++) {
            assertEquals(in[0][i] + in[1][i] + in[2][i] + in[3][i], full[i]);
        }
    }

    @Test
    void lonelyTalkerHearsSilence() {
        MixBus bus = new MixBus();
        MixBus.Band band = bus.band(16000);
        bus.band(8000); // another rate in the room, silent: adds nothing
        bus.clear();
        short[] in = Tone.sine(440, 16000, FRAME, 20000);
        bus.add(band, in);
        short[] out = new short[FRAME];
        bus.mixMinus(band, in, out);
        assertArrayEquals(new short[FRAME], out);
    }

    @Test
    void loudOverlapIsLimitedNotWrapped() {
        MixBus bus = new MixBus();
        MixBus.Band band = bus.band(16000);
        bus.clear();
        short[] loud = new short[FRAME];
        java.util.Arrays.fill(loud, (short) 30000);
        bus.add(band, loud);
        bus.add(band, loud);
        bus.add(band, loud);
        short[] full = bus.fullMix(band);
        for (short s : full) {
            assertTrue(s > 30000 && s <= Short.MAX_VALUE, "limited value " + s);
        }
        java.util.Arrays.fill(loud, (short) -30000);
        bus.clear();
        bus.add(band, loud);
        bus.add(band, loud);
        for (short s : bus.fullMix(band)) {
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

    /**
     * A narrowband talker and a wideband talker in a 16 kHz room, over many ticks: each hears the
     * other's tone through the band conversion and nothing of its own voice, and the 16 kHz mix
     * (what the recording gets) has both. The narrowband talker's own voice is taken out at 8 kHz,
     * exactly.
     */
    @Test
    void talkersAtDifferentRatesHearEachOtherAndNotThemselves() {
        MixBus bus = new MixBus();
        MixBus.Band wide = bus.band(16000);
        MixBus.Band narrow = bus.band(8000);
        int ticks = 25;
        short[] narrowHears = new short[160 * ticks];
        short[] wideHears = new short[320 * ticks];
        short[] roomMix = new short[320 * ticks];
        short[] out8 = new short[160];
        short[] out16 = new short[320];
        for (int t = 0; t < ticks; t++) {
            short[] voice8 = slice(Tone.sine(1000, 8000, 160 * ticks, 8000), t * 160, 160);
            short[] voice16 = slice(Tone.sine(440, 16000, 320 * ticks, 8000), t * 320, 320);
            bus.clear();
            bus.add(narrow, voice8);
            bus.add(wide, voice16);
            bus.mixMinus(narrow, voice8, out8);
            bus.mixMinus(wide, voice16, out16);
            System.arraycopy(out8, 0, narrowHears, t * 160, 160);
            System.arraycopy(out16, 0, wideHears, t * 320, 320);
            System.arraycopy(bus.fullMix(wide), 0, roomMix, t * 320, 320);
        }
        int skip8 = 160 * 5;
        int skip16 = 320 * 5;
        assertEquals(440, Tone.dominantFrequency(narrowHears, 8000, 3000), 5);
        assertTrue(Tone.goertzel(narrowHears, skip8, narrowHears.length - skip8, 440, 8000) > 5000);
        assertTrue(Tone.goertzel(narrowHears, skip8, narrowHears.length - skip8, 1000, 8000) < 10);
        assertEquals(1000, Tone.dominantFrequency(wideHears, 16000, 6000), 5);
        assertTrue(Tone.goertzel(wideHears, skip16, wideHears.length - skip16, 1000, 16000) > 5000);
        assertTrue(Tone.goertzel(wideHears, skip16, wideHears.length - skip16, 440, 16000) < 10);
        assertTrue(Tone.goertzel(roomMix, skip16, roomMix.length - skip16, 440, 16000) > 5000);
        assertTrue(Tone.goertzel(roomMix, skip16, roomMix.length - skip16, 1000, 16000) > 5000);
    }

    /** A rate band that falls silent hands its filter tail over, then costs nothing. */
    @Test
    void silentBandFadesOutCleanly() {
        MixBus bus = new MixBus();
        MixBus.Band wide = bus.band(16000);
        MixBus.Band narrow = bus.band(8000);
        short[] voice8 = Tone.sine(1000, 8000, 160, 8000);
        bus.clear();
        bus.add(narrow, voice8);
        assertTrue(Tone.rms(bus.fullMix(wide), 0, 320) > 1000);
        bus.clear();
        short[] tail = bus.fullMix(wide);
        assertTrue(Tone.rms(tail, 0, 320) > 0, "the filter's tail reaches the next frame");
        assertTrue(Tone.rms(tail, 160, 160) == 0, "and ends within it");
        bus.clear();
        assertArrayEquals(new short[320], bus.fullMix(wide));
    }

    private static short[] slice(short[] s, int off, int n) {
        return java.util.Arrays.copyOfRange(s, off, off + n);
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
