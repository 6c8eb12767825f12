package org.confbridge.media.room;

import org.confbridge.media.codec.CodecRegistry;

import org.confbridge.media.codec.AudioEncoder;
import org.confbridge.media.mix.MixBus;

/**
 * The room's full mix encoded once per codec for every leg of that codec that is not talking,
 * and the codec's silence for legs in the lobby. Encoded at most once per tick and only when a
 * leg asks for it in that tick. Lives on the room's loop.
 */
final class SharedEncoding {
    final String codec;
    private final AudioEncoder encoder;
    private final MixBus.Band band;
    private final byte[] payload;
    private int length;
    private long encodedTick = -1;
    final byte[] silencePayload;
    final int silenceLength;

    SharedEncoding(String codec, MixSettings settings, MixBus.Band band) {
        this.codec = codec;
        this.encoder = CodecRegistry.encoder(codec, settings.sampleRate(), settings.opusLibrary());
        this.band = band;
        int frame = band.frameSamples();
        int max = CodecRegistry.maxFramePayload(encoder);
        this.payload = new byte[max];
        this.silencePayload = new byte[max];
        // Silence from an encoder of its own: the shared one keeps its state for the mix.
        try (AudioEncoder silence = CodecRegistry.encoder(codec, settings.sampleRate(), settings.opusLibrary())) {
            this.silenceLength = silence.encode(new short[frame], 0, frame, silencePayload, 0);
        }
    }

    /** Frees the encoder's state (on the room's loop, when the room closes). */
    void close() {
        encoder.close();
    }

    /** The full mix of tick {@code tick} at the codec's rate, encoded on the first call of that tick. */
    byte[] payload(MixBus bus, long tick) {
        if (encodedTick != tick) {
            encodedTick = tick;
            short[] mix = bus.fullMix(band);
            length = encoder.encode(mix, 0, mix.length, payload, 0);
        }
        return payload;
    }

    /** Length of the payload returned for the current tick. */
    int length() {
        return length;
    }
}
