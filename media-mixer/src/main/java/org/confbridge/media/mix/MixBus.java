package org.confbridge.media.mix;

/**
 * The arithmetic of one room's mix for one tick, apart from any I/O: every contributing input is
 * summed once into an {@code int} accumulator; a contributor hears {@code sum - own}; everyone
 * else hears the same full mix, computed once. Both go through the {@link SoftLimiter}.
 * Preallocated for a fixed frame size; allocates nothing per tick.
 */
public final class MixBus {
    private final int frame;
    private final int[] sum;
    private final short[] fullMix;
    private int contributors;

    public MixBus(int frameSamples) {
        this.frame = frameSamples;
        this.sum = new int[frameSamples];
        this.fullMix = new short[frameSamples];
    }

    public int frameSamples() {
        return frame;
    }

    /** Starts a new tick. */
    public void clear() {
        java.util.Arrays.fill(sum, 0);
        contributors = 0;
    }

    /** Adds one contributor's frame to the sum. */
    public void add(short[] in) {
        for (int i = 0; i < frame; i++) {
            sum[i] += in[i];
        }
        contributors++;
    }

    /** Adds a frame at a gain in 1/256 steps (announcements, tones under speech). */
    public void add(short[] in, int gainQ8) {
        for (int i = 0; i < frame; i++) {
            sum[i] += (in[i] * gainQ8) >> 8;
        }
        contributors++;
    }

    public int contributors() {
        return contributors;
    }

    /** Computes the full mix that every non-contributor hears; call once after all {@code add}s. */
    public short[] fullMix() {
        for (int i = 0; i < frame; i++) {
            fullMix[i] = SoftLimiter.limit(sum[i]);
        }
        return fullMix;
    }

    /** Writes what contributor {@code own} hears: everyone but itself. */
    public void mixMinus(short[] own, short[] out) {
        for (int i = 0; i < frame; i++) {
            out[i] = SoftLimiter.limit(sum[i] - own[i]);
        }
    }
}
