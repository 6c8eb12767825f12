package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a recorded session: after the restart the session record is
 * closed (end, the participant's leave, a crash-recovered event) and lists {@code mix.wav} with its
 * length and SHA-256, so no record stays open forever.
 */
class CrashRecoveryIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aKilledBridgesOpenSessionIsClosedAtTheNextStart() throws Exception {
        Map<String, String> rooms = Map.of("1000", "name = Recorded\nrecord = always\n");
        try (BridgeProcess bridge = BridgeProcess.start(dir, rooms, Map.of()); RtpPeer phone = new RtpPeer()) {
            Sipp caller = Sipp.start(dir, "caller", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(phone.port()), "DTMF_PT", "101", "HOLD_MS", "30000"), bridge, "1000");
            phone.sendTone(new InetSocketAddress("127.0.0.1", caller.answeredMediaPort(Duration.ofSeconds(10))), 440, 8000);
            bridge.awaitLog("joined room 1000", Duration.ofSeconds(10));
            Thread.sleep(4000);
            bridge.kill();
            caller.kill();
        }
        Path session;
        try (var dirs = Files.list(dir.resolve("recordings").resolve("1000"))) {
            session = dirs.findFirst().orElseThrow();
        }
        JsonNode before = new ObjectMapper().readTree(session.resolve("session.json").toFile());
        assertTrue(before.get("end").isNull(), "the crash left the record open");

        try (BridgeProcess restarted = BridgeProcess.start(dir, rooms, Map.of())) {
            assertTrue(restarted.log().contains("was left open by an unclean stop"), restarted.log());
        }
        JsonNode after = new ObjectMapper().readTree(session.resolve("session.json").toFile());
        assertFalse(after.get("end").isNull(), after.toPrettyString());
        assertFalse(after.get("participants").get(0).get("left").isNull(), "the caller left when the session ended");
        boolean crashEvent = false;
        for (JsonNode e : after.get("events")) {
            crashEvent |= e.get("type").asText().equals("crash-recovered");
        }
        assertTrue(crashEvent, after.get("events").toString());
        assertTrue(Files.readString(session.resolve("report.html")).contains("Recorded"), "its report is written too");
        JsonNode mix = after.get("recordings").get(0);
        assertEquals("mix.wav", mix.get("file").asText());
        assertTrue(mix.get("seconds").asDouble() > 2, "the audio up to the crash: " + mix);
        byte[] wav = Files.readAllBytes(session.resolve("mix.wav"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(wav)), mix.get("sha256").asText());
    }
}
