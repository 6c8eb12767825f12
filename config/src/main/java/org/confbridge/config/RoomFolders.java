package org.confbridge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where room files live: the admin's {@code DIR/rooms} (read only to the bridge) and the bridge's own
 * {@code <state.dir>/rooms}, where rooms created over the API are written. An admin's file wins
 * over a state file of the same number, so nothing the API writes can replace a configured room.
 */
public record RoomFolders(Path adminRooms, Path stateDir) {

    /**
     * The folders of a configuration directory under its settings: {@code state.dir}; when empty,
     * the state directory systemd gives the service ({@code StateDirectory=} sets
     * {@code $STATE_DIRECTORY}), else {@code DIR/state}.
     */
    public static RoomFolders of(Path configDir, BridgeSettings bridge) {
        return of(configDir, bridge, System.getenv("STATE_DIRECTORY"));
    }

    static RoomFolders of(Path configDir, BridgeSettings bridge, String systemdStateDirectory) {
        Path state;
        if (!bridge.stateDir().isEmpty()) {
            state = Path.of(bridge.stateDir());
        } else if (systemdStateDirectory != null && !systemdStateDirectory.isBlank()) {
            state = Path.of(systemdStateDirectory.split(":")[0]); // several directories are colon-separated
        } else {
            state = configDir.resolve("state");
        }
        return new RoomFolders(configDir.resolve("rooms"), state);
    }

    /** Rooms created over the API: {@code <state.dir>/rooms}. */
    public Path onDemandRooms() {
        return stateDir.resolve("rooms");
    }

    /**
     * Every room file, the admin's first (sorted), then the state folder's whose number no admin
     * file has; {@code shadowed} receives the state files left out.
     */
    public List<Path> roomFiles(List<Path> shadowed) throws ConfigException {
        List<Path> files = new ArrayList<>();
        Set<String> numbers = new HashSet<>();
        if (Files.isDirectory(adminRooms)) {
            for (Path f : ConfigLoader.roomFiles(adminRooms)) {
                files.add(f);
                numbers.add(numberOf(f));
            }
        }
        Path own = onDemandRooms();
        if (Files.isDirectory(own) && !own.toAbsolutePath().normalize().equals(adminRooms.toAbsolutePath().normalize())) {
            for (Path f : ConfigLoader.roomFiles(own)) {
                if (numbers.add(numberOf(f))) {
                    files.add(f);
                } else {
                    shadowed.add(f);
                }
            }
        }
        return files;
    }

    /** A room file's number: its name without {@code .properties}. */
    public static String numberOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".properties".length());
    }
}
