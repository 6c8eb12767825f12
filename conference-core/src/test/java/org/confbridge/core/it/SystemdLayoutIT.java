package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar started in the layout the shipped systemd unit gives it (read from
 * {@code deploy/systemd/confbridge.service}, moved under a temporary root): configuration in
 * {@code /etc/confbridge}, which the bridge only reads; everything it writes, rooms created over
 * the API, the admin token and recordings, under the unit's {@code StateDirectory}, found through
 * {@code $STATE_DIRECTORY} as systemd sets it.
 */
class SystemdLayoutIT {
    private static final Path UNIT = Path.of("..", "deploy", "systemd", "confbridge.service");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path root;

    @Test
    void theBridgeWritesOnlyWhereTheUnitLetsIt() throws Exception {
        String unit = Files.readString(UNIT);
        Path configDir = under(root, value(unit, "ExecStart=.*--config (\\S+)"));
        Path stateDir = under(root, "/var/lib/" + value(unit, "StateDirectory=(\\S+)"));
        assertEquals(stateDir, under(root, value(unit, "WorkingDirectory=(\\S+)")), "it runs in its state directory");
        assertTrue(unit.contains("ProtectSystem=strict"), "the rest of the system is read-only to it");
        Files.createDirectories(stateDir);

        List<String> before;
        Map<String, String> settings = Map.of("recordings.dir", "recordings", "rooms.onDemandRange", "7000-7009");
        Map<String, String> env = Map.of("STATE_DIRECTORY", stateDir.toString());
        String token;
        try (BridgeProcess bridge = BridgeProcess.start(configDir, Map.of("1000", "pin = 1234\n"), settings, env, stateDir)) {
            before = listing(configDir);
            token = bridge.token;
            Path tokenFile = stateDir.resolve("admin.token");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            var created = bridge.post("/api/rooms", token, "{\"name\":\"Escalation\"}");
            assertEquals(201, created.statusCode(), created.body());
            String number = new ObjectMapper().readTree(created.body()).get("room").asText();
            assertTrue(Files.exists(stateDir.resolve("rooms").resolve(number + ".properties")));
            assertEquals(200, bridge.get("/api/rooms/" + number).statusCode(), "loaded beside the admin's rooms");
            assertEquals(409, bridge.delete("/api/rooms/1000", token).statusCode());
        }
        assertEquals(before, listing(configDir), "nothing written among the configuration files");
        assertFalse(Files.exists(configDir.resolve("state")));
        try (BridgeProcess again = BridgeProcess.start(configDir, Map.of("1000", "pin = 1234\n"), settings, env, stateDir)) {
            assertEquals(token, again.token, "the made token survives a restart");
            assertTrue(again.log().contains("using the one in " + stateDir.resolve("admin.token")));
            assertEquals(200, again.get("/api/rooms/7000").statusCode(), "and so does the room made over the API");
        }
    }

    private static String value(String unit, String regex) {
        Matcher m = Pattern.compile("(?m)^" + regex).matcher(unit);
        assertTrue(m.find(), UNIT + " has " + regex);
        return m.group(1);
    }

    private static Path under(Path root, String absolute) {
        return root.resolve(absolute.substring(1));
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.getFileName().toString().equals("bridge.log")).map(p -> dir.relativize(p) + " "
                    + p.toFile().lastModified()).sorted().toList();
        }
    }
}
