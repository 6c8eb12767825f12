package org.confbridge.media.codec;

/**
 * G.711 µ-law (PCMU) or A-law (PCMA) at 8 kHz, one byte per sample. Loss is concealed by
 * repeating the last packet with a fade (G.711 Appendix I in spirit, without its pitch search).
 */
public final class G711Codec implements AudioEncoder, AudioDecoder {
    private final boolean ulaw;
    /**
     * The last packet as received, decoded for {@link #concealment} only if a loss follows: keeping
     * 160 bytes instead of 320 of samples halves what a large room writes per leg per tick.
     */
    private final byte[] last = new byte[480];
    /** Bytes of {@link #last} not yet handed to {@link #concealment}; 0 once they are. */
    private int lastLength;
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
        lastLength = Math.min(len, last.length);
        System.arraycopy(payload, off + len - lastLength, last, 0, lastLength);
        return len;
    }

    /** Each byte is a sample: the level is the mean of their magnitudes, exactly what decoding would give. */
    @Override
    public int meanLevel(byte[] payload, int off, int len) {
        if (len <= 0) {
            return 0;
        }
        int sum = 0;
        if (ulaw) {
            for (int i = 0; i < len; i++) {
                sum += G711.magnitudeUlaw(payload[off + i]);
            }
        } else {
            for (int i = 0; i < len; i++) {
                sum += G711.magnitudeAlaw(payload[off + i]);
            }
        }
        return sum / len;
    }

    @Override
    public void skipped() {
        lastLength = 0;
        concealment.forget();
    }

    @Override
    public void conceal(short[] out, int outOff, int samples) {
        if (lastLength > 0) {
            // The first loss after a good packet: its samples become what the fade repeats.
            short[] repeat = concealment.rememberInto(lastLength);
            for (int i = 0; i < lastLength; i++) {
                repeat[i] = ulaw ? G711.decodeUlaw(last[i]) : G711.decodeAlaw(last[i]);
            }
            lastLength = 0;
        }
        concealment.conceal(out, outOff, samples);
    }
}
