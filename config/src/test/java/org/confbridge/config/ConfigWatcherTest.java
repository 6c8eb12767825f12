package org.confbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
    @TempDir
    Path dir;
    private long clock = System.currentTimeMillis();

    /** Writes a file with a modification time later than any before (file systems may be coarse). */
    private void write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        clock += 2000;
        Files.setLastModifiedTime(p, FileTime.fromMillis(clock));
    }

    @Test
    void changesApplyAndBrokenFilesKeepTheLastGoodVersion() throws Exception {
        write("bridge.properties", "sip.port = 5070\npin.attempts = 3\n");
        write("rooms/1000.properties", "pin = 1111\n");
        BridgeConfiguration initial = ConfigLoader.load(dir);
        AtomicReference<BridgeConfiguration> current = new AtomicReference<>(initial);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ConfigWatcher w = new ConfigWatcher(dir, initial, current::set)) {
            w.bindTo(registry);
            assertFalse(w.check(), "nothing changed yet");

            write("rooms/1000.properties", "pin = 2222\n");
            assertTrue(w.check());
            assertEquals("2222", current.get().room("1000").orElseThrow().pin(), "new PIN in force");

            write("rooms/1000.properties", "pin = 33x3\n");
            assertFalse(w.check(), "a broken file changes nothing");
            assertEquals("2222", current.get().room("1000").orElseThrow().pin(), "last good version stays");
            assertEquals(1.0, registry.get(ConfigWatcher.RELOADS).tag("result", "rejected").counter().count());

            write("rooms/2000.properties", "name = New room\n");
            assertTrue(w.check());
            assertEquals("New room", current.get().room("2000").orElseThrow().name());

            Files.delete(dir.resolve("rooms/2000.properties"));
            assertTrue(w.check());
            assertTrue(current.get().room("2000").isEmpty(), "removed room takes no new callers");

            write("bridge.properties", "sip.port = 5999\npin.attempts = 5\n");
            assertTrue(w.check());
            assertEquals(5070, current.get().bridge().sipPort(), "the port needs a restart");
            assertEquals(5, current.get().bridge().pinAttempts(), "PIN attempts apply at once");
            assertTrue(registry.get(ConfigWatcher.RELOADS).tag("result", "applied").counter().count() >= 4);
        }
    }
}
