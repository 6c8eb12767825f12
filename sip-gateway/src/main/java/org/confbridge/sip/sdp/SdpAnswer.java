package org.confbridge.sip.sdp;

/** Writes the SDP answer for a negotiated audio stream; other offered streams are declined (port 0). */
public final class SdpAnswer {
    private SdpAnswer() {
    }

    public static String build(SessionDescription offer, NegotiatedMedia media, String localAddress, int localPort,
                               long sessionId, long version) {
        StringBuilder sb = sessionLines(new StringBuilder(256), localAddress, sessionId, version);
        java.util.List<SessionDescription.Media> all = offer.media();
        for (int i = 0; i < all.size(); i++) {
            SessionDescription.Media m = all.get(i);
            if (i != media.mediaIndex()) {
                String fmt = m.formats().isEmpty() ? "0" : String.valueOf(m.formats().get(0).payloadType());
                sb.append("m=").append(m.type()).append(" 0 ").append(m.protocol()).append(' ').append(fmt).append("\r\n");
                continue;
            }
            sb.append("m=audio ").append(localPort).append(' ').append(answerProtocol(media.protocol())).append(' ')
                    .append(media.payloadType());
            if (media.dtmfPayloadType() >= 0) {
                sb.append(' ').append(media.dtmfPayloadType());
            }
            sb.append("\r\n");
            sb.append("a=rtpmap:").append(media.payloadType()).append(' ').append(media.rtpmap()).append("\r\n");
            if (media.codec().equals("OPUS")) {
                // We decode FEC and send it (RFC 7587 section 6.1); mono is what we send.
                sb.append("a=fmtp:").append(media.payloadType()).append(" useinbandfec=1; stereo=0; sprop-stereo=0\r\n");
            }
            if (media.dtmfPayloadType() >= 0) {
                sb.append("a=rtpmap:").append(media.dtmfPayloadType()).append(" telephone-event/")
                        .append(media.dtmfClockRate()).append("\r\n");
                sb.append("a=fmtp:").append(media.dtmfPayloadType()).append(" 0-15\r\n");
            }
            sb.append("a=ptime:").append(media.ptimeMs()).append("\r\n");
            if (media.srtp() != null) {
                SdesKeys k = media.srtp();
                sb.append("a=crypto:").append(SdesCrypto.answer(k.tag(), k.suite(), k.localKeySalt())).append("\r\n");
            }
            sb.append("a=").append(media.direction()).append("\r\n");
        }
        return sb.toString();
    }

    /** The session part every SDP of ours starts with: version, origin, name, connection, time. */
    static StringBuilder sessionLines(StringBuilder sb, String localAddress, long sessionId, long version) {
        String ipVersion = localAddress.contains(":") ? "IP6" : "IP4";
        sb.append("v=0\r\n");
        sb.append("o=confbridge ").append(sessionId).append(' ').append(version).append(" IN ").append(ipVersion)
                .append(' ').append(localAddress).append("\r\n");
        sb.append("s=confbridge\r\n");
        sb.append("c=IN ").append(ipVersion).append(' ').append(localAddress).append("\r\n");
        sb.append("t=0 0\r\n");
        return sb;
    }

    /**
     * The offer's profile, mirrored as RFC 3264 asks; without feedback, which the bridge does not
     * send (an {@code RTP/AVPF} offer has always been answered {@code RTP/AVP}, and phones take it).
     */
    private static String answerProtocol(String offered) {
        return offered.startsWith("RTP/S") ? "RTP/SAVP" + (offered.endsWith("F") ? "F" : "") : "RTP/AVP";
    }
}
