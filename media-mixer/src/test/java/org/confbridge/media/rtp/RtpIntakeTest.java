package org.confbridge.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.confbridge.media.rtp.RtpIntake.Kind;
import org.junit.jupiter.api.Test;

class RtpIntakeTest {
    private static final InetSocketAddress SDP = new InetSocketAddress("192.0.2.10", 40000);
    private static final InetSocketAddress NAT = new InetSocketAddress("198.51.100.7", 61234);
    private static final InetSocketAddress SPRAYER = new InetSocketAddress("203.0.113.66", 5004);

    private static RtpIntake intake() throws Exception {
        return new RtpIntake(0, 101, new SourceLatch(SDP, InetAddress.getByName("198.51.100.7"), true));
    }

    private static byte[] packet(int pt, int seq, int payload) {
        byte[] p = new byte[RtpHeader.FIXED_SIZE + payload];
        RtpHeader.write(p, 0, false, pt, seq, seq * 160L, 42);
        return p;
    }

    @Test
    void classifiesTheNegotiatedStreamsAndLocatesThePayload() throws Exception {
        RtpIntake in = intake();
        byte[] audio = packet(0, 1, 160);
        assertEquals(Kind.AUDIO, in.accept(audio, 0, audio.length, SDP));
        assertEquals(RtpHeader.FIXED_SIZE, in.payloadOffset());
        assertEquals(160, in.payloadLength());
        byte[] event = packet(101, 2, 4);
        assertEquals(Kind.EVENT, in.accept(event, 0, event.length, SDP));
        byte[] cn = packet(13, 3, 1);
        assertEquals(Kind.COMFORT_NOISE, in.accept(cn, 0, cn.length, SDP));
        byte[] other = packet(8, 4, 160);
        assertEquals(Kind.UNKNOWN_PAYLOAD, in.accept(other, 0, other.length, SDP));
        assertEquals(Kind.MALFORMED, in.accept(new byte[] {1, 2, 3}, 0, 3, SDP));
    }

    @Test
    void payloadIsLocatedInsideALargerBuffer() throws Exception {
        RtpIntake in = intake();
        byte[] buf = new byte[100 + RtpHeader.FIXED_SIZE + 20];
        RtpHeader.write(buf, 100, false, 0, 7, 1120, 42);
        assertEquals(Kind.AUDIO, in.accept(buf, 100, RtpHeader.FIXED_SIZE + 20, SDP));
        assertEquals(100 + RtpHeader.FIXED_SIZE, in.payloadOffset());
        assertEquals(20, in.payloadLength());
    }

    @Test
    void theSdpSourceLatchesAtOnceAndIsReportedOnce() throws Exception {
        RtpIntake in = intake();
        byte[] p = packet(0, 1, 160);
        assertEquals(Kind.AUDIO, in.accept(p, 0, p.length, new InetSocketAddress("192.0.2.10", 40000)));
        assertEquals(SDP, in.newSource());
        assertEquals(SDP, in.remote());
        assertEquals(Kind.AUDIO, in.accept(p, 0, p.length, new InetSocketAddress("192.0.2.10", 40000)));
        assertNull(in.newSource(), "already latched: nothing new to connect to");
    }

    @Test
    void aNatSourceLearnsBeforeItIsAcceptedAndStrangersNeverAre() throws Exception {
        RtpIntake in = intake();
        for (int seq = 0; seq < 20; seq++) {
            byte[] p = packet(0, seq, 160);
            assertEquals(Kind.FOREIGN, in.accept(p, 0, p.length, SPRAYER));
        }
        assertTrue(in.firstForeign());
        assertFalse(in.firstForeign(), "one log line per leg");
        for (int i = 0; i < SourceLatch.LEARNING_PACKETS - 1; i++) {
            byte[] p = packet(0, 100 + i, 160);
            assertEquals(Kind.LEARNING, in.accept(p, 0, p.length, NAT));
        }
        byte[] p = packet(0, 100 + SourceLatch.LEARNING_PACKETS - 1, 160);
        assertEquals(Kind.AUDIO, in.accept(p, 0, p.length, NAT));
        assertEquals(NAT, in.newSource());
        assertSame(in.remote(), in.newSource());
        assertEquals(Kind.FOREIGN, in.accept(p, 0, p.length, SPRAYER));
        assertEquals(NAT, in.remote(), "a stranger never moves the media");
    }

    @Test
    void aReOfferWithANewAddressLearnsAnew() throws Exception {
        RtpIntake in = intake();
        byte[] p = packet(0, 1, 160);
        in.accept(p, 0, p.length, SDP);
        InetSocketAddress moved = new InetSocketAddress("192.0.2.20", 42000);
        in.relatch(moved);
        assertEquals(moved, in.remote());
        assertEquals(moved, in.sdpAddress());
        assertEquals(Kind.FOREIGN, in.accept(p, 0, p.length, SDP), "the old address is a stranger now");
        assertEquals(Kind.AUDIO, in.accept(p, 0, p.length, new InetSocketAddress("192.0.2.20", 42000)));
    }
}
