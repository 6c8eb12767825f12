package org.confbridge.media.codec;

/**
 * G.711 µ-law (PCMU) or A-law (PCMA) at 8 kHz, one byte per sample. Loss is concealed by
 * repeating the last packet with a fade (G.711 Appendix I in spirit, without its pitch search),
 * so a single lost packet is hardly heard and longer gaps fade to silence instead of buzzing.
 */
public final class G711Codec implements AudioEncoder, AudioDecoder {
    private static final int HISTORY = 480;

    private final boolean ulaw;
    private final short[] last = new short[HISTORY];
    private int lastLength;
    private int concealed;

    private G711Codec(boolean ulaw) {
        this.ulaw = ulaw;
    }

    public static G711Codec ulaw() {
        return new G711Codec(true);
    }

    public static G711Codec alaw() {
        return new G711Codec(false);
    }

    @Override
    public int sampleRate() {
        return 8000;
    }

    @Override
    public int bytesPerSecond() {
        return 8000;
    }

    @Override
    public int encode(short[] pcm, int off, int samples, byte[] out, int outOff) {
        if (ulaw) {
            for (int i = 0; i < samples; i++) {
                out[outOff + i] = G711.encodeUlaw(pcm[off + i]);
            }
        } else {
            for (int i = 0; i < samples; i++) {
                out[outOff + i] = G711.encodeAlaw(pcm[off + i]);
            }
        }
        return samples;
    }

    @Override
    public int decode(byte[] payload, int off, int len, short[] out, int outOff) {
        if (ulaw) {
            for (int i = 0; i < len; i++) {
                out[outOff + i] = G711.decodeUlaw(payload[off + i]);
            }
        } else {
            for (int i = 0; i < len; i++) {
                out[outOff + i] = G711.decodeAlaw(payload[off + i]);
            }
        }
        lastLength = Math.min(len, HISTORY);
        System.arraycopy(out, outOff + len - lastLength, last, 0, lastLength);
        concealed = 0;
        return len;
    }

    @Override
    public void conceal(short[] out, int outOff, int samples) {
        // Each concealed packet is 6 dB quieter than the one before: after ~60 ms it is inaudible.
        concealed++;
        int shift = concealed;
        for (int i = 0; i < samples; i++) {
            out[outOff + i] = lastLength == 0 || shift > 15 ? 0 : (short) (last[i % lastLength] >> shift);
        }
    }
}
