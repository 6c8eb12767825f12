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

    void conceal(short[] out, int off, int samples) {
        concealed++;
        int shift = concealed;
        for (int i = 0; i < samples; i++) {
            out[off + i] = lastLength == 0 || shift > 15 ? 0 : (short) (last[i % lastLength] >> shift);
        }
    }
}
