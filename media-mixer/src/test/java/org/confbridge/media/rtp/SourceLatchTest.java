package org.confbridge.media.rtp;

import static org.confbridge.media.rtp.SourceLatch.Verdict.ACCEPT;
import static org.confbridge.media.rtp.SourceLatch.Verdict.FOREIGN;
import static org.confbridge.media.rtp.SourceLatch.Verdict.LEARNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SourceLatchTest {
    private static final InetSocketAddress SDP = addr("192.0.2.10", 40000);
    private static final InetAddress SIGNALLING = ip("198.51.100.7");

    @Test
    void sprayerFirstThenRealCallerLatchesTheCallerOnly() {
        SourceLatch latch = new SourceLatch(SDP, SIGNALLING, true);
        InetSocketAddress sprayer = addr("203.0.113.66", 5004);
        for (int seq = 0; seq < 50; seq++) {
            assertEquals(FOREIGN, latch.check(sprayer, true, seq), "packet " + seq);
        }
        assertNull(latch.latched());
        assertEquals(ACCEPT, latch.check(SDP, true, 1000));
        assertEquals(SDP, latch.latched());
        assertEquals(FOREIGN, latch.check(sprayer, true, 51));
        assertEquals(ACCEPT, latch.check(addr("192.0.2.10", 40000), true, 1001));
    }

    @Test
    void natSourceOfTheSignallingAddressLatchesAfterAnInSequenceRun() {
        SourceLatch latch = new SourceLatch(SDP, SIGNALLING, true);
        InetSocketAddress nat = addr("198.51.100.7", 61234);
        for (int i = 0; i < SourceLatch.LEARNING_PACKETS - 1; i++) {
            assertEquals(LEARNING, latch.check(nat, true, 100 + i));
        }
        assertEquals(ACCEPT, latch.check(nat, true, 100 + SourceLatch.LEARNING_PACKETS - 1));
        assertEquals(nat, latch.latched());
    }

    @Test
    void learningRunRestartsOnGapsOtherSourcesAndUnknownPayloadTypes() {
        SourceLatch latch = new SourceLatch(SDP, SIGNALLING, true);
        InetSocketAddress nat = addr("192.0.2.10", 50000); // the SDP address, another port
        InetSocketAddress other = addr("192.0.2.10", 50002);
        assertEquals(LEARNING, latch.check(nat, true, 1));
        assertEquals(LEARNING, latch.check(nat, true, 2));
        assertEquals(LEARNING, latch.check(nat, true, 4)); // a gap: starts over
        assertEquals(LEARNING, latch.check(other, true, 5)); // another port: starts over for that one
        assertEquals(FOREIGN, latch.check(nat, false, 5)); // a payload type never negotiated
        for (int seq = 0xFFFE; seq != 2; seq = (seq + 1) & 0xFFFF) { // across the wrap
            latch.check(nat, true, seq);
        }
        assertEquals(nat, latch.latched());
    }

    @Test
    void sameAddressAsTheAttackerIsNotEnoughWhenNeitherSdpNorSignallingMatch() {
        SourceLatch latch = new SourceLatch(SDP, SIGNALLING, true);
        InetSocketAddress stranger = addr("192.0.2.11", 40000);
        for (int seq = 0; seq < 20; seq++) {
            assertEquals(FOREIGN, latch.check(stranger, true, seq));
        }
        assertNull(latch.latched());
    }

    @Test
    void relatchFollowsTheMediaToItsNewAddress() {
        SourceLatch latch = new SourceLatch(SDP, SIGNALLING, true);
        latch.check(SDP, true, 1);
        InetSocketAddress moved = addr("192.0.2.20", 42000);
        assertEquals(FOREIGN, latch.check(moved, true, 2));
        latch.relatch(moved);
        assertEquals(moved, latch.sdpAddress());
        assertEquals(FOREIGN, latch.check(SDP, true, 3)); // the old address is a stranger now
        assertEquals(ACCEPT, latch.check(moved, true, 4));
        assertEquals(moved, latch.latched());
    }

    @Test
    void notStrictLatchesTheFirstPacketFromAnywhere() {
        SourceLatch latch = new SourceLatch(SDP, SIGNALLING, false);
        InetSocketAddress anyone = addr("203.0.113.66", 5004);
        assertEquals(ACCEPT, latch.check(anyone, false, 7));
        assertEquals(anyone, latch.latched());
        assertEquals(FOREIGN, latch.check(SDP, true, 8));
    }

    @Test
    void rtcpFollowsTheSameRules() {
        SourceLatch latch = new SourceLatch(SDP, SIGNALLING, true);
        assertTrue(latch.acceptsRtcp(addr("192.0.2.10", 40001)));
        assertFalse(latch.acceptsRtcp(addr("192.0.2.10", 40005)));
        assertFalse(latch.acceptsRtcp(addr("203.0.113.66", 40001)));
        InetSocketAddress nat = addr("198.51.100.7", 61234);
        for (int i = 0; i < SourceLatch.LEARNING_PACKETS; i++) {
            latch.check(nat, true, i);
        }
        assertTrue(latch.acceptsRtcp(addr("198.51.100.7", 61235)));
        assertFalse(latch.acceptsRtcp(addr("203.0.113.66", 61235)));
    }

    @Test
    void foreignSourceIsReportedOnce() {
        SourceLatch latch = new SourceLatch(SDP, SIGNALLING, true);
        assertTrue(latch.firstForeign());
        assertFalse(latch.firstForeign());
    }

    private static InetSocketAddress addr(String ip, int port) {
        return new InetSocketAddress(ip(ip), port);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
