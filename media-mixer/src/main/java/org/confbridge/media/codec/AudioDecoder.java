package org.confbridge.media.codec;

/** Decodes one RTP payload into 16-bit PCM at {@link #sampleRate()}. One instance per leg (it may keep state). */
public interface AudioDecoder extends AudioCodec {
    /** Decodes {@code len} payload bytes into {@code out} from {@code outOff}; returns the number of samples. */
    int decode(byte[] payload, int off, int len, short[] out, int outOff);

    /**
     * How many samples {@link #decode} will produce for this payload, or -1 when that is only
     * known by decoding it.
     */
    default int decodedSamples(byte[] payload, int off, int len) {
        return -1;
    }

    /**
     * Produces {@code samples} samples standing in for a lost packet (packet-loss concealment).
     * Called in order, in place of the packet that is missing.
     */
    void conceal(short[] out, int outOff, int samples);

    /**
     * Rebuilds a lost packet from redundancy carried in the packet after it (Opus in-band FEC).
     * Returns false when the codec has no such redundancy; then {@link #conceal} is used.
     */
    default boolean recover(byte[] next, int off, int len, short[] out, int outOff, int samples) {
        return false;
    }

    /**
     * The mean absolute sample value this payload decodes to, read from its bytes alone, or -1
     * when only decoding tells (codecs with state: G.722, Opus).
     */
    default int meanLevel(byte[] payload, int off, int len) {
        return -1;
    }

    /**
     * A packet was played without being decoded (too quiet to matter): a loss after it is
     * concealed from silence, not from older audio.
     */
    default void skipped() {
    }
}
