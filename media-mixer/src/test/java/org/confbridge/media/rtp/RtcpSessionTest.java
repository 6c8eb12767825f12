package org.confbridge.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RtcpSessionTest {
    @Test
    void twoEndsLearnRoundTripAndLoss() {
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        RtcpSession bridge = new RtcpSession(0xB1, 8000, clock::get);
        RtcpSession phone = new RtcpSession(0xF0, 8000, clock::get);
        // The bridge receives 100 packets of the phone with 10 missing; the phone all of the bridge's.
        for (int seq = 65500; seq < 65600; seq++) {
            if (seq % 10 != 3) {
                bridge.rtpReceived(0xF0, seq & 0xFFFF);
            }
            phone.rtpReceived(0xB1, seq & 0xFFFF);
            bridge.rtpSent(160, seq * 160L);
        }
        assertEquals(10, bridge.cumulativeLost());
        byte[] buf = new byte[256];
        // Bridge sends an SR; it takes 30 ms to arrive; the phone answers 200 ms later; 30 ms back.
        int n = bridge.buildReport(buf, 0, 2.5, "bridge@example");
        clock.addAndGet(30);
        phone.receive(buf, 0, n);
        assertEquals(100.0 * 25 / 256, phone.remoteLossPercent(), 0.5, "10 of 100 lost = fraction 25/256");
        clock.addAndGet(200);
        int m = phone.buildReport(buf, 0, 1.0, "phone");
        clock.addAndGet(30);
        bridge.receive(buf, 0, m);
        assertEquals(60, bridge.rttMs(), 1.0, "round trip without the phone's hold time");
        assertEquals(0.0, bridge.remoteLossPercent(), 1e-9);
        // The fraction covers the interval since the previous report: nothing new lost since.
        n = bridge.buildReport(buf, 0, 2.5, "bridge@example");
        phone.receive(buf, 0, n);
        assertEquals(0.0, phone.remoteLossPercent(), 1e-9);

    }

    @Test
    void reportIsWellFormedCompoundRtcp() {
        RtcpSession s = new RtcpSession(0x11223344L, 8000, () -> 1_700_000_000_000L);
        s.rtpReceived(5, 1);
        byte[] b = new byte[256];
        int n = s.buildReport(b, 0, 0, "cname");
        assertEquals(0, n % 4);
        int srLen = 4 * (((b[2] & 0xFF) << 8 | (b[3] & 0xFF)) + 1);
        assertEquals(52, srLen, "SR with one block");
        assertEquals(RtcpSession.SDES, b[srLen + 1] & 0xFF);
        assertEquals(n, srLen + 4 * (((b[srLen + 2] & 0xFF) << 8 | (b[srLen + 3] & 0xFF)) + 1));
        s.receive(new byte[] {1, 2, 3}, 0, 3); // garbage is ignored
    }
}
