package org.confbridge.sip.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our offer for an INVITE without one, and the caller's answer to it. */
class LateOfferTest {
    private static final Map<String, Integer> SUITES = Map.of("AES_CM_128_HMAC_SHA1_80", 30);
    private final SdpNegotiator plain = new SdpNegotiator(List.of("opus", "G722", "PCMA", "PCMU"));

    private static SessionDescription answer(String mLine, String... attributes) throws SdpException {
        StringBuilder sb = new StringBuilder("v=0\r\no=pbx 1 1 IN IP4 192.0.2.7\r\ns=-\r\nc=IN IP4 192.0.2.7\r\nt=0 0\r\n"
                + mLine + "\r\n");
        for (String a : attributes) {
            sb.append(a).append("\r\n");
        }
        return SessionDescription.parse(sb.toString());
    }

    @Test
    void theOfferNamesEveryCodecBestFirstWithTelephoneEvent() throws Exception {
        String offer = SdpOffer.build(plain.codecs(), "192.0.2.1", 20000, 7, 1, null);
        assertTrue(offer.contains("m=audio 20000 RTP/AVP 111 9 8 0 101\r\n"), offer);
        assertTrue(offer.contains("a=rtpmap:111 opus/48000/2\r\n") && offer.contains("a=rtpmap:101 telephone-event/8000\r\n"));
        assertEquals(1, SessionDescription.parse(offer).media().size(), "our offer parses as SDP");
    }

    @Test
    void theAnswersFirstCodecOfOursIsTaken() throws Exception {
        NegotiatedMedia m = plain.negotiateAnswer(answer("m=audio 30000 RTP/AVP 8 101", "a=rtpmap:101 telephone-event/8000",
                "a=ptime:30", "a=sendrecv"), null);
        assertEquals("PCMA", m.codec());
        assertEquals(101, m.dtmfPayloadType());
        assertEquals(30, m.ptimeMs());
        assertEquals("192.0.2.7", m.remoteAddress());
        assertEquals(30000, m.remotePort());
        assertEquals("sendrecv", m.direction());
        assertNull(m.srtp());
        assertThrows(SdpException.class, () -> plain.negotiateAnswer(answer("m=audio 30000 RTP/AVP 18"), null),
                "G.729 was never offered");
        assertThrows(SdpException.class, () -> plain.negotiateAnswer(answer("m=audio 0 RTP/AVP 0"), null),
                "a rejected stream");
    }

    @Test
    void withSrtpRequiredTheOfferCarriesOurKeyAndTheAnswerMustCarryTheirs() throws Exception {
        SdpNegotiator required = new SdpNegotiator(List.of("PCMU"), SrtpMode.REQUIRED, SUITES);
        SdesKeys ours = required.offerKeys();
        String offer = SdpOffer.build(required.codecs(), "192.0.2.1", 20000, 7, 1, ours);
        assertTrue(offer.contains("m=audio 20000 RTP/SAVP 0 101\r\n"), offer);
        assertTrue(offer.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
                + Base64.getEncoder().encodeToString(ours.localKeySalt())), offer);
        byte[] theirs = new byte[30];
        theirs[0] = 7;
        NegotiatedMedia m = required.negotiateAnswer(answer("m=audio 30000 RTP/SAVP 0",
                "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + Base64.getEncoder().encodeToString(theirs)), ours);
        assertArrayEquals(theirs, m.srtp().remoteKeySalt());
        assertArrayEquals(ours.localKeySalt(), m.srtp().localKeySalt());
        SdpException none = assertThrows(SdpException.class,
                () -> required.negotiateAnswer(answer("m=audio 30000 RTP/SAVP 0"), ours));
        assertTrue(none.getMessage().contains("no key"), none.getMessage());
    }
}
