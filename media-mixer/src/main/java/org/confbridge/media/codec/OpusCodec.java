package org.confbridge.media.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;

/**
 * Opus through Concentus (pure Java). The RTP clock is always 48 kHz (RFC 7587), but the codec
 * runs at the room rate, so no resampling is needed. Mono in and out (a stereo stream is
 * down-mixed by the decoder). A lost packet is rebuilt from the next packet's in-band FEC when
 * it has some, else by Opus's own concealment.
 */
public final class OpusCodec implements AudioEncoder, AudioDecoder {
    /** The largest payload we produce or accept. */
    public static final int MAX_PAYLOAD = 1275;

    private final int rate;
    private final OpusEncoder encoder;
    private final OpusDecoder decoder;
    private final int maxFrame;

    /**
     * @param rate the room rate: 8000, 16000 or 48000
     * @param bitrate encoder bit rate in bit/s
     */
    public OpusCodec(int rate, int bitrate) {
        this.rate = rate;
        this.maxFrame = rate * 120 / 1000;
        try {
            encoder = new OpusEncoder(rate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
            encoder.setBitrate(bitrate);
            encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
            encoder.setComplexity(5);
            encoder.setUseInbandFEC(true);
            encoder.setPacketLossPercent(5);
            decoder = new OpusDecoder(rate, 1);
        } catch (OpusException e) {
            throw new IllegalArgumentException("Opus cannot run at " + rate + " Hz: " + e.getMessage(), e);
        }
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    /** Frame-based: each 20 ms frame is one packet. */
    @Override
    public int bytesPerSecond() {
        return FRAME_BASED;
    }

    @Override
    public int encode(short[] pcm, int off, int samples, byte[] out, int outOff) {
        try {
            return encoder.encode(pcm, off, samples, out, outOff, MAX_PAYLOAD);
        } catch (OpusException e) {
            return 0; // nothing sent for this frame; the far end conceals it
        }
    }

    @Override
    public int decode(byte[] payload, int off, int len, short[] out, int outOff) {
        try {
            return decoder.decode(payload, off, len, out, outOff, maxFrame, false);
        } catch (OpusException e) {
            // A corrupt packet is a lost packet.
            int n = rate / 50;
            conceal(out, outOff, n);
            return n;
        }
    }

    @Override
    public void conceal(short[] out, int outOff, int samples) {
        try {
            decoder.decode(null, 0, 0, out, outOff, samples, false);
        } catch (OpusException e) {
            java.util.Arrays.fill(out, outOff, outOff + samples, (short) 0);
        }
    }

    @Override
    public boolean recover(byte[] next, int off, int len, short[] out, int outOff, int samples) {
        try {
            decoder.decode(next, off, len, out, outOff, samples, true);
            return true;
        } catch (OpusException e) {
            return false;
        }
    }
}
