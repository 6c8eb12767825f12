package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Late offer, as PBXs and trunks send it (SIPp as the PBX): an INVITE without SDP gets our offer
 * in the 200 OK, the caller's answer comes with the ACK, and the call is a conference call like
 * any other: a softphone (baresip) hears it and is heard by it. An ACK without a usable answer ends the call with a BYE that says why.
 */
class LateOfferIT {
    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "name = Open\nannounceJoinLeave = false\n"),
            Map.of());

    @Test
    void aLateOfferCallerHearsAndIsHeardAndOneWithoutAnAnswerIsHungUp() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        Path dir = BRIDGE.dir();
        Heard softphoneHeard;
        try (RtpPeer pbx = new RtpPeer(); Baresip softphone = Baresip.dial(dir, "softphone", 440, "PCMU", bridge, "1000")) {
            bridge.awaitLog("joined room 1000", Duration.ofSeconds(15));
            Sipp late = Sipp.start(dir, "late", "uac_late_offer.xml",
                    Map.of("PEER_PORT", String.valueOf(pbx.port()), "HOLD_MS", "9000"), bridge, "1000");
            pbx.sendTone(new InetSocketAddress("127.0.0.1", late.answeredMediaPort(Duration.ofSeconds(10))), 1000, 8000);
            bridge.awaitLogCount("joined room 1000", 2, Duration.ofSeconds(10));
            Thread.sleep(4000);
            Heard.last("the late-offer caller", pbx.received(), 1.5).hearsOtherNotOwn(440, 5000, 1000);
            softphone.close();
            softphoneHeard = softphone.conversation("the softphone");
            assertEquals(0, late.await(Duration.ofSeconds(20)), late.report());
        }
        softphoneHeard.hearsOtherNotOwn(1000, 5000, 440);
        assertTrue(bridge.log().contains("answer in ACK: PCMU pt 0"), "the answer's codec was taken");

        try (RtpPeer media = new RtpPeer()) {
            Sipp broken = Sipp.start(dir, "broken", "uac_late_offer_no_answer.xml",
                    Map.of("PEER_PORT", String.valueOf(media.port())), bridge, "1000");
            assertEquals(0, broken.await(Duration.ofSeconds(20)), "a BYE with Reason 488\n" + broken.report());
        }
        bridge.awaitLog("no usable answer in the ACK", Duration.ofSeconds(5));
        assertEquals(0, ports(bridge), "every port back in the pool");
    }

    /** RTP ports still taken: the range's legs less the free ones. */
    private static int ports(BridgeProcess bridge) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int taken;
        do {
            taken = (int) (200 - bridge.metric("bridge_rtp_ports_free"));
            if (taken == 0) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return taken;
    }
}
