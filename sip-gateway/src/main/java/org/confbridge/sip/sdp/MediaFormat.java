package org.confbridge.sip.sdp;

/**
 * One payload format offered in an {@code m=} line.
 *
 * @param payloadType RTP payload type number
 * @param encoding    encoding name from {@code a=rtpmap} (or the static RFC 3551 name)
 * @param clockRate   RTP clock rate
 * @param channels    audio channels (1 unless given)
 * @param fmtp        the {@code a=fmtp} parameters, or empty
 */
public record MediaFormat(int payloadType, String encoding, int clockRate, int channels, String fmtp) {
    /** The RFC 3551 static audio payload types a peer may use without rtpmap. */
    static MediaFormat staticType(int pt) {
        return switch (pt) {
            case 0 -> new MediaFormat(0, "PCMU", 8000, 1, "");
            case 8 -> new MediaFormat(8, "PCMA", 8000, 1, "");
            case 9 -> new MediaFormat(9, "G722", 8000, 1, "");
            case 13 -> new MediaFormat(13, "CN", 8000, 1, "");
            case 3 -> new MediaFormat(3, "GSM", 8000, 1, "");
            case 18 -> new MediaFormat(18, "G729", 8000, 1, "");
            default -> null;
        };
    }

    public boolean is(String name) {
        return encoding.equalsIgnoreCase(name);
    }
}
