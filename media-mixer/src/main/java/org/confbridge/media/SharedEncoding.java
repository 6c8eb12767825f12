package org.confbridge.media;

import org.confbridge.media.codec.AudioEncoder;
import org.confbridge.media.codec.Resampler;

/**
 * The room's full mix encoded once per codec for every leg of that codec that is not talking,
 * and the codec's silence for legs in the lobby. Encoded at most once per tick and only when a
 * leg asks for it in that tick. Lives on the room's loop.
 */
final class SharedEncoding {
    final String codec;
    private final AudioEncoder encoder;
    private final Resampler downsampler;
    private final short[] codecFrame;
    private final byte[] payload;
    private int length;
    private long encodedTick = -1;
    final byte[] silencePayload;
    final int silenceLength;

    SharedEncoding(String codec, MediaSettings settings) {
        this.codec = codec;
        this.encoder = CodecRegistry.encoder(codec, settings.sampleRate());
        this.downsampler = new Resampler(settings.sampleRate(), encoder.sampleRate(), settings.frameSamples());
        this.codecFrame = new short[encoder.sampleRate() / 50];
        int max = CodecRegistry.maxFramePayload(encoder);
        this.payload = new byte[max];
        this.silencePayload = new byte[max];
        // Silence from an encoder of its own: the shared one keeps its state for the mix.
        this.silenceLength = CodecRegistry.encoder(codec, settings.sampleRate())
                .encode(new short[codecFrame.length], 0, codecFrame.length, silencePayload, 0);
    }

    /** The mix of tick {@code tick}, encoded on the first call of that tick. */
    byte[] payload(short[] mix, long tick) {
        if (encodedTick != tick) {
            encodedTick = tick;
            int n = downsampler.process(mix, 0, mix.length, codecFrame, 0);
            length = encoder.encode(codecFrame, 0, n, payload, 0);
        }
        return payload;
    }

    /** Length of the payload returned for the current tick. */
    int length() {
        return length;
    }
}
