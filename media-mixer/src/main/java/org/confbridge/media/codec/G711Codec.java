package org.confbridge.media.codec;

/**
 * G.711 µ-law (PCMU) or A-law (PCMA) at 8 kHz, one byte per sample. Loss is concealed by
 * repeating the last packet with a fade (G.711 Appendix I in spirit, without its pitch search).
 */
public final class G711Codec implements AudioEncoder, AudioDecoder {
    private final boolean ulaw;
    private final FadingRepeat concealment = new FadingRepeat(480);

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
    public int decodedSamples(byte[] payload, int off, int len) {
        return len;
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
        concealment.remember(out, outOff, len);
        return len;
    }

    @Override
    public void conceal(short[] out, int outOff, int samples) {
        concealment.conceal(out, outOff, samples);
    }
}
