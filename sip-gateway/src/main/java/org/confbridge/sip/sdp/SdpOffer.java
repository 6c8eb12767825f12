package org.confbridge.sip.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Our SDP offer, for a caller whose INVITE came without one (late offer, RFC 3261 section
 * 13.2.1): every codec the bridge runs, best first, with telephone-event, at the given port; with
 * SDES keys ({@code RTP/SAVP} and one {@code a=crypto}) when the call must be encrypted.
 */
public final class SdpOffer {
    /** The telephone-event payload type we offer. */
    public static final int TELEPHONE_EVENT = 101;
    /** The crypto tag of the one suite we offer. */
    public static final int CRYPTO_TAG = 1;

    private SdpOffer() {
    }

    /** The payload type we offer a codec with: its static one, else a dynamic one. */
    static int payloadType(String codec) {
        return switch (codec.toUpperCase(Locale.ROOT)) {
            case "PCMU" -> 0;
            case "PCMA" -> 8;
            case "G722" -> 9;
            case "OPUS" -> 111;
            default -> throw new IllegalArgumentException("no payload type for " + codec);
        };
    }

    private static String rtpmap(String codec) {
        return switch (codec.toUpperCase(Locale.ROOT)) {
            case "OPUS" -> "opus/48000/2";
            default -> codec.toUpperCase(Locale.ROOT) + "/8000";
        };
    }

    /**
     * @param codecs   the bridge's codecs, best first
     * @param keys     our SDES key to offer (its remote half unknown yet), or null for plain RTP
     */
    public static String build(List<String> codecs, String localAddress, int localPort, long sessionId, long version,
                               SdesKeys keys) {
        List<Integer> types = new ArrayList<>();
        for (String c : codecs) {
            types.add(payloadType(c));
        }
        StringBuilder sb = SdpAnswer.sessionLines(new StringBuilder(512), localAddress, sessionId, version);
        sb.append("m=audio ").append(localPort).append(keys == null ? " RTP/AVP" : " RTP/SAVP");
        types.forEach(t -> sb.append(' ').append(t));
        sb.append(' ').append(TELEPHONE_EVENT).append("\r\n");
        for (String c : codecs) {
            int pt = payloadType(c);
            sb.append("a=rtpmap:").append(pt).append(' ').append(rtpmap(c)).append("\r\n");
            if (c.equalsIgnoreCase("opus")) {
                sb.append("a=fmtp:").append(pt).append(" useinbandfec=1; stereo=0; sprop-stereo=0\r\n");
            }
        }
        sb.append("a=rtpmap:").append(TELEPHONE_EVENT).append(" telephone-event/8000\r\n");
        sb.append("a=fmtp:").append(TELEPHONE_EVENT).append(" 0-15\r\n");
        sb.append("a=ptime:20\r\n");
        sb.append("a=sendrecv\r\n");
        if (keys != null) {
            sb.append("a=crypto:").append(SdesCrypto.answer(keys.tag(), keys.suite(), keys.localKeySalt())).append("\r\n");
        }
        return sb.toString();
    }
}
