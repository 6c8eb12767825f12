package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Session timers (RFC 4028) with SIPp as the caller: an interval below 90 s gets 422 with
 * Min-SE; a caller that should refresh and falls silent is hung up shortly before its session
 * expires (a vanished trunk, with no media timeout to notice); where the bridge refreshes, its
 * re-INVITE comes at half the interval, and the caller's UPDATE refreshes as well.
 */
class SessionTimerIT {
    /** No media timeout: what ends the silent call must be the session timer. */
    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "name = Open\nannounceJoinLeave = false\n"),
            Map.of("rtp.timeoutSeconds", "0"));

    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    @Test
    void tooShortIntervalsAreRefusedSilentCallersHungUpAndRefreshesSentAndTaken() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        Path dir = BRIDGE.dir();
        String tooSmall = SipProbe.invite(bridge, "1000", SDP, "Supported: timer\r\nSession-Expires: 60\r\n");
        assertNotNull(tooSmall);
        assertTrue(tooSmall.startsWith("SIP/2.0 422") && tooSmall.contains("Min-SE: 90"), tooSmall);

        try (RtpPeer silentMedia = new RtpPeer(); RtpPeer refreshedMedia = new RtpPeer()) {
            long start = System.nanoTime();
            Sipp silent = Sipp.start(dir, "silent", "uac_timer_silent.xml",
                    Map.of("PEER_PORT", String.valueOf(silentMedia.port()), "DTMF_PT", "101",
                            "BYE_WITHIN_MS", "75000"), bridge, "1000");
            Sipp refreshed = Sipp.start(dir, "refreshed", "uac_timer_refresh.xml",
                    Map.of("PEER_PORT", String.valueOf(refreshedMedia.port()), "DTMF_PT", "101"), bridge, "1000");
            assertEquals(0, refreshed.await(Duration.ofSeconds(80)), "the bridge refreshed at half the interval, "
                    + "and took the caller's UPDATE\n" + refreshed.report());
            assertEquals(0, silent.await(Duration.ofSeconds(80)), "the silent caller got a BYE\n" + silent.report());
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertTrue(seconds >= 55 && seconds <= 70, "the BYE came at 90 s less a third: after " + seconds + " s");
        }
        assertTrue(bridge.log().contains("no session refresh within 90 s"), "the reason is logged");
        assertTrue(bridge.log().contains("session refresh sent"), "the bridge's own refresh is logged");
    }
}
