package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Recordings are kept only as long as allowed: at start-up, expired sessions disappear whole, young ones stay. */
class RetentionIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void sessionsOlderThanTheRetentionPeriodAreDeletedAtStartUp() throws Exception {
        Path old = session("1000", "old", Instant.now().minus(Duration.ofDays(31)));
        Path young = session("1000", "young", Instant.now().minus(Duration.ofDays(29)));
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("1000", "pin = 1234\n"),
                Map.of("recordings.retentionDays", "30"))) {
            bridge.awaitLog("retention: deleted session", Duration.ofSeconds(10));
            assertFalse(Files.exists(old), "the expired session is gone, recording and all");
            assertTrue(Files.exists(young.resolve("mix.wav")), "the young one stays");
            assertEquals(1.0, bridge.metric("bridge_recordings_deleted_total"));
        }
    }

    private Path session(String room, String name, Instant end) throws Exception {
        Path s = dir.resolve("recordings").resolve(room).resolve("20260101-000000Z-" + name);
        Files.createDirectories(s);
        Files.writeString(s.resolve("session.json"), "{\"room\":\"" + room + "\",\"sessionId\":\"" + name
                + "\",\"start\":\"" + end.minusSeconds(600) + "\",\"end\":\"" + end + "\",\"participants\":[],"
                + "\"events\":[],\"recordings\":[]}");
        Files.write(s.resolve("mix.wav"), new byte[44]);
        return s;
    }
}
