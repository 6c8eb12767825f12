package org.confbridge.core.it;

import org.confbridge.media.testing.Tone;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one listener heard in a stretch of decoded audio, judged as a user would: a tone is heard,
 * or it is not, and one's own voice does not come back. The one place the integration tests say
 * "hears X, not Y".
 */
final class Heard {
    /** Below this level a tone is not heard (about 40 dB under a talker at half scale). */
    static final double SILENT = 300;

    private final String who;
    private final short[] samples;
    private final int from;
    private final int to;
    private final int rate;

    private Heard(String who, short[] samples, int from, int to, int rate) {
        this.who = who;
        this.samples = samples;
        this.from = Math.max(0, from);
        this.to = to;
        this.rate = rate;
    }

    /** Samples {@code [from, to)} of what {@code who} heard at {@code rate} Hz. */
    static Heard by(String who, short[] samples, int from, int to, int rate) {
        return new Heard(who, samples, from, to, rate);
    }

    /** From sample {@code from} to the end of what {@code who} heard (8 kHz, as an RTP peer decodes). */
    static Heard since(String who, short[] samples, int from) {
        return new Heard(who, samples, from, samples.length, 8000);
    }

    /** The last {@code seconds} of what {@code who} heard (8 kHz). */
    static Heard last(String who, short[] samples, double seconds) {
        return new Heard(who, samples, samples.length - (int) (seconds * 8000), samples.length, 8000);
    }

    /** The tone's level over the whole window: what must not be heard is measured so. */
    double level(double hz) {
        return ToneMeter.level(samples, from, to, hz, rate);
    }

    /** The tone's level as a listener hears it (see {@link Tone#heardLevel}). */
    double heardLevel(double hz) {
        return Tone.heardLevel(samples, from, to, hz, rate);
    }

    /** Asserts {@code hz} is heard at {@code atLeast} or more. */
    Heard hears(double hz, double atLeast, String what) {
        double l = heardLevel(hz);
        assertTrue(l > atLeast, who + " hears " + what + " (" + hz + " Hz): level " + l);
        return this;
    }

    /** Asserts {@code hz} is not heard. */
    Heard hearsNot(double hz, String what) {
        double l = level(hz);
        assertTrue(l < SILENT, who + " does not hear " + what + " (" + hz + " Hz): level " + l);
        return this;
    }

    /** Asserts the others' {@code otherHz} is heard and one's own {@code ownHz} comes back 40 dB under it at most. */
    Heard hearsOtherNotOwn(double otherHz, double atLeast, double ownHz) {
        double other = heardLevel(otherHz);
        double own = level(ownHz);
        assertTrue(other > atLeast, who + " hears the other's " + otherHz + " Hz: level " + other);
        assertTrue(own < other / 100, who + " does not hear its own " + ownHz + " Hz: " + own + " against " + other);
        return this;
    }
}
