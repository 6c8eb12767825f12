package org.confbridge.media;

import java.util.List;
import org.confbridge.media.codec.AudioDecoder;
import org.confbridge.media.codec.AudioEncoder;
import org.confbridge.media.codec.G711Codec;

/** The codecs the mixer can run, by their SDP encoding names. */
public final class CodecRegistry {
    /** Encoding names this build supports, for SDP negotiation. */
    public static final List<String> SUPPORTED = List.of("PCMU", "PCMA");

    private CodecRegistry() {
    }

    public static boolean supports(String codec) {
        return SUPPORTED.stream().anyMatch(c -> c.equalsIgnoreCase(codec));
    }

    /** RTP clock rate of a codec (the rate in SDP's rtpmap). */
    public static int clockRate(String codec) {
        return switch (codec.toUpperCase(java.util.Locale.ROOT)) {
            case "PCMU", "PCMA" -> 8000;
            default -> throw new IllegalArgumentException("unsupported codec " + codec);
        };
    }

    public static AudioEncoder encoder(String codec) {
        return codecInstance(codec);
    }

    public static AudioDecoder decoder(String codec) {
        return codecInstance(codec);
    }

    private static G711Codec codecInstance(String codec) {
        return switch (codec.toUpperCase(java.util.Locale.ROOT)) {
            case "PCMU" -> G711Codec.ulaw();
            case "PCMA" -> G711Codec.alaw();
            default -> throw new IllegalArgumentException("unsupported codec " + codec);
        };
    }
}
