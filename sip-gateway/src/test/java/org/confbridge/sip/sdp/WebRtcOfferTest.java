package org.confbridge.sip.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A browser's offer as Chromium writes it, our answer, and offers the join page must refuse. */
class WebRtcOfferTest {
    private static final String FINGERPRINT = "sha-256 "
            + "8A:1B:22:3C:44:5D:66:7E:88:9F:A0:B1:C2:D3:E4:F5:06:17:28:39:4A:5B:6C:7D:8E:9F:A0:B1:C2:D3:E4:F5";

    /** Audio with Opus, two telephone-events, a video section and a data channel, as Chromium offers them. */
    static final String OFFER = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0 1 2",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS 3d1f",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:Hx3L",
            "a=ice-pwd:Rm2vX9s0Qp7uKwY1zB4nT8dE",
            "a=ice-options:trickle",
            "a=fingerprint:" + FINGERPRINT,
            "a=setup:actpass",
            "a=mid:0",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=sendrecv",
            "a=msid:3d1f 7a2c",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=rtcp-fb:111 transport-cc",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=rtpmap:63 red/48000/2",
            "a=rtpmap:9 G722/8000",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:13 CN/8000",
            "a=rtpmap:110 telephone-event/48000",
            "a=rtpmap:126 telephone-event/8000",
            "a=ssrc:1001 cname:abc",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:Hx3L",
            "a=ice-pwd:Rm2vX9s0Qp7uKwY1zB4nT8dE",
            "a=fingerprint:" + FINGERPRINT,
            "a=setup:actpass",
            "a=mid:1",
            "a=rtpmap:96 VP8/90000",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=mid:2",
            "a=sctp-port:5000",
            "") ;

    @Test
    void chromiumsOfferGivesWhatTheLegNeeds() throws Exception {
        WebRtcOffer offer = WebRtcOffer.parse(OFFER);
        assertEquals("0", offer.mid());
        assertEquals("Hx3L", offer.iceUfrag());
        assertEquals("Rm2vX9s0Qp7uKwY1zB4nT8dE", offer.icePassword());
        assertEquals(FINGERPRINT, offer.fingerprint());
        assertEquals(111, offer.opusPayloadType());
        assertEquals(110, offer.dtmfPayloadType());
    }

    @Test
    void theAnswerIsIceLitePassiveWithOneCandidateAndDeclinesTheRest() throws Exception {
        WebRtcOffer offer = WebRtcOffer.parse(OFFER);
        String answer = WebRtcAnswer.build(offer, "brgU", "ourPasswordOf24Characters", "sha-256 AA:BB", "203.0.113.7",
                20002, 42);
        assertTrue(answer.contains("\r\na=ice-lite\r\n"), answer);
        assertTrue(answer.contains("\r\nm=audio 20002 UDP/TLS/RTP/SAVPF 111 110\r\n"), answer);
        assertTrue(answer.contains("\r\na=setup:passive\r\n"));
        assertTrue(answer.contains("\r\na=fingerprint:sha-256 AA:BB\r\n"));
        assertTrue(answer.contains("\r\na=ice-ufrag:brgU\r\na=ice-pwd:ourPasswordOf24Characters\r\n"));
        assertTrue(answer.contains("\r\na=rtcp-mux\r\n"));
        assertTrue(answer.contains("\r\na=fmtp:111 minptime=10;useinbandfec=1;stereo=0;sprop-stereo=0\r\n"));
        assertTrue(answer.contains("\r\na=candidate:1 1 udp 2130706431 203.0.113.7 20002 typ host\r\n"));
        assertTrue(answer.contains("\r\na=group:BUNDLE 0\r\n"), "only the accepted section is bundled");
        assertTrue(answer.contains("\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\n"), answer);
        assertTrue(answer.contains("\r\nm=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:2\r\n"), answer);
        assertFalse(answer.contains("PCMU"), "the browser gets Opus only");
    }

    @Test
    void offersTheBridgeCannotTakeAreRefusedWithAReason() {
        assertRefused(OFFER + "a=x:" + "y".repeat(100_000), "characters");
        assertRefused(OFFER + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n".repeat(50), "media sections");
        assertRefused(OFFER.replace("a=fingerprint:" + FINGERPRINT, "a=fingerprint:sha-1 AB:CD"), "fingerprint");
        assertRefused(OFFER.replace("a=setup:actpass", "a=setup:passive"), "setup");
        assertRefused(OFFER.replace("a=ice-ufrag:Hx3L", "a=ice-ufrag:Hx 3L\"><script>"), "ice-ufrag");
        assertRefused(OFFER.replace("a=ice-pwd:Rm2vX9s0Qp7uKwY1zB4nT8dE", "a=ice-pwd:short"), "ice-pwd");
        assertRefused(OFFER.replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 speex/16000"), "Opus");
        assertRefused(OFFER.replace("a=rtcp-mux\r\n", ""), "rtcp-mux");
        assertRefused(OFFER.replace("UDP/TLS/RTP/SAVPF 111", "RTP/AVP 111"), "DTLS-SRTP");
        assertRefused(OFFER.replace("a=mid:0", "a=mid:0<x>"), "mid");
        assertRefused("", "empty");
        assertRefused("v=1\r\n", "v=0");
    }

    private static void assertRefused(String offer, String reason) {
        SdpException e = assertThrows(SdpException.class, () -> WebRtcOffer.parse(offer));
        assertTrue(e.getMessage().contains(reason), e.getMessage() + " (expected: " + reason + ")");
    }
}
