package org.confbridge.sip.sdp;

/** Writes the SDP answer for a negotiated audio stream; other offered streams are declined (port 0). */
public final class SdpAnswer {
    private SdpAnswer() {
    }

    public static String build(SessionDescription offer, NegotiatedMedia media, String localAddress, int localPort,
                               long sessionId, long version) {
        String ipVersion = localAddress.contains(":") ? "IP6" : "IP4";
        StringBuilder sb = new StringBuilder(256);
        sb.append("v=0\r\n");
        sb.append("o=confbridge ").append(sessionId).append(' ').append(version).append(" IN ").append(ipVersion)
                .append(' ').append(localAddress).append("\r\n");
        sb.append("s=confbridge\r\n");
        sb.append("c=IN ").append(ipVersion).append(' ').append(localAddress).append("\r\n");
        sb.append("t=0 0\r\n");
        boolean audioDone = false;
        for (SessionDescription.Media m : offer.media()) {
            boolean isChosen = !audioDone && m.type().equals("audio") && m.port() == media.remotePort()
                    && m.port() != 0 && (m.protocol().equals("RTP/AVP") || m.protocol().equals("RTP/AVPF"));
            if (!isChosen) {
                String fmt = m.formats().isEmpty() ? "0" : String.valueOf(m.formats().get(0).payloadType());
                sb.append("m=").append(m.type()).append(" 0 ").append(m.protocol()).append(' ').append(fmt).append("\r\n");
                continue;
            }
            audioDone = true;
            sb.append("m=audio ").append(localPort).append(" RTP/AVP ").append(media.payloadType());
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
            sb.append("a=").append(media.direction()).append("\r\n");
        }
        return sb.toString();
    }
}
