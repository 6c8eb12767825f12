package org.confbridge.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.confbridge.media.rtp.RtpHeader;
import org.junit.jupiter.api.Test;

/** SRTP with the reference vectors of libsrtp's test driver (SSRC 0xcafebabe, sequence 0x1234, ROC 0). */
class SrtpProtectionTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY_SALT = HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139" + "0ec675ad498afeebb6960b3aabe6");
    private static final byte[] RTP = HEX.parseHex("800f1234decafbadcafebabe" + "ab".repeat(16));
    private static final byte[] SRTP_80 = HEX.parseHex("800f1234decafbadcafebabe"
            + "4e55dc4ce79978d88ca4d215949d2402" + "b78d6acc99ea179b8dbb");
    private static final byte[] RTCP = HEX.parseHex("81c8000bcafebabe" + "ab".repeat(16));
    private static final byte[] SRTCP_80 = HEX.parseHex("81c8000bcafebabe"
            + "7128035be487b9bdbef89041f977a5a8" + "80000001" + "993e08cd54d6c1230798");

    private static byte[] other(SrtpSuite suite) {
        byte[] k = new byte[suite.keySaltLength()];
        new SecureRandom().nextBytes(k);
        return k;
    }

    /** Protects {@code packet} in a buffer with room for the tag; returns the protected bytes. */
    private static byte[] protect(SrtpProtection p, byte[] packet, boolean rtcp) {
        byte[] buf = Arrays.copyOf(packet, packet.length + 64);
        int n = rtcp ? p.protectRtcp(buf, 0, packet.length) : p.protectRtp(buf, 0, packet.length);
        return n < 0 ? null : Arrays.copyOf(buf, n);
    }

    private static byte[] unprotect(SrtpProtection p, byte[] packet, boolean rtcp) {
        byte[] buf = packet.clone();
        int n = rtcp ? p.unprotectRtcp(buf, 0, buf.length) : p.unprotectRtp(buf, 0, buf.length);
        return n < 0 ? null : Arrays.copyOf(buf, n);
    }

    @Test
    void protectsAsTheReferenceVectorsSay() {
        SrtpSuite suite = SrtpSuite.AES_CM_128_HMAC_SHA1_80;
        SrtpProtection bridge = new SrtpProtection(suite, other(suite), KEY_SALT);
        assertArrayEquals(SRTP_80, protect(bridge, RTP, false));
        // The reference SRTCP packet carries index 1 (libsrtp counts before sending); ours starts
        // at 0 as RFC 3711 section 3.4 says, so its keystream differs; receivers read the index.
        byte[] srtcp = protect(bridge, RTCP, true);
        assertEquals(RTCP.length + 4 + 10, srtcp.length, "E flag and index, then the 80-bit tag");
        assertEquals((byte) 0x80, srtcp[RTCP.length], "encrypted");
        SrtpProtection phone = new SrtpProtection(suite, KEY_SALT, other(suite));
        assertArrayEquals(RTCP, unprotect(phone, srtcp, true));
    }

    @Test
    void theShortTagCutsOnlyRtpsTag() {
        SrtpSuite suite = SrtpSuite.AES_CM_128_HMAC_SHA1_32;
        SrtpProtection bridge = new SrtpProtection(suite, other(suite), KEY_SALT);
        assertArrayEquals(Arrays.copyOf(SRTP_80, 32), protect(bridge, RTP, false));
        assertEquals(RTCP.length + 4 + 10, protect(bridge, RTCP, true).length, "SRTCP keeps its 80-bit tag");
    }

    @Test
    void unprotectsTheCallersPacketsAndDropsTamperedAndReplayedOnes() {
        SrtpSuite suite = SrtpSuite.AES_CM_128_HMAC_SHA1_80;
        SrtpProtection bridge = new SrtpProtection(suite, KEY_SALT, other(suite));
        assertArrayEquals(RTP, unprotect(bridge, SRTP_80, false));
        assertEquals(null, unprotect(bridge, SRTP_80, false), "a replayed packet is dropped");
        assertArrayEquals(RTCP, unprotect(bridge, SRTCP_80, true));
        byte[] tampered = SRTP_80.clone();
        RtpHeader.write(tampered, 0, false, 15, 0x1235, 0xdecafbadL, 0xcafebabeL);
        tampered[20] ^= 1;
        assertEquals(null, unprotect(bridge, tampered, false), "a flipped bit fails authentication");
    }

    @Test
    void bothSidesOfACallUnderstandEachOtherWithEverySuite() {
        for (SrtpSuite suite : SrtpSuite.values()) {
            byte[] bridgeKey = other(suite);
            byte[] phoneKey = other(suite);
            SrtpProtection bridge = new SrtpProtection(suite, phoneKey, bridgeKey);
            SrtpProtection phone = new SrtpProtection(suite, bridgeKey, phoneKey);
            for (int seq = 0; seq < 100; seq++) {
                byte[] rtp = new byte[12 + 160];
                RtpHeader.write(rtp, 0, seq == 0, 0, 65500 + seq & 0xFFFF, seq * 160L, 0x11223344L);
                Arrays.fill(rtp, 12, rtp.length, (byte) seq);
                byte[] sent = protect(phone, rtp, false);
                assertNotEquals(rtp.length, sent.length, suite + ": a tag is added");
                assertArrayEquals(rtp, unprotect(bridge, sent, false), suite + " packet " + seq + " (sequence wraps)");
                byte[] back = protect(bridge, rtp, false);
                assertArrayEquals(rtp, unprotect(phone, back, false), suite + ": the other way");
            }
            byte[] forged = protect(new SrtpProtection(suite, other(suite), other(suite)), RTP, false);
            assertEquals(null, unprotect(bridge, forged, false), suite + ": a packet under another key is dropped");
        }
    }

    @Test
    void aCallerRestartingItsStreamIsFollowedOnceItAuthenticates() {
        SrtpSuite suite = SrtpSuite.AES_CM_128_HMAC_SHA1_80;
        byte[] phoneKey = other(suite);
        SrtpProtection bridge = new SrtpProtection(suite, phoneKey, other(suite));
        SrtpProtection phone = new SrtpProtection(suite, other(suite), phoneKey);
        for (long ssrc : new long[] {1, 2, 1}) {
            byte[] rtp = new byte[12 + 20];
            RtpHeader.write(rtp, 0, false, 0, (int) (100 + ssrc * 7), 1000, ssrc);
            assertArrayEquals(rtp, unprotect(bridge, protect(phone, rtp, false), false), "SSRC " + ssrc);
        }
    }

    @Test
    void garbageIsDroppedWithoutHarm() {
        SrtpSuite suite = SrtpSuite.AEAD_AES_128_GCM;
        SrtpProtection bridge = new SrtpProtection(suite, other(suite), other(suite));
        byte[] junk = new byte[40];
        new SecureRandom().nextBytes(junk);
        junk[0] = (byte) 0x80;
        assertEquals(null, unprotect(bridge, junk, false));
        assertEquals(null, unprotect(bridge, new byte[5], false));
        assertEquals(null, unprotect(bridge, new byte[5], true));
    }
}
