package org.confbridge.sip.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SDES (RFC 4568): which a=crypto the bridge takes, what it refuses and why, and its answer. */
class SdesNegotiationTest {
    private static final Map<String, Integer> SUITES = Map.of("AES_CM_128_HMAC_SHA1_80", 30,
            "AES_CM_128_HMAC_SHA1_32", 30, "AEAD_AES_128_GCM", 28);
    /** The key of RFC 4568's own example (section 9.1): 30 bytes. */
    private static final String KEY = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";

    private static SdpNegotiator negotiator(SrtpMode mode) {
        return new SdpNegotiator(List.of("PCMU"), mode, SUITES);
    }

    private static SessionDescription offer(String profile, String... crypto) throws SdpException {
        StringBuilder sb = new StringBuilder("v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
                + "m=audio 4000 " + profile + " 0 101\r\na=rtpmap:101 telephone-event/8000\r\n");
        for (String c : crypto) {
            sb.append("a=crypto:").append(c).append("\r\n");
        }
        return SessionDescription.parse(sb.toString());
    }

    @Test
    void theRfcExampleIsParsed() throws Exception {
        SdesCrypto c = SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20", SUITES);
        assertEquals(1, c.tag());
        assertEquals("AES_CM_128_HMAC_SHA1_80", c.suite());
        assertArrayEquals(Base64.getDecoder().decode(KEY), c.keySalt());
    }

    @Test
    void whatCannotBeHonouredIsRefusedWithTheReason() {
        String[][] cases = {
            {"1 F8_128_HMAC_SHA1_80 inline:" + KEY, "not supported"},
            {"1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20|1:4", "MKI"},
            {"1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20|1:4;inline:" + KEY + "|2^20|2:4", "more than one"},
            {"1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^10", "lifetime"},
            {"1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|often", "lifetime"},
            {"1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=", "5 bytes"},
            {"1 AES_CM_128_HMAC_SHA1_80 inline:***notbase64***", "base64"},
            {"1 AES_CM_128_HMAC_SHA1_80 uri:https://example.com/key", "inline"},
            {"1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " UNENCRYPTED_SRTP", "session parameter"},
            {"x AES_CM_128_HMAC_SHA1_80 inline:" + KEY, "tag"},
            {"1 AES_CM_128_HMAC_SHA1_80", "expected"},
        };
        for (String[] c : cases) {
            SdpException e = assertThrows(SdpException.class, () -> SdesCrypto.parse(c[0], SUITES), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void aWindowSizeHintAndALongLifetimeAreFine() throws Exception {
        assertNotNull(SdesCrypto.parse("7 AES_CM_128_HMAC_SHA1_32 inline:" + KEY + "|1099511627776 WSH=64", SUITES));
    }

    @Test
    void theFirstUsableCryptoIsAnsweredWithItsTagAndAFreshKey() throws Exception {
        SessionDescription o = offer("RTP/SAVP", "1 AES_256_CM_HMAC_SHA1_80 inline:" + KEY + KEY,
                "2 AES_CM_128_HMAC_SHA1_32 inline:" + KEY, "3 AES_CM_128_HMAC_SHA1_80 inline:" + KEY);
        NegotiatedMedia m = negotiator(SrtpMode.OPTIONAL).negotiate(o);
        SdesKeys k = m.srtp();
        assertEquals(2, k.tag());
        assertEquals("AES_CM_128_HMAC_SHA1_32", k.suite());
        assertEquals(30, k.localKeySalt().length);
        assertFalse(java.util.Arrays.equals(k.localKeySalt(), k.remoteKeySalt()), "our key is our own");
        String answer = SdpAnswer.build(o, m, "192.0.2.1", 20000, 1, 1);
        assertTrue(answer.contains("m=audio 20000 RTP/SAVP 0 101\r\n"), answer);
        assertTrue(answer.contains("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:"
                + Base64.getEncoder().encodeToString(k.localKeySalt()) + "\r\n"), answer);
        assertFalse(answer.contains(KEY), "the caller's key is never sent back");
        assertNotEquals(k.localKeySalt(), negotiator(SrtpMode.OPTIONAL).negotiate(o).srtp().localKeySalt());
    }

    private static void assertNotEquals(byte[] a, byte[] b) {
        assertFalse(java.util.Arrays.equals(a, b), "each call gets a key of its own");
    }

    @Test
    void optionalTakesSrtpWhenOfferedAndPlainOtherwise() throws Exception {
        SdpNegotiator n = negotiator(SrtpMode.OPTIONAL);
        assertNull(n.negotiate(offer("RTP/AVP")).srtp());
        assertEquals("RTP/AVP", n.negotiate(offer("RTP/AVP")).protocol());
        NegotiatedMedia bestEffort = n.negotiate(offer("RTP/AVP", "1 AEAD_AES_128_GCM inline:"
                + Base64.getEncoder().encodeToString(new byte[28])));
        assertEquals("AEAD_AES_128_GCM", bestEffort.srtp().suite(), "a=crypto in a plain profile: SRTP all the same");
        SdpException e = assertThrows(SdpException.class,
                () -> n.negotiate(offer("RTP/SAVP", "1 F8_128_HMAC_SHA1_80 inline:" + KEY)));
        assertTrue(e.getMessage().contains("F8_128_HMAC_SHA1_80 not supported"), e.getMessage());
    }

    @Test
    void requiredRefusesPlainOffersAndOffSrtpOnes() throws Exception {
        SdpException plain = assertThrows(SdpException.class, () -> negotiator(SrtpMode.REQUIRED).negotiate(offer("RTP/AVP")));
        assertTrue(plain.getMessage().startsWith("SRTP is required"), plain.getMessage());
        SdpException off = assertThrows(SdpException.class,
                () -> negotiator(SrtpMode.OFF).negotiate(offer("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY)));
        assertTrue(off.getMessage().contains("srtp = off"), off.getMessage());
        SdpException dtls = assertThrows(SdpException.class,
                () -> negotiator(SrtpMode.OPTIONAL).negotiate(offer("RTP/SAVPF")));
        assertTrue(dtls.getMessage().contains("DTLS"), dtls.getMessage());
    }

    @Test
    void aReOfferOfTheSameKeyKeepsOursAndANewKeyGetsANewOne() throws Exception {
        SdpNegotiator n = negotiator(SrtpMode.REQUIRED);
        SessionDescription first = offer("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY);
        SdesKeys keys = n.negotiate(first).srtp();
        assertSame(keys, n.negotiate(first, keys).srtp(), "same offer: same keys (no re-key)");
        String other = Base64.getEncoder().encodeToString(new byte[30]);
        SdesKeys rekeyed = n.negotiate(offer("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + other), keys).srtp();
        assertArrayEquals(new byte[30], rekeyed.remoteKeySalt());
        assertNotEquals(keys.localKeySalt(), rekeyed.localKeySalt());
    }

    @Test
    void keysAreNeverPrinted() throws Exception {
        SdesKeys k = negotiator(SrtpMode.REQUIRED)
                .negotiate(offer("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY)).srtp();
        assertEquals("AES_CM_128_HMAC_SHA1_80", k.toString());
    }
}
