package org.confbridge.media.codec;

/**
 * Converts between the rates a bridge meets (8, 16, 48 kHz) by a rational factor L/M with a
 * polyphase windowed-sinc FIR (Kaiser window, about 70 dB stop band). Only the taps that meet a
 * real input sample are computed. One instance per stream: it keeps the filter history.
 */
public final class Resampler {
    private static final int TAPS_PER_PHASE = 32;
    private static final double KAISER_BETA = 7.0;

    private final int inRate;
    private final int outRate;
    private final int up;
    private final int down;
    private final int tapsPerPhase;
    /** Per phase, the taps in the order of the input samples they meet (oldest first), contiguous. */
    private final float[][] phaseTaps;
    private final int history;
    private final float[] buf;

    /**
     * @param maxFrame the largest number of input samples one {@link #process} call may pass
     */
    public Resampler(int inRate, int outRate, int maxFrame) {
        if (inRate <= 0 || outRate <= 0 || maxFrame <= 0) {
            throw new IllegalArgumentException("rates and frame must be positive");
        }
        int g = gcd(inRate, outRate);
        this.inRate = inRate;
        this.outRate = outRate;
        this.up = outRate / g;
        this.down = inRate / g;
        // Enough taps per phase for the steeper of the two filters (upsampling by L or decimating by M).
        // The filter's length in high-rate samples grows with the larger factor: a decimating
        // filter needs its taps spread over M input samples per output sample.
        this.tapsPerPhase = (TAPS_PER_PHASE * Math.max(up, down) + up - 1) / up;
        int n = tapsPerPhase * up;
        float[] taps = design(n, up, Math.min(inRate, outRate) * 0.45 / ((double) inRate * up));
        this.phaseTaps = new float[up][tapsPerPhase];
        for (int phase = 0; phase < up; phase++) {
            for (int j = 0; j < tapsPerPhase; j++) {
                // Tap phase + j*up meets sample newest - j: store it at tapsPerPhase - 1 - j.
                phaseTaps[phase][tapsPerPhase - 1 - j] = taps[phase + j * up];
            }
        }
        this.history = tapsPerPhase;
        this.buf = new float[history + maxFrame];
    }

    public int inRate() {
        return inRate;
    }

    public int outRate() {
        return outRate;
    }

    /** Output samples produced for {@code inSamples} input samples. */
    public int outputLength(int inSamples) {
        return (int) ((long) inSamples * up / down);
    }

    /**
     * Resamples {@code n} samples; {@code n * L} must be a multiple of M (true for 20 ms frames at
     * the supported rates). Returns the number of samples written to {@code out}.
     */
    public int process(short[] in, int inOff, int n, short[] out, int outOff) {
        if (up == 1 && down == 1) {
            System.arraycopy(in, inOff, out, outOff, n);
            return n;
        }
        for (int i = 0; i < n; i++) {
            buf[history + i] = in[inOff + i];
        }
        int outN = outputLength(n);
        for (int k = 0; k < outN; k++) {
            int v = Math.round(filter(k));
            out[outOff + k] = (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : Math.max(v, Short.MIN_VALUE));
        }
        System.arraycopy(buf, n, buf, 0, history);
        return outN;
    }

    /**
     * Resamples {@code n} samples of a sum (any {@code int} range, e.g. a room's unlimited mix) and
     * adds the result to {@code out}. Returns the number of samples added.
     */
    public int processAdd(int[] in, int inOff, int n, int[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            buf[history + i] = in[inOff + i];
        }
        int outN = outputLength(n);
        for (int k = 0; k < outN; k++) {
            out[outOff + k] += Math.round(filter(k));
        }
        System.arraycopy(buf, n, buf, 0, history);
        return outN;
    }

    /** Output sample {@code k} of the current block, from the history plus the block's input. */
    private float filter(int k) {
        long t = (long) history * up + (long) k * down;
        int phase = (int) (t % up);
        int oldest = (int) (t / up) - tapsPerPhase + 1;
        float[] h = phaseTaps[phase];
        float acc = 0f;
        // Both arrays walked forward and contiguously: the JIT unrolls this well.
        for (int j = 0; j < tapsPerPhase; j++) {
            acc += h[j] * buf[oldest + j];
        }
        return acc;
    }

    /** Forgets the history, e.g. after a stream restarts. */
    public void reset() {
        java.util.Arrays.fill(buf, 0f);
    }

    /** Low-pass prototype with cutoff {@code fc} (fraction of the high rate), DC gain {@code gain}. */
    private static float[] design(int n, int gain, double fc) {
        float[] h = new float[n];
        double mid = (n - 1) / 2.0;
        double norm = besselI0(KAISER_BETA);
        double sum = 0;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            double x = i - mid;
            double sinc = x == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * x) / (Math.PI * x);
            double r = 2.0 * i / (n - 1) - 1.0;
            double w = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
            d[i] = sinc * w;
            sum += d[i];
        }
        for (int i = 0; i < n; i++) {
            h[i] = (float) (d[i] * gain / sum);
        }
        return h;
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 50; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
            if (term < 1e-12 * sum) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
