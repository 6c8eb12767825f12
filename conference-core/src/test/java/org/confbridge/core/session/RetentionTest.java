package org.confbridge.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void sessionsEndedBeforeTheRetentionPeriodAreDeletedWholeTheOthersStay() throws Exception {
        Path old = session("1000", "20260801-100000Z-a", "\"2026-08-01T11:00:00Z\"");
        Path young = session("1000", "20261201-100000Z-b", "\"2026-12-01T11:00:00Z\"");
        Path open = session("2000", "20260101-100000Z-c", "null");
        Files.writeString(old.resolve("mix.wav"), "RIFF");
        AtomicInteger counted = new AtomicInteger();
        Retention retention = new Retention(dir, () -> 90, Clock.fixed(NOW, ZoneOffset.UTC), counted::incrementAndGet);
        assertEquals(1, retention.run());
        assertFalse(Files.exists(old), "the old session's directory is gone, recordings and all");
        assertTrue(Files.exists(young));
        assertTrue(Files.exists(open), "a session without an end is never deleted");
        assertEquals(1, counted.get());
    }

    @Test
    void zeroKeepsForever() throws Exception {
        Path old = session("1000", "20200101-100000Z-a", "\"2020-01-01T11:00:00Z\"");
        assertEquals(0, new Retention(dir, () -> 0, Clock.fixed(NOW, ZoneOffset.UTC), () -> { }).run());
        assertTrue(Files.exists(old));
    }

    private Path session(String room, String name, String end) throws Exception {
        Path s = dir.resolve(room).resolve(name);
        Files.createDirectories(s);
        Files.writeString(s.resolve("session.json"), "{\"room\":\"" + room + "\",\"end\":" + end + "}");
        return s;
    }
}
