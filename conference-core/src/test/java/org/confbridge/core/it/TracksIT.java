package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-participant tracks ({@code recordTracks}): two callers with different tones in a recorded
 * room; each one's track holds that voice and not the other's (measured), starts with silence
 * when the caller joined after the recording began, and is listed in session.json.
 */
class TracksIT {
    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(
            Map.of("1000", "name = Tracks\nannounceJoinLeave = false\nrecord = always\nrecordTracks = true\n"), Map.of());

    @Test
    void eachTrackHoldsItsOwnVoiceAlignedWithTheMix() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        Path dir = BRIDGE.dir();
        try (RtpPeer first = new RtpPeer(); RtpPeer second = new RtpPeer()) {
            Sipp a = Sipp.start(dir, "first", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(first.port()), "DTMF_PT", "101", "HOLD_MS", "9000"), bridge, "1000");
            first.sendTone(new InetSocketAddress("127.0.0.1", a.answeredMediaPort(Duration.ofSeconds(10))), 440, 8000);
            Thread.sleep(3000); // the second joins three seconds into the recording
            Sipp b = Sipp.start(dir, "second", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(second.port()), "DTMF_PT", "101", "HOLD_MS", "5500"), bridge, "1000");
            second.sendTone(new InetSocketAddress("127.0.0.1", b.answeredMediaPort(Duration.ofSeconds(10))), 1000, 8000);
            assertEquals(0, b.await(Duration.ofSeconds(20)), b.report());
            assertEquals(0, a.await(Duration.ofSeconds(20)), a.report());
        }
        bridge.awaitLog("room 1000 closed", Duration.ofSeconds(10));
        Path session;
        try (var dirs = Files.list(dir.resolve("recordings").resolve("1000"))) {
            session = dirs.findFirst().orElseThrow();
        }
        JsonNode record = awaitEnded(session);
        Map<String, Double> listed = new HashMap<>();
        for (JsonNode r : record.get("recordings")) {
            listed.put(r.get("file").asText(), r.get("seconds").asDouble());
        }
        JsonNode people = record.get("participants");
        assertEquals(2, people.size());
        String firstLeg = people.get(0).get("leg").asText();
        String secondLeg = people.get(1).get("leg").asText();
        assertTrue(listed.containsKey("legs/" + firstLeg + ".wav") && listed.containsKey("legs/" + secondLeg + ".wav"),
                "both tracks listed: " + listed);

        ToneMeter.Wav one = ToneMeter.readWav(session.resolve("legs/" + firstLeg + ".wav"));
        ToneMeter.Wav two = ToneMeter.readWav(session.resolve("legs/" + secondLeg + ".wav"));
        // Both talk from 3.5 s to 7.5 s of the recording: each track holds its own tone only.
        int from = (int) (one.rate() * 4.0);
        int to = (int) (one.rate() * 7.0);
        Heard.by("the first caller's track", one.samples(), from, to, one.rate()).hearsOtherNotOwn(440, 5000, 1000);
        Heard.by("the second caller's track", two.samples(), from, to, two.rate()).hearsOtherNotOwn(1000, 5000, 440);
        // The second track starts with the silence before its caller joined.
        Heard.by("the second track's start", two.samples(), one.rate() / 2, one.rate() * 2, two.rate()).hearsNot(1000,
                "before its caller joined");
        System.out.printf("tracks: first %.1f s, second %.1f s, mix %.1f s%n", listed.get("legs/" + firstLeg + ".wav"),
                listed.get("legs/" + secondLeg + ".wav"), listed.get("mix.wav"));
    }

    private static JsonNode awaitEnded(Path session) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode json = new ObjectMapper().readTree(session.resolve("session.json").toFile());
        while (json.get("end").isNull() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            json = new ObjectMapper().readTree(session.resolve("session.json").toFile());
        }
        return json;
    }
}
