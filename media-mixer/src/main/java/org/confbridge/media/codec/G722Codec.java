package org.confbridge.media.codec;

/**
 * G.722 at 64 kbit/s as an RTP codec: 16 kHz audio, 160 bytes per 20 ms. Its RTP clock rate is
 * 8000 (RFC 3551 keeps the value G.722 was first registered with), so timestamps advance by half
 * the number of samples. Loss is concealed by repeating the last packet's audio with a fade.
 */
public final class G722Codec implements AudioEncoder, AudioDecoder {
    private final G722 encoderState = new G722();
    private final G722 decoderState = new G722();
    private final FadingRepeat concealment = new FadingRepeat(960);

    @Override
    public int sampleRate() {
        return 16000;
    }

    @Override
    public int bytesPerSecond() {
        return 8000;
    }

    @Override
    public int encode(short[] pcm, int off, int samples, byte[] out, int outOff) {
        return encoderState.encode(pcm, off, samples, out, outOff);
    }

    @Override
    public int decodedSamples(byte[] payload, int off, int len) {
        return 2 * len;
    }

    @Override
    public int decode(byte[] payload, int off, int len, short[] out, int outOff) {
        int n = decoderState.decode(payload, off, len, out, outOff);
        concealment.remember(out, outOff, n);
        return n;
    }

    @Override
    public void conceal(short[] out, int outOff, int samples) {
        concealment.conceal(out, outOff, samples);
    }
}
