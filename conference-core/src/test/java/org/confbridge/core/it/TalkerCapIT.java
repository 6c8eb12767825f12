package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mixer.maxTalkers = 2} with three SIPp callers talking at the same level: a listener hears
 * the two who started first, not the third who joined while they talked; the room API still shows
 * all three talking.
 */
class TalkerCapIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aThirdTalkerJoiningTwoIsNotMixedButShownTalking() throws Exception {
        Path t440 = dir.resolve("tone440.wav");
        Path t700 = dir.resolve("tone700.wav");
        Path t1100 = dir.resolve("tone1100.wav");
        Sox.tone(t440, 440, 12, "u-law");
        Sox.tone(t700, 700, 12, "u-law");
        Sox.tone(t1100, 1100, 12, "u-law");
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("1000", "name = Capped\n"),
                Map.of("mixer.maxTalkers", "2"));
             RtpPeer peer = new RtpPeer()) {
            Sipp listener = Sipp.start(dir, "listener", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(peer.port()), "DTMF_PT", "101", "HOLD_MS", "9000"), bridge, "1000");
            Sipp first = Sipp.start(dir, "first", "uac_stream.xml", Map.of("FILE", t440.toString(), "HOLD_MS", "9000"),
                    bridge, "1000");
            Sipp second = Sipp.start(dir, "second", "uac_stream.xml", Map.of("FILE", t700.toString(), "HOLD_MS", "9000"),
                    bridge, "1000");
            bridge.awaitLogCount("joined room 1000 as participant", 3, Duration.ofSeconds(15));
            Thread.sleep(1500);
            Sipp third = Sipp.start(dir, "third", "uac_stream.xml", Map.of("FILE", t1100.toString(), "HOLD_MS", "5000"),
                    bridge, "1000");
            bridge.awaitLogCount("joined room 1000 as participant", 4, Duration.ofSeconds(15));
            Thread.sleep(2500);

            JsonNode room = new ObjectMapper().readTree(bridge.get("/api/rooms/1000").body());
            int talking = 0;
            for (JsonNode p : room.get("participants")) {
                talking += p.get("talking").asBoolean() ? 1 : 0;
            }
            assertEquals(3, talking, "all three count as talking: " + room.toPrettyString());

            short[] heard = peer.received();
            assertTrue(heard.length > 8000 * 3, "at least 3 s of audio received, got " + heard.length + " samples");
            int from = heard.length - 8000 * 2;
            double a = ToneMeter.level(heard, from, heard.length, 440, 8000);
            double b = ToneMeter.level(heard, from, heard.length, 700, 8000);
            double c = ToneMeter.level(heard, from, heard.length, 1100, 8000);
            assertTrue(a > 5000 && b > 5000, "the first two are heard: 440 Hz " + a + ", 700 Hz " + b);
            assertTrue(c < a / 50, "the third, no louder, is not: 1100 Hz " + c + " against " + a);
            for (Sipp sipp : new Sipp[] {listener, first, second, third}) {
                assertEquals(0, sipp.await(Duration.ofSeconds(30)), sipp.report());
            }
        }
    }
}
