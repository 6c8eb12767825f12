package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "RTP bleed" attack: a stranger at another address sprays a tone at every even port of the
 * RTP range while two callers join and talk. With strict RTP the stranger receives nothing, is
 * not heard, and the two callers hear each other.
 */
class StrictRtpIT {
    private static final double SPRAY_HZ = 2000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static BridgeProcess bridge;

    @BeforeAll
    static void startBridge() throws Exception {
        bridge = BridgeProcess.start(dir, Map.of("1000", "name = Open\nannounceJoinLeave = false\n"), Map.of());
    }

    @AfterAll
    static void stopBridge() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void sprayerAtAnotherAddressGetsNothingAndIsNotHeard() throws Exception {
        try (RtpSprayer sprayer = new RtpSprayer("127.0.0.2", bridge.rtpBase, bridge.rtpBase + 399, SPRAY_HZ);
             RtpPeer alice = new RtpPeer(); RtpPeer bob = new RtpPeer()) {
            Thread.sleep(300); // the spray is on before anyone calls
            Sipp a = Sipp.start(dir, "alice", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(alice.port()), "DTMF_PT", "101", "HOLD_MS", "9000"), bridge, "1000");
            alice.sendTone(new InetSocketAddress("127.0.0.1", a.answeredMediaPort(Duration.ofSeconds(10))), 440, 8000);
            Sipp b = Sipp.start(dir, "bob", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(bob.port()), "DTMF_PT", "101", "HOLD_MS", "7000"), bridge, "1000");
            bob.sendTone(new InetSocketAddress("127.0.0.1", b.answeredMediaPort(Duration.ofSeconds(10))), 1000, 8000);
            bridge.awaitLogCount("joined room 1000", 2, Duration.ofSeconds(10));
            int aFrom = alice.received().length;
            int bFrom = bob.received().length;
            Thread.sleep(4000);

            short[] atAlice = alice.received();
            short[] atBob = bob.received();
            double bobAtAlice = ToneMeter.level(atAlice, aFrom + 8000, atAlice.length, 1000, 8000);
            double aliceAtBob = ToneMeter.level(atBob, bFrom + 8000, atBob.length, 440, 8000);
            double sprayAtAlice = ToneMeter.level(atAlice, aFrom, atAlice.length, SPRAY_HZ, 8000);
            double sprayAtBob = ToneMeter.level(atBob, bFrom, atBob.length, SPRAY_HZ, 8000);
            assertTrue(bobAtAlice > 5000, "alice hears bob: 1000 Hz at " + bobAtAlice);
            assertTrue(aliceAtBob > 5000, "bob hears alice: 440 Hz at " + aliceAtBob);
            assertTrue(sprayAtAlice < 300 && sprayAtBob < 300,
                    "nobody hears the sprayer: " + sprayAtAlice + ", " + sprayAtBob);
            assertTrue(sprayer.sent() > 5000, "the sprayer sprayed: " + sprayer.sent());
            assertEquals(0, sprayer.received(), "the bridge sent the sprayer nothing");
            assertEquals(0, a.await(Duration.ofSeconds(20)), a.report());
            assertEquals(0, b.await(Duration.ofSeconds(20)), b.report());
        }
        assertTrue(bridge.metric("bridge_rtp_packets_dropped_total{reason=\"foreign-source\"}") > 0);
        assertTrue(bridge.log().contains("RTP from /127.0.0.2:"), "one line names the stranger");
        assertTrue(bridge.log().contains("not the caller's media source"));
    }
}
