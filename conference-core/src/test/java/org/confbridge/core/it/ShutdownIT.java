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
 * Stopping the bridge (SIGTERM, as an init system does): live callers hear that the conference
 * ends and get BYE, the recording and the session record are finalised, and the process exits 0.
 */
class ShutdownIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void sigtermSaysGoodbyeFinalisesTheSessionAndExitsZero() throws Exception {
        BridgeProcess bridge = BridgeProcess.start(dir, Map.of("1000", "record = always\n"), Map.of());
        try (bridge) {
            Sipp caller = Sipp.start(dir, "waiter", "uac_wait_bye.xml", Map.of(), bridge, "1000");
            caller.answeredMediaPort(Duration.ofSeconds(10));
            bridge.awaitLog("joined room 1000", Duration.ofSeconds(10));
            Thread.sleep(2000);
            int exit = bridge.stop();
            assertEquals(0, caller.await(Duration.ofSeconds(20)), "the caller received BYE\n" + caller.report());
            assertEquals(0, exit, "clean stop exits 0\n" + bridge.log());
            String log = bridge.log();
            assertTrue(log.contains("BYE sent by the bridge"), log);
            assertTrue(log.contains("bridge stopped"), log);
        }
        Path sessionDir;
        try (var dirs = Files.list(dir.resolve("recordings").resolve("1000"))) {
            sessionDir = dirs.findFirst().orElseThrow();
        }
        JsonNode session = new ObjectMapper().readTree(sessionDir.resolve("session.json").toFile());
        assertTrue(!session.get("end").isNull(), "session closed: " + session.toPrettyString());
        assertTrue(!session.get("participants").get(0).get("left").isNull(), session.toPrettyString());
        JsonNode rec = session.get("recordings").get(0);
        ToneMeter.Wav wav = ToneMeter.readWav(sessionDir.resolve("mix.wav"));
        assertEquals(rec.get("seconds").asDouble(), wav.samples().length / (double) wav.rate(), 0.05,
                "the WAV header matches what session.json says");
        assertTrue(wav.samples().length > wav.rate() * 2, "recorded until the end");
    }
}
