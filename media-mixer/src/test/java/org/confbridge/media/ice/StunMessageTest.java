package org.confbridge.media.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * STUN against the test vectors of RFC 5769 ("Test Vectors for Session Traversal Utilities for
 * NAT (STUN)", Copyright (c) 2010 IETF Trust and the document authors, Simplified BSD License):
 * MESSAGE-INTEGRITY, FINGERPRINT and XOR-MAPPED-ADDRESS, and hostile input refused.
 */
class StunMessageTest {
    private static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);

    /** Section 2.1: a Binding request; its padding bytes are 0x20 on purpose. */
    private static final byte[] REQUEST = hex("""
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
            00 24 00 04 6e 00 01 ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
            80 28 00 04 e5 7a 3b cf""");

    /** Section 2.2: the IPv4 response, XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
    private static final byte[] IPV4_RESPONSE = hex("""
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 08 00 01 a1 47 e1 12 a6 43
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
            80 28 00 04 c0 7d 4c 96""");

    /** Section 2.3: the IPv6 response, [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
    private static final byte[] IPV6_RESPONSE = hex("""
            01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
            00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
            80 28 00 04 c8 fb 0b 4c""");

    @Test
    void theSampleRequestChecksOut() throws Exception {
        assertTrue(StunMessage.looksLikeStun(REQUEST, 0, REQUEST.length));
        StunMessage m = StunMessage.parse(REQUEST, 0, REQUEST.length);
        assertEquals(StunMessage.BINDING_REQUEST, m.type());
        assertEquals("evtj:h6vY", m.username());
        assertEquals("STUN test client", new String(m.attribute(StunMessage.SOFTWARE), StandardCharsets.UTF_8));
        assertTrue(m.integrityValid(PASSWORD));
        assertTrue(m.fingerprintValid());
        assertFalse(m.integrityValid("VOkJxbRl1RmTxUk/WvJxBu".getBytes(StandardCharsets.UTF_8)), "a wrong password");
    }

    @Test
    void theSampleResponsesCarryTheMappedAddresses() throws Exception {
        StunMessage v4 = StunMessage.parse(IPV4_RESPONSE, 0, IPV4_RESPONSE.length);
        assertTrue(v4.integrityValid(PASSWORD) && v4.fingerprintValid());
        assertEquals(new InetSocketAddress("192.0.2.1", 32853), v4.xorMappedAddress());
        StunMessage v6 = StunMessage.parse(IPV6_RESPONSE, 0, IPV6_RESPONSE.length);
        assertTrue(v6.integrityValid(PASSWORD) && v6.fingerprintValid());
        assertEquals(new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853), v6.xorMappedAddress());
    }

    @Test
    void whatWeBuildIsWhatTheRfcComputes() throws Exception {
        StunMessage sample = StunMessage.parse(IPV4_RESPONSE, 0, IPV4_RESPONSE.length);
        // The sample's SOFTWARE padded with zeros as we pad: its address bytes come out the same.
        byte[] built = new StunMessage.Builder(StunMessage.BINDING_SUCCESS, sample.transactionId())
                .add(StunMessage.SOFTWARE, "test vector".getBytes(StandardCharsets.UTF_8))
                .xorMappedAddress(new InetSocketAddress("192.0.2.1", 32853))
                .build(PASSWORD, true);
        assertArrayEquals(sample.attribute(StunMessage.XOR_MAPPED_ADDRESS),
                StunMessage.parse(built, 0, built.length).attribute(StunMessage.XOR_MAPPED_ADDRESS));
        assertEquals(IPV4_RESPONSE.length, built.length);
        StunMessage again = StunMessage.parse(built, 0, built.length);
        assertTrue(again.integrityValid(PASSWORD) && again.fingerprintValid());
        // The check above is the RFC's own (its vectors pass it), so what the builder signs is right.
        assertFalse(again.integrityValid("wrong".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFlippedBitFailsTheFingerprintAndHostileLengthsAreRefused() throws Exception {
        byte[] tampered = REQUEST.clone();
        tampered[30] ^= 1;
        StunMessage m = StunMessage.parse(tampered, 0, tampered.length);
        assertFalse(m.fingerprintValid());
        assertFalse(m.integrityValid(PASSWORD));
        byte[] longer = REQUEST.clone();
        longer[3] = (byte) 0x5C; // says 4 more bytes than there are
        assertThrows(StunMessage.Malformed.class, () -> StunMessage.parse(longer, 0, longer.length));
        byte[] runaway = REQUEST.clone();
        runaway[20 + 2] = (byte) 0xFF; // SOFTWARE claims 65 280 bytes
        assertThrows(StunMessage.Malformed.class, () -> StunMessage.parse(runaway, 0, runaway.length));
        assertThrows(StunMessage.Malformed.class, () -> StunMessage.parse(new byte[12], 0, 12));
        byte[] dtls = REQUEST.clone();
        dtls[0] = 22; // a DTLS handshake record's first byte
        assertFalse(StunMessage.looksLikeStun(dtls, 0, dtls.length));
        assertThrows(StunMessage.Malformed.class, () -> StunMessage.parse(new byte[2000], 0, 2000));
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }
}
