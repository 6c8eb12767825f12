package org.confbridge.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.confbridge.media.testing.Tone;
import org.junit.jupiter.api.Test;

class ResamplerTest {
    @Test
    void upsamplingKeepsToneFrequencyAndLevel() {
        short[] out = run(8000, 16000, 1000, 50);
        assertEquals(1000, Tone.dominantFrequency(out, 16000, 4000), 10);
        double rms = Tone.rms(out, out.length / 2, out.length / 2);
        assertEquals(10000 / Math.sqrt(2), rms, 10000 / Math.sqrt(2) * 0.05);
    }

    @Test
    void downsamplingRemovesWhatCannotBeRepresented() {
        // 6 kHz at 16 kHz would alias to 2 kHz at 8 kHz: a proper filter removes it instead.
        short[] out = run(16000, 8000, 6000, 50);
        double rms = Tone.rms(out, out.length / 2, out.length / 2);
        assertTrue(rms < 10000 / Math.sqrt(2) * 0.01, "alias level " + rms);
    }

    @Test
    void downsamplingPassesSpeechBand() {
        short[] out = run(16000, 8000, 1000, 50);
        assertEquals(1000, Tone.dominantFrequency(out, 8000, 3500), 10);
    }

    @Test
    void wideRatiosWork() {
        short[] up = run(8000, 48000, 440, 20);
        assertEquals(440, Tone.dominantFrequency(up, 48000, 4000), 10);
        short[] down = run(48000, 16000, 440, 20);
        assertEquals(440, Tone.dominantFrequency(down, 16000, 4000), 10);
    }

    private static short[] run(int inRate, int outRate, double freq, int frames) {
        int inFrame = inRate / 50;
        Resampler r = new Resampler(inRate, outRate, inFrame);
        short[] in = Tone.sine(freq, inRate, inFrame * frames, 10000);
        short[] out = new short[r.outputLength(in.length)];
        int o = 0;
        for (int f = 0; f < frames; f++) {
            o += r.process(in, f * inFrame, inFrame, out, o);
        }
        assertEquals(out.length, o);
        return out;
    }
}
