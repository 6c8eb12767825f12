package org.confbridge.core.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.confbridge.config.BridgeConfiguration;
import org.confbridge.config.ConfigLoader;
import org.confbridge.config.RoomFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnDemandRoomsTest {
    @TempDir
    Path dir;
    private Instant now = Instant.parse("2026-12-06T10:00:00Z");
    private final Set<String> inSession = new HashSet<>();
    private final Set<String> ended = new HashSet<>();

    private OnDemandRooms rooms(AtomicReference<BridgeConfiguration> config) throws Exception {
        Files.createDirectories(dir.resolve("rooms"));
        Files.writeString(dir.resolve("bridge.properties"), "rooms.onDemandRange = 7000-7002\n");
        Files.writeString(dir.resolve("rooms/7000.properties"), "pin = 1111\n"); // taken by an admin
        config.set(ConfigLoader.load(dir));
        Runnable reload = () -> {
            try {
                config.set(ConfigLoader.load(dir));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        return new OnDemandRooms(RoomFolders.of(dir, config.get().bridge()), config::get, reload, inSession::contains, ended::add,
                new Clock() {
                    @Override
                    public java.time.ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        return now;
                    }
                });
    }

    @Test
    void aNewRoomIsAnOrdinaryRoomFileWithFreshPinsAndTheNextFreeNumber() throws Exception {
        AtomicReference<BridgeConfiguration> config = new AtomicReference<>();
        OnDemandRooms rooms = rooms(config);
        Map<String, Object> a = rooms.create(new OnDemandRooms.Request("Escalation #4711", "en", "always", true,
                "required", 90), "192.0.2.1");
        assertEquals("7001", a.get("room"), "7000 is an admin's room");
        assertEquals("sip:7001@192.0.2.1", a.get("sipUri"));
        assertEquals("2026-12-06T11:30:00Z", a.get("expires"));
        String pin = (String) a.get("pin");
        assertTrue(pin.matches("[0-9]{6}") && ((String) a.get("moderatorPin")).matches("[0-9]{6}"));
        assertNotEquals(pin, a.get("moderatorPin"));
        var loaded = config.get().room("7001").orElseThrow();
        assertEquals("Escalation\u00A0#4711", loaded.name(), "the '#' kept (no comment), shown the same");
        assertEquals(pin, loaded.pin());
        assertTrue(loaded.srtpRequired() && loaded.recordTracks());
        assertTrue(Files.readString(dir.resolve("state/rooms/7001.properties")).startsWith("# created over the API at"),
                "in the bridge's own folder, not among the admin's files");
        assertFalse(Files.exists(dir.resolve("rooms/7001.properties")));
        assertEquals("7002", rooms.create(new OnDemandRooms.Request(null, null, null, null, null, null), "h").get("room"));
        assertThrows(IllegalStateException.class,
                () -> rooms.create(new OnDemandRooms.Request(null, null, null, null, null, null), "h"), "range used up");
        assertThrows(IllegalArgumentException.class,
                () -> rooms.create(new OnDemandRooms.Request(null, "fr", null, null, null, null), "h"));
    }

    @Test
    void deletingEndsTheConferenceAndExpiredRoomsGoOnceEmpty() throws Exception {
        AtomicReference<BridgeConfiguration> config = new AtomicReference<>();
        OnDemandRooms rooms = rooms(config);
        rooms.create(new OnDemandRooms.Request(null, null, null, null, null, 30), "h");
        rooms.create(new OnDemandRooms.Request(null, null, null, null, null, 30), "h");
        assertEquals(OnDemandRooms.Deletion.DELETED, rooms.delete("7001"));
        assertEquals(Set.of("7001"), ended, "its conference was ended");
        assertFalse(Files.exists(dir.resolve("state/rooms/7001.properties")));
        assertEquals(OnDemandRooms.Deletion.NOT_FOUND, rooms.delete("7001"));
        assertEquals(OnDemandRooms.Deletion.NOT_FOUND, rooms.delete("../bridge"), "only room files");
        assertEquals(OnDemandRooms.Deletion.ADMIN_FILE, rooms.delete("7000"), "an admin's room stays");
        assertTrue(Files.exists(dir.resolve("rooms/7000.properties")));
        assertEquals(Set.of("7001"), ended, "and its conference goes on");

        inSession.add("7002");
        now = now.plusSeconds(31 * 60);
        assertEquals(0, rooms.sweepExpired(), "expired but in session: it stays until empty");
        inSession.clear();
        assertEquals(1, rooms.sweepExpired());
        assertTrue(config.get().room("7002").isEmpty());
        assertTrue(config.get().room("7000").isPresent(), "an admin's room without expiry stays");
    }

    @Test
    void roomsAnEarlierVersionWroteAmongTheAdminsFilesMoveToTheBridgesOwnFolder() throws Exception {
        AtomicReference<BridgeConfiguration> config = new AtomicReference<>();
        OnDemandRooms rooms = rooms(config);
        Files.writeString(dir.resolve("rooms/7002.properties"), "# created over the API at 2026-01-01T00:00:00Z\npin = 2\n");
        assertEquals(1, rooms.adoptEarlierRooms());
        assertTrue(Files.exists(dir.resolve("state/rooms/7002.properties")));
        assertTrue(Files.exists(dir.resolve("rooms/7000.properties")), "the admin's own stays");
        assertEquals(OnDemandRooms.Deletion.DELETED, rooms.delete("7002"));
    }
}
