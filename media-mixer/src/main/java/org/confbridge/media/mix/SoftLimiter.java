package org.confbridge.media.mix;

/**
 * Brings a sum of voices back into 16 bits without hard clipping: below the knee (-2.5 dBFS) a
 * sample passes unchanged; above it, the excess is compressed smoothly towards full scale, which
 * it approaches but never reaches. The curve is continuous with slope 1 at the knee, so loud
 * overlaps sound louder, not distorted.
 */
public final class SoftLimiter {
    static final int KNEE = 24576;
    private static final int HEADROOM = Short.MAX_VALUE - KNEE;

    private SoftLimiter() {
    }

    public static short limit(int v) {
        if (v >= -KNEE && v <= KNEE) {
            return (short) v;
        }
        // In double: a 64-bit integer division per sample was a third of a tick with 400 talking.
        double x = Math.abs((double) v) - KNEE;
        int y = KNEE + (int) (HEADROOM * x / (x + HEADROOM));
        return (short) (v < 0 ? -y : y);
    }
}
