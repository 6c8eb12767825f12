package org.confbridge.media.mix;

import java.util.Arrays;
import org.confbridge.media.codec.Resampler;

/**
 * The arithmetic of one room's mix for one tick, apart from any I/O. Every contributing input is
 * summed once, at its own codec's rate, into the {@code int} accumulator of that rate's
 * {@link Band}. The full mix at a rate is that band's sum plus the other bands' sums converted
 * to it, computed at most once per tick and only when someone needs it. A contributor hears
 * {@code mix - own} at its own rate; everyone else hears the same full mix. Both go through the
 * {@link SoftLimiter}.
 *
 * <p>Resampling is linear, so converting each band's sum once is the same as converting each
 * voice: a room of G.711 callers mixed for a 16 kHz room resamples two frames per tick, not two
 * per talker. Preallocated; allocates nothing per tick once the rates in use are known.
 */
public final class MixBus {
    private Band[] bands = new Band[0];
    private long tick;
    private int contributors;

    /** The band of {@code rate}, created on first use together with its converters to and from the others. */
    public Band band(int rate) {
        for (Band b : bands) {
            if (b.rate == rate) {
                return b;
            }
        }
        Band created = new Band(rate, bands.length);
        Band[] grown = Arrays.copyOf(bands, bands.length + 1);
        grown[bands.length] = created;
        for (Band b : grown) {
            b.converters = Arrays.copyOf(b.converters, grown.length);
        }
        for (Band b : bands) {
            created.converters[b.index] = new Resampler(b.rate, rate, b.frame);
            b.converters[created.index] = new Resampler(rate, b.rate, created.frame);
        }
        bands = grown;
        return created;
    }

    /** Starts a new tick. */
    public void clear() {
        tick++;
        contributors = 0;
        for (Band b : bands) {
            // A band's sum is non-zero only in a tick it had contributors.
            if (b.contributors > 0) {
                Arrays.fill(b.sum, 0);
                b.contributors = 0;
            }
        }
    }

    /** Adds one contributor's frame (at the band's rate) to the sum. */
    public void add(Band band, short[] in) {
        int[] sum = band.sum;
        for (int i = 0; i < sum.length; i++) {
            sum[i] += in[i];
        }
        band.contributors++;
        contributors++;
    }

    /** Adds a frame at a gain in 1/256 steps (announcements, tones under speech). */
    public void add(Band band, short[] in, int gainQ8) {
        int[] sum = band.sum;
        for (int i = 0; i < sum.length; i++) {
            sum[i] += (in[i] * gainQ8) >> 8;
        }
        band.contributors++;
        contributors++;
    }

    /** Contributors summed this tick, over all bands. */
    public int contributors() {
        return contributors;
    }

    /** The full mix at the band's rate, limited to 16 bits: what every non-contributor there hears. */
    public short[] fullMix(Band band) {
        if (band.limitedTick != tick) {
            band.limitedTick = tick;
            limitInto(mix(band), null, band.fullMix);
        }
        return band.fullMix;
    }

    /** Writes what contributor {@code own} (at the band's rate) hears: everyone but itself. */
    public void mixMinus(Band band, short[] own, short[] out) {
        limitInto(mix(band), own, out);
    }

    /**
     * {@code out = limit(mix - own)}. Nearly every frame stays below the limiter's knee, so a
     * straight pass (which the JIT vectorises) checks the range, and only a loud frame takes the
     * per-sample curve.
     */
    private static void limitInto(int[] mix, short[] own, short[] out) {
        // v is within [-KNEE, KNEE] exactly when both t and 2*KNEE - t are non-negative; OR-ing
        // them collects any sign bit without a branch.
        int outside = 0;
        if (own == null) {
            for (int i = 0; i < mix.length; i++) {
                int v = mix[i];
                out[i] = (short) v;
                int t = v + SoftLimiter.KNEE;
                outside |= t | (2 * SoftLimiter.KNEE - t);
            }
        } else {
            for (int i = 0; i < mix.length; i++) {
                int v = mix[i] - own[i];
                out[i] = (short) v;
                int t = v + SoftLimiter.KNEE;
                outside |= t | (2 * SoftLimiter.KNEE - t);
            }
        }
        if (outside < 0) {
            for (int i = 0; i < mix.length; i++) {
                out[i] = SoftLimiter.limit(own == null ? mix[i] : mix[i] - own[i]);
            }
        }
    }

    /** The unlimited sum of everyone at the band's rate, built once per tick. */
    private int[] mix(Band band) {
        if (band.mixTick == tick) {
            return band.mix;
        }
        band.mixTick = tick;
        int[] mix = band.mix;
        System.arraycopy(band.sum, 0, mix, 0, mix.length);
        for (Band from : bands) {
            if (from == band) {
                continue;
            }
            boolean input = from.contributors > 0;
            if (!input && band.flushed[from.index]) {
                // Silence into a filter that holds only silence: nothing to add.
                band.convertedTick[from.index] = tick;
                continue;
            }
            Resampler converter = band.converters[from.index];
            if (band.convertedTick[from.index] != tick - 1) {
                converter.reset(); // nobody needed this rate for a while: stale history would click
            }
            converter.processAdd(from.sum, 0, from.frame, mix, 0);
            band.convertedTick[from.index] = tick;
            // A whole frame of silence is longer than the filter: its history is silence now.
            band.flushed[from.index] = !input;
        }
        return mix;
    }

    /** The voices of one sample rate in a room, and their mix at that rate. */
    public static final class Band {
        private static final int MAX_BANDS = 8;

        final int rate;
        final int frame;
        final int index;
        final int[] sum;
        final int[] mix;
        final short[] fullMix;
        int contributors;
        long mixTick = -1;
        long limitedTick = -1;
        /** By source band: the converter into this rate, the tick it last ran, whether it holds only silence. */
        Resampler[] converters = new Resampler[0];
        final long[] convertedTick = new long[MAX_BANDS];
        final boolean[] flushed = new boolean[MAX_BANDS];

        Band(int rate, int index) {
            if (index >= MAX_BANDS) {
                throw new IllegalStateException("more than " + MAX_BANDS + " sample rates in one room");
            }
            this.rate = rate;
            this.frame = rate / 50;
            this.index = index;
            this.sum = new int[frame];
            this.mix = new int[frame];
            this.fullMix = new short[frame];
            Arrays.fill(convertedTick, -2);
            Arrays.fill(flushed, true);
        }

        public int rate() {
            return rate;
        }

        /** Samples in one 20 ms frame at this rate. */
        public int frameSamples() {
            return frame;
        }
    }
}
