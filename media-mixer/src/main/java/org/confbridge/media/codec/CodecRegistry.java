package org.confbridge.media.codec;

import java.util.List;
import java.util.Locale;
import org.confbridge.media.codec.AudioDecoder;
import org.confbridge.media.codec.AudioEncoder;
import org.confbridge.media.codec.G711Codec;
import org.confbridge.media.codec.G722Codec;
import org.confbridge.media.codec.OpusCodec;
import org.confbridge.media.codec.OpusLibrary;

/** The codecs the mixer can run, by their SDP encoding names (compared case-insensitively). */
public final class CodecRegistry {
    /** Encoding names this build supports, for SDP negotiation. */
    public static final List<String> SUPPORTED = List.of("opus", "G722", "PCMU", "PCMA");
    /** Opus bit rate for speech: wideband quality with room for FEC. */
    static final int OPUS_BITRATE = 32000;

    private CodecRegistry() {
    }

    public static boolean supports(String codec) {
        return SUPPORTED.stream().anyMatch(c -> c.equalsIgnoreCase(codec));
    }

    /** RTP clock rate of a codec (the rate in SDP's rtpmap, not always the audio rate). */
    public static int clockRate(String codec) {
        return switch (codec.toUpperCase(Locale.ROOT)) {
            case "PCMU", "PCMA", "G722" -> 8000;
            case "OPUS" -> 48000;
            default -> throw new IllegalArgumentException("unsupported codec " + codec);
        };
    }

    /** The largest payload one 20 ms frame of this encoder can take (per ptime packetizing comes on top). */
    public static int maxFramePayload(AudioEncoder encoder) {
        return encoder.bytesPerSecond() == AudioEncoder.FRAME_BASED ? OpusCodec.MAX_PAYLOAD : encoder.bytesPerSecond() / 50;
    }

    /**
     * The largest RTP payload the jitter buffer keeps for this codec: 120 ms of a constant-rate
     * codec (twice the longest ptime negotiated), or a full Ethernet frame for Opus. Sized to the
     * codec so that a large room's buffers stay small enough for the caches.
     */
    public static int maxPacketPayload(AudioEncoder encoder) {
        return encoder.bytesPerSecond() == AudioEncoder.FRAME_BASED ? 1500 : encoder.bytesPerSecond() * 120 / 1000;
    }

    /**
     * The payload of one packet at {@code ptimeMs} as negotiated (what a jitter buffer sizes its
     * slots for); 160 bytes for frame-based codecs (Opus at 32 kbit/s with FEC stays below it).
     */
    public static int packetPayload(AudioEncoder encoder, int ptimeMs) {
        return encoder.bytesPerSecond() == AudioEncoder.FRAME_BASED ? 160 : encoder.bytesPerSecond() * ptimeMs / 1000;
    }

    /**
     * An encoder for one stream; {@code roomRate} matters to codecs that can run at any rate
     * (Opus), and {@code opus} says which library runs Opus. Closed when the stream ends.
     */
    public static AudioEncoder encoder(String codec, int roomRate, OpusLibrary opus) {
        return create(codec, roomRate, opus);
    }

    /** A decoder for one stream, as {@link #encoder}. */
    public static AudioDecoder decoder(String codec, int roomRate, OpusLibrary opus) {
        return create(codec, roomRate, opus);
    }

    private static Object createRaw(String codec, int roomRate, OpusLibrary opus) {
        return switch (codec.toUpperCase(Locale.ROOT)) {
            case "PCMU" -> G711Codec.ulaw();
            case "PCMA" -> G711Codec.alaw();
            case "G722" -> new G722Codec();
            case "OPUS" -> new OpusCodec(roomRate, OPUS_BITRATE, opus);
            default -> throw new IllegalArgumentException("unsupported codec " + codec);
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> T create(String codec, int roomRate, OpusLibrary opus) {
        return (T) createRaw(codec, roomRate, opus);
    }
}
