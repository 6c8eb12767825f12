package org.confbridge.media.dtmf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.confbridge.media.codec.G711;
import org.junit.jupiter.api.Test;

class InbandDtmfDetectorTest {
    private static final double[] ROWS = {697, 770, 852, 941};
    private static final double[] COLS = {1209, 1336, 1477, 1633};
    private static final String KEYS = "123A456B789C*0#D";

    /** Keypad tones as a phone makes them: tone, pause, tone ... through µ-law, like a trunk. */
    static short[] keys(String keys, int toneMs, int pauseMs, int amplitude, double twistDb, double noise) {
        int tone = 8 * toneMs;
        int pause = 8 * pauseMs;
        short[] s = new short[keys.length() * (tone + pause) + 800];
        Random rnd = new Random(3);
        int pos = 400;
        for (char k : keys.toCharArray()) {
            int i = KEYS.indexOf(k);
            double fr = ROWS[i / 4];
            double fc = COLS[i % 4];
            double colGain = Math.pow(10, twistDb / 20);
            for (int n = 0; n < tone; n++) {
                double v = amplitude * (Math.sin(2 * Math.PI * fr * n / 8000) + colGain * Math.sin(2 * Math.PI * fc * n / 8000));
                s[pos + n] = (short) v;
            }
            pos += tone + pause;
        }
        for (int i = 0; i < s.length; i++) {
            s[i] = G711.decodeUlaw(G711.encodeUlaw((short) Math.max(-32768, Math.min(32767, s[i] + noise * rnd.nextGaussian()))));
        }
        return s;
    }

    static String detect(short[] s) {
        InbandDtmfDetector d = new InbandDtmfDetector();
        StringBuilder sb = new StringBuilder();
        for (int off = 0; off + 160 <= s.length; off += 160) {
            char k = d.process(s, off);
            if (k != 0) {
                sb.append(k);
            }
        }
        return sb.toString();
    }

    @Test
    void everyKeyIsRecognisedOnce() {
        assertEquals(KEYS, detect(keys(KEYS, 100, 100, 6000, 0, 20)));
    }

    @Test
    void blocksWithAKeyToneAreFlaggedFromTheFirstOn() {
        short[] s = keys("5", 100, 100, 6000, 0, 0);
        InbandDtmfDetector d = new InbandDtmfDetector();
        int flagged = 0;
        for (int off = 0; off + 160 <= s.length; off += 160) {
            d.process(s, off);
            flagged += d.toneInLastBlock() ? 1 : 0;
        }
        assertEquals(5.0, flagged, 1.0, "100 ms of tone = 5 blocks kept out of the mix (edges may straddle)");
    }

    @Test
    void repeatedKeyNeedsThePauseBetween() {
        assertEquals("1111#", detect(keys("1111#", 80, 60, 5000, 0, 20)));
    }

    @Test
    void allowedTwistAndLowLevelsStillWork() {
        assertEquals("4711#", detect(keys("4711#", 100, 80, 5000, 3.5, 10)), "column 3.5 dB up");
        assertEquals("4711#", detect(keys("4711#", 100, 80, 5000, -7.5, 10)), "column 7.5 dB down");
        assertEquals("4711#", detect(keys("4711#", 100, 80, 700, 0, 5)), "quiet keypad");
    }

    @Test
    void tooMuchTwistOrTooShortIsNoKey() {
        assertEquals("", detect(keys("4711#", 100, 80, 5000, 7, 10)), "column 7 dB above the row");
        assertEquals("", detect(keys("4711#", 20, 80, 5000, 0, 10)), "20 ms is shorter than Q.24's minimum");
    }

    @Test
    void noiseAndSingleTonesAreNoKeys() {
        short[] s = new short[8000 * 10];
        Random rnd = new Random(5);
        for (int i = 0; i < s.length; i++) {
            double t = i / 8000.0;
            s[i] = (short) (3000 * rnd.nextGaussian() + 8000 * Math.sin(2 * Math.PI * 697 * t)
                    * (i % 16000 < 8000 ? 1 : 0) + 6000 * Math.sin(2 * Math.PI * 1336 * t) * (i % 16000 >= 8000 ? 1 : 0));
        }
        assertEquals("", detect(s));
    }

    @Test
    void musicLikeChordsAreNoKeys() {
        // Harmonic tones (fundamental plus overtones) stepping through a scale, several voices at
        // once, with vibrato: a rough stand-in for music on hold. Ten minutes of it.
        int n = 8000 * 600;
        short[] s = new short[n];
        double[] scale = {261.6, 293.7, 329.6, 349.2, 392.0, 440.0, 493.9, 523.3, 587.3, 659.3, 698.5, 784.0};
        Random rnd = new Random(11);
        double[] voices = new double[3];
        double[] phase = new double[3];
        for (int i = 0; i < n; i++) {
            if (i % 2000 == 0) {
                for (int v = 0; v < 3; v++) {
                    voices[v] = scale[rnd.nextInt(scale.length)] * (v == 0 ? 0.5 : 1);
                }
            }
            double t = i / 8000.0;
            double x = 0;
            for (int v = 0; v < 3; v++) {
                double f = voices[v] * (1 + 0.004 * Math.sin(2 * Math.PI * 5 * t));
                phase[v] += 2 * Math.PI * f / 8000;
                for (int h = 1; h <= 4; h++) {
                    x += 2500.0 / h * Math.sin(h * phase[v]);
                }
            }
            s[i] = (short) Math.max(-32768, Math.min(32767, x));
        }
        String found = detect(s);
        System.out.printf("in-band DTMF on music-like chords: %d false detections in 10 min (%d per hour)%n",
                found.length(), found.length() * 6);
        assertEquals("", found);
    }
}
