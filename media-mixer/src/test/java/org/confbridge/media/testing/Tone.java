package org.confbridge.media.testing;

/** Test signals and measurements: sine generation, RMS, Goertzel band energy. */
public final class Tone {
    private Tone() {
    }

    public static short[] sine(double freq, int rate, int samples, int amplitude) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return s;
    }

    public static double rms(short[] s, int off, int n) {
        double sum = 0;
        for (int i = off; i < off + n; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / n);
    }

    /** Goertzel power of {@code freq} normalised to the RMS amplitude of a pure tone at that frequency. */
    /**
     * The level of {@code freq} in {@code s[from..to)} as a listener hears it: the median of its
     * 200 ms blocks (the whole window where it holds fewer than three). A late or lost packet
     * breaks a tone's phase, which costs a window-long measurement most of its level but a
     * listener only a click; in blocks it costs one block.
     */
    public static double heardLevel(short[] s, int from, int to, double freq, int rate) {
        int block = rate / 5;
        int blocks = (to - from) / block;
        if (blocks < 3) {
            return to <= from ? 0 : goertzel(s, from, to - from, freq, rate);
        }
        double[] levels = new double[blocks];
        for (int i = 0; i < blocks; i++) {
            levels[i] = goertzel(s, from + i * block, block, freq, rate);
        }
        java.util.Arrays.sort(levels);
        return levels[blocks / 2];
    }

    public static double goertzel(short[] s, int off, int n, double freq, int rate) {
        double coeff = 2 * Math.cos(2 * Math.PI * freq / rate);
        double q1 = 0;
        double q2 = 0;
        for (int i = off; i < off + n; i++) {
            double q0 = coeff * q1 - q2 + s[i];
            q2 = q1;
            q1 = q0;
        }
        double power = q1 * q1 + q2 * q2 - coeff * q1 * q2;
        return Math.sqrt(2 * power) / n;
    }

    /** The strongest frequency in 5 Hz steps up to {@code maxFreq}, over the second half of the signal. */
    public static double dominantFrequency(short[] s, int rate, double maxFreq) {
        int n = s.length / 2;
        double best = 0;
        double bestPower = -1;
        for (double f = 50; f <= maxFreq; f += 5) {
            double p = goertzel(s, s.length - n, n, f, rate);
            if (p > bestPower) {
                bestPower = p;
                best = f;
            }
        }
        return best;
    }
}
