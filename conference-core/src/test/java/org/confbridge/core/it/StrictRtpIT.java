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
 * The "RTP bleed" attack: a stranger at another address sprays a tone at every even port of the
 * RTP range while two callers join and talk. With strict RTP the stranger receives nothing, is
 * not heard, and the two callers hear each other.
 */
class StrictRtpIT {
    private static final double SPRAY_HZ = 2000;

    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "name = Open\nannounceJoinLeave = false\n"), Map.of());

    @Test
    void sprayerAtAnotherAddressGetsNothingAndIsNotHeard() throws Exception {
        try (RtpSprayer sprayer = new RtpSprayer("127.0.0.2", BRIDGE.process().rtpBase, BRIDGE.process().rtpBase + 399, SPRAY_HZ);
             RtpPeer alice = new RtpPeer(); RtpPeer bob = new RtpPeer()) {
            Thread.sleep(300); // the spray is on before anyone calls
            Sipp a = Sipp.start(BRIDGE.dir(), "alice", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(alice.port()), "DTMF_PT", "101", "HOLD_MS", "9000"), BRIDGE.process(), "1000");
            alice.sendTone(new InetSocketAddress("127.0.0.1", a.answeredMediaPort(Duration.ofSeconds(10))), 440, 8000);
            Sipp b = Sipp.start(BRIDGE.dir(), "bob", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(bob.port()), "DTMF_PT", "101", "HOLD_MS", "7000"), BRIDGE.process(), "1000");
            bob.sendTone(new InetSocketAddress("127.0.0.1", b.answeredMediaPort(Duration.ofSeconds(10))), 1000, 8000);
            BRIDGE.process().awaitLogCount("joined room 1000", 2, Duration.ofSeconds(10));
            int aFrom = alice.received().length;
            int bFrom = bob.received().length;
            Thread.sleep(4000);

            short[] atAlice = alice.received();
            short[] atBob = bob.received();
            Heard.since("alice", atAlice, aFrom + 8000).hears(1000, 5000, "bob");
            Heard.since("bob", atBob, bFrom + 8000).hears(440, 5000, "alice");
            Heard.since("alice", atAlice, aFrom).hearsNot(SPRAY_HZ, "the sprayer");
            Heard.since("bob", atBob, bFrom).hearsNot(SPRAY_HZ, "the sprayer");
            assertTrue(sprayer.sent() > 5000, "the sprayer sprayed: " + sprayer.sent());
            assertEquals(0, sprayer.received(), "the bridge sent the sprayer nothing");
            assertEquals(0, a.await(Duration.ofSeconds(20)), a.report());
            assertEquals(0, b.await(Duration.ofSeconds(20)), b.report());
        }
        assertTrue(BRIDGE.process().metric("bridge_rtp_packets_dropped_total{reason=\"foreign-source\"}") > 0);
        assertTrue(BRIDGE.process().log().contains("RTP from /127.0.0.2:"), "one line names the stranger");
        assertTrue(BRIDGE.process().log().contains("not the caller's media source"));
    }
}
