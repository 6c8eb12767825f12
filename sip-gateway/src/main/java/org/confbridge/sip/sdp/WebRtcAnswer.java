package org.confbridge.sip.sdp;

/**
 * Our answer to a browser's offer: the audio section accepted with Opus (mono, in-band FEC),
 * {@code rtcp-mux}, our ICE-lite credentials and one host candidate, our certificate's fingerprint
 * and {@code a=setup:passive} (the browser starts DTLS); every other section declined.
 */
public final class WebRtcAnswer {
    private WebRtcAnswer() {
    }

    /**
     * @param address     where browsers reach us: the candidate's and the connection address
     * @param port        the leg's UDP port (RTP, RTCP, STUN and DTLS share it)
     * @param fingerprint our certificate's, {@code sha-256 AB:…}
     */
    public static String build(WebRtcOffer offer, String iceUfrag, String icePassword, String fingerprint,
                               String address, int port, long sessionId) {
        StringBuilder sb = SdpAnswer.sessionLines(new StringBuilder(1024), address, sessionId, 1);
        if (offer.mid() != null) {
            sb.append("a=group:BUNDLE ").append(offer.mid()).append("\r\n");
        }
        sb.append("a=ice-lite\r\n");
        String ipVersion = address.contains(":") ? "IP6" : "IP4";
        for (int i = 0; i < offer.sections().size(); i++) {
            WebRtcOffer.Declined section = offer.sections().get(i);
            if (i != offer.audioIndex()) {
                sb.append(section.line()).append("\r\n");
                if (section.mid() != null) {
                    sb.append("a=mid:").append(section.mid()).append("\r\n");
                }
                continue;
            }
            int opus = offer.opusPayloadType();
            int dtmf = offer.dtmfPayloadType();
            sb.append("m=audio ").append(port).append(" UDP/TLS/RTP/SAVPF ").append(opus);
            if (dtmf >= 0) {
                sb.append(' ').append(dtmf);
            }
            sb.append("\r\n");
            sb.append("c=IN ").append(ipVersion).append(' ').append(address).append("\r\n");
            if (offer.mid() != null) {
                sb.append("a=mid:").append(offer.mid()).append("\r\n");
            }
            sb.append("a=ice-ufrag:").append(iceUfrag).append("\r\n");
            sb.append("a=ice-pwd:").append(icePassword).append("\r\n");
            sb.append("a=fingerprint:").append(fingerprint).append("\r\n");
            sb.append("a=setup:passive\r\n");
            sb.append("a=sendrecv\r\n");
            sb.append("a=rtcp-mux\r\n");
            sb.append("a=rtpmap:").append(opus).append(" opus/48000/2\r\n");
            // We decode FEC and send it (RFC 7587 section 6.1); mono is what we send.
            sb.append("a=fmtp:").append(opus).append(" minptime=10;useinbandfec=1;stereo=0;sprop-stereo=0\r\n");
            if (dtmf >= 0) {
                sb.append("a=rtpmap:").append(dtmf).append(" telephone-event/48000\r\n");
                sb.append("a=fmtp:").append(dtmf).append(" 0-15\r\n");
            }
            sb.append("a=ptime:20\r\n");
            sb.append("a=candidate:1 1 udp 2130706431 ").append(address).append(' ').append(port)
                    .append(" typ host\r\n");
            sb.append("a=end-of-candidates\r\n");
        }
        return sb.toString();
    }
}
