package org.confbridge.media.codec;

/**
 * Packet-loss concealment for codecs without their own: repeats the last good packet's audio,
 * 6 dB quieter with each lost packet, so a single loss is hardly heard and a long gap fades out
 * instead of buzzing.
 */
final class FadingRepeat {
    private final short[] last;
    private int lastLength;
    private int concealed;

    FadingRepeat(int capacity) {
        last = new short[capacity];
    }

    void remember(short[] pcm, int off, int n) {
        lastLength = Math.min(n, last.length);
        System.arraycopy(pcm, off + n - lastLength, last, 0, lastLength);
        concealed = 0;
    }

    /**
     * For a codec that keeps its last packet in another form: the next {@code n} samples to repeat
     * are written by the caller into the returned array, from index 0 (at most its length).
     */
    short[] rememberInto(int n) {
        lastLength = Math.min(n, last.length);
        concealed = 0;
        return last;
    }

    /** Nothing to repeat: a loss from now on is silence. */
    void forget() {
        lastLength = 0;
        concealed = 0;
    }

    void conceal(short[] out, int off, int samples) {
        concealed++;
        int shift = concealed;
        for (int i = 0; i < samples; i++) {
            out[off + i] = lastLength == 0 || shift > 15 ? 0 : (short) (last[i % lastLength] >> shift);
        }
    }
}
