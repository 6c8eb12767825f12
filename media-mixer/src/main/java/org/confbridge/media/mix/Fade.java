package org.confbridge.media.mix;

/**
 * Linear gain ramps over one frame, in place: a voice let into the mix or taken out of it while
 * talking starts or stops over 20 ms instead of in one sample, which would click.
 */
public final class Fade {
    private Fade() {
    }

    /** Gain rising from 1/n at the first sample to 1 at the last. */
    public static void in(short[] frame) {
        int n = frame.length;
        for (int i = 0; i < n; i++) {
            frame[i] = (short) (frame[i] * (i + 1) / n);
        }
    }

    /** Gain falling from (n-1)/n at the first sample to 0 at the last. */
    public static void out(short[] frame) {
        int n = frame.length;
        for (int i = 0; i < n; i++) {
            frame[i] = (short) (frame[i] * (n - 1 - i) / n);
        }
    }
}
