package org.confbridge.media.audio;

import java.util.Objects;
import org.confbridge.media.codec.Resampler;

/** A short piece of mono 16-bit audio held in memory: a voice prompt or a tone. Immutable. */
public final class AudioClip {
    private final String name;
    private final short[] samples;
    private final int sampleRate;

    public AudioClip(String name, short[] samples, int sampleRate) {
        this.name = Objects.requireNonNull(name, "name");
        this.samples = samples.clone();
        this.sampleRate = sampleRate;
    }

    public String name() {
        return name;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int length() {
        return samples.length;
    }

    /** Sample {@code i}; the mixer reads clips frame by frame without copying them. */
    public short sample(int i) {
        return samples[i];
    }

    /** Copies the frame starting at {@code pos} into {@code out}, padding with silence past the end. */
    public void frame(int pos, short[] out) {
        int n = Math.max(0, Math.min(out.length, samples.length - pos));
        System.arraycopy(samples, pos, out, 0, n);
        java.util.Arrays.fill(out, n, out.length, (short) 0);
    }

    public double seconds() {
        return (double) samples.length / sampleRate;
    }

    /** This clip at another rate (the mixer plays clips at the room rate). */
    public AudioClip resampledTo(int rate) {
        if (rate == sampleRate) {
            return this;
        }
        int frame = sampleRate / 50;
        Resampler r = new Resampler(sampleRate, rate, frame);
        int frames = (samples.length + frame - 1) / frame;
        short[] in = new short[frames * frame];
        System.arraycopy(samples, 0, in, 0, samples.length);
        short[] out = new short[r.outputLength(in.length)];
        int o = 0;
        for (int f = 0; f < frames; f++) {
            o += r.process(in, f * frame, frame, out, o);
        }
        return new AudioClip(name, out, rate);
    }

    /** A sine beep, e.g. the join tone. */
    public static AudioClip tone(String name, int rate, double[] frequencies, int millis, int amplitude) {
        int n = rate * millis / 1000;
        short[] s = new short[n];
        int ramp = Math.min(n / 4, rate / 200); // 5 ms fade in and out: no clicks
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (double f : frequencies) {
                v += Math.sin(2 * Math.PI * f * i / rate);
            }
            double env = Math.min(1.0, Math.min(i, n - 1 - i) / (double) Math.max(1, ramp));
            s[i] = (short) Math.round(amplitude * env * v / frequencies.length);
        }
        return new AudioClip(name, s, rate);
    }

    /** Clips played one after the other. */
    public static AudioClip concat(String name, AudioClip... parts) {
        int rate = parts[0].sampleRate;
        int total = 0;
        for (AudioClip c : parts) {
            if (c.sampleRate != rate) {
                throw new IllegalArgumentException("clips differ in rate");
            }
            total += c.samples.length;
        }
        short[] s = new short[total];
        int o = 0;
        for (AudioClip c : parts) {
            System.arraycopy(c.samples, 0, s, o, c.samples.length);
            o += c.samples.length;
        }
        return new AudioClip(name, s, rate);
    }

    /** Silence of the given length. */
    public static AudioClip silence(int rate, int millis) {
        return new AudioClip("silence", new short[rate * millis / 1000], rate);
    }

    @Override
    public String toString() {
        return name + " (" + String.format(java.util.Locale.ROOT, "%.1f", seconds()) + " s)";
    }
}
