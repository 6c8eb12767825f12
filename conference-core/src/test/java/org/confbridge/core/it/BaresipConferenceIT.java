package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real softphones in one room, each with a different tone as its microphone: each must hear
 * the other's tone and not its own, measured in what the phone decoded.
 */
class BaresipConferenceIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void twoSoftphonesHearEachOtherButNotThemselves() throws Exception {
        try (BridgeProcess bridge = BridgeProcess.start(dir,
                Map.of("1000", "name = Softphones\npin = 1234\nrecord = always\n"), Map.of())) {
            try (Baresip alice = Baresip.dial(dir, "alice", 440, "PCMU", bridge, "1000");
                 Baresip bob = Baresip.dial(dir, "bob", 1000, "PCMA", bridge, "1000")) {
                Baresip.joinAndTalk(bridge, "1000", "1234", alice, bob);
                Baresip.hangUpAndHearEachOther(alice, "alice", 440, bob, "bob", 1000);
            }
            bridge.awaitLog("room 1000 closed", Duration.ofSeconds(10));
            bridge.awaitLog("mix.wav closed", Duration.ofSeconds(10));
        }
        Path sessionDir;
        try (var dirs = Files.list(dir.resolve("recordings").resolve("1000"))) {
            sessionDir = dirs.findFirst().orElseThrow();
        }
        ToneMeter.Wav mix = ToneMeter.readWav(sessionDir.resolve("mix.wav"));
        short[] s = mix.samples();
        int to = s.length - mix.rate(); // before the hang-ups
        int from = to - 2 * mix.rate();
        assertTrue(ToneMeter.level(s, from, to, 440, mix.rate()) > 3000, "mix.wav holds alice's 440 Hz");
        assertTrue(ToneMeter.level(s, from, to, 1000, mix.rate()) > 3000, "mix.wav holds bob's 1000 Hz");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        JsonNode session = null;
        while (System.nanoTime() < deadline) {
            session = new ObjectMapper().readTree(sessionDir.resolve("session.json").toFile());
            if (!session.get("end").isNull()) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(session != null && !session.get("end").isNull(), "session closed");
        assertEquals(2, session.get("participants").size(), session.toPrettyString());
        for (JsonNode p : session.get("participants")) {
            String name = p.get("displayName").asText();
            assertTrue(name.equals("alice") || name.equals("bob"), "named participant: " + p);
            assertTrue(p.get("joined").asText().endsWith("Z") && p.get("left").asText().endsWith("Z"), p.toString());
        }
    }
}
