package org.confbridge.media.codec;

/**
 * Opus as an RTP codec. The RTP clock is always 48 kHz (RFC 7587), but the codec runs at the room
 * rate, so no resampling is needed. Mono in and out (a stereo stream is down-mixed by the
 * decoder). A lost packet is rebuilt from the next packet's in-band FEC when it has some, else by
 * Opus's own concealment; a corrupt packet counts as lost. Which {@link OpusLibrary} does the work
 * is chosen per instance.
 */
public final class OpusCodec implements AudioEncoder, AudioDecoder {
    /** The largest payload we produce or accept. */
    public static final int MAX_PAYLOAD = 1275;

    private final int rate;
    private final int bitrate;
    private final int maxFrame;
    private final OpusLibrary library;
    // Made on first use: a leg uses one instance to decode and another to encode.
    private OpusLibrary.Encoder encoder;
    private OpusLibrary.Decoder decoder;

    /** Concentus (pure Java) at {@code rate}, encoding at {@code bitrate} bit/s. */
    public OpusCodec(int rate, int bitrate) {
        this(rate, bitrate, OpusLibrary.CONCENTUS);
    }

    /**
     * @param rate    the room rate: 8000, 12000, 16000, 24000 or 48000
     * @param bitrate encoder bit rate in bit/s
     * @param library the implementation; it must be available here
     */
    public OpusCodec(int rate, int bitrate, OpusLibrary library) {
        if (rate != 8000 && rate != 12000 && rate != 16000 && rate != 24000 && rate != 48000) {
            throw new IllegalArgumentException("Opus cannot run at " + rate + " Hz");
        }
        String unavailable = library.unavailableReason();
        if (unavailable != null) {
            throw new IllegalStateException("Opus library " + library.spelling() + ": " + unavailable);
        }
        this.rate = rate;
        this.bitrate = bitrate;
        this.maxFrame = rate * 120 / 1000;
        this.library = library;
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
        if (encoder == null) {
            encoder = library.encoder(rate, bitrate);
        }
        // On an error nothing is sent for this frame; the far end conceals it.
        return Math.max(0, encoder.encode(pcm, off, samples, out, outOff, MAX_PAYLOAD));
    }

    @Override
    public int decode(byte[] payload, int off, int len, short[] out, int outOff) {
        // Never more than fits: a packet longer than the room left in out is a lost packet.
        int n = decoder().decode(payload, off, len, out, outOff, Math.min(maxFrame, out.length - outOff), false);
        if (n < 0) {
            n = rate / 50;
            conceal(out, outOff, n);
        }
        return n;
    }

    @Override
    public void conceal(short[] out, int outOff, int samples) {
        if (decoder().decode(null, 0, 0, out, outOff, samples, false) < 0) {
            java.util.Arrays.fill(out, outOff, outOff + samples, (short) 0);
        }
    }

    @Override
    public boolean recover(byte[] next, int off, int len, short[] out, int outOff, int samples) {
        return decoder().decode(next, off, len, out, outOff, samples, true) >= 0;
    }

    private OpusLibrary.Decoder decoder() {
        if (decoder == null) {
            decoder = library.decoder(rate);
        }
        return decoder;
    }

    /** Frees the library's state; a later call starts a fresh one. */
    @Override
    public void close() {
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
    }
}
