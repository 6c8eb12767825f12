package org.confbridge.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code DIR/bridge.properties} and {@code DIR/rooms/*.properties}, or the embedded default
 * configuration when no directory is given. A broken {@code bridge.properties} stops the start; a
 * broken room file only loses that room (it is listed in {@link BridgeConfiguration#rejected()}).
 */
public final class ConfigLoader {
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
    private static final String EMBEDDED = "/default-config/";
    private static final List<String> EMBEDDED_ROOMS = List.of("1000");

    private ConfigLoader() {
    }

    /** The configuration built into the jar: room 1000, PIN 1234, moderator PIN 4321. */
    public static BridgeConfiguration embedded() throws ConfigException {
        List<String> warnings = new ArrayList<>();
        BridgeSettings bridge = BridgeSettings.from(
                checked(readResource(EMBEDDED + "bridge.properties"), BridgeSettings.KEYS, "bridge.properties (embedded)", warnings),
                "bridge.properties (embedded)");
        Map<String, RoomSettings> rooms = new TreeMap<>();
        for (String number : EMBEDDED_ROOMS) {
            String name = "rooms/" + number + ".properties (embedded)";
            rooms.put(number, RoomSettings.from(number,
                    checked(readResource(EMBEDDED + "rooms/" + number + ".properties"), RoomSettings.KEYS, name, warnings),
                    name));
        }
        return new BridgeConfiguration(bridge, rooms, warnings, List.of());
    }

    /**
     * Loads a configuration directory.
     *
     * @throws ConfigException when {@code bridge.properties} is present but invalid (the server
     *     cannot run on half a configuration); room files fail one by one instead
     */
    public static BridgeConfiguration load(Path dir) throws ConfigException {
        List<String> warnings = new ArrayList<>();
        Path bridgeFile = dir.resolve("bridge.properties");
        BridgeSettings bridge;
        if (Files.exists(bridgeFile)) {
            bridge = BridgeSettings.from(checked(PropertiesFile.read(bridgeFile, bridgeFile.toString()),
                    BridgeSettings.KEYS, bridgeFile.toString(), warnings), bridgeFile.toString());
        } else {
            warnings.add(bridgeFile + ": not found, using defaults for all server settings");
            bridge = BridgeSettings.defaults();
        }
        Map<String, RoomSettings> rooms = new TreeMap<>();
        List<ConfigException> rejected = new ArrayList<>();
        RoomFolders folders = RoomFolders.of(dir, bridge);
        if (!Files.isDirectory(folders.adminRooms()) && !Files.isDirectory(folders.onDemandRooms())) {
            warnings.add(folders.adminRooms() + ": no rooms directory, no rooms configured");
        }
        List<Path> shadowed = new ArrayList<>();
        for (Path file : folders.roomFiles(shadowed)) {
            try {
                RoomSettings room = loadRoom(file, warnings);
                rooms.put(room.number(), room);
            } catch (ConfigException e) {
                rejected.add(e);
            }
        }
        for (Path file : shadowed) {
            rejected.add(new ConfigException(file.toString(), null, "room " + RoomFolders.numberOf(file)
                    + " is also an admin's file in " + folders.adminRooms() + ", which is in force"));
        }
        BridgeConfiguration config = new BridgeConfiguration(bridge, rooms, warnings, rejected);
        return config;
    }

    /** Reads {@code bridge.properties} as raw text values (an unknown key rejects it), for reloading. */
    public static Map<String, String> readBridgeRaw(Path file, List<String> warnings) throws ConfigException {
        return checked(PropertiesFile.read(file, file.toString()), BridgeSettings.KEYS, file.toString(), warnings);
    }

    /** Builds server settings from raw values (see {@link #readBridgeRaw}). */
    public static BridgeSettings bridgeSettings(Map<String, String> raw, String file) throws ConfigException {
        return BridgeSettings.from(raw, file);
    }

    /** Loads one room file; its room number is the file name without {@code .properties}. */
    public static RoomSettings loadRoom(Path file, List<String> warnings) throws ConfigException {
        String fileName = file.getFileName().toString();
        String number = fileName.substring(0, fileName.length() - ".properties".length());
        RoomSettings room = RoomSettings.from(number,
                checked(PropertiesFile.read(file, file.toString()), RoomSettings.KEYS, file.toString(), warnings),
                file.toString());
        if (!room.requiresPin()) {
            warnings.add(file + ": room " + number + " has no PIN: anyone who knows the number joins");
        }
        return room;
    }

    /**
     * Checks a configuration directory as the bridge would load it, without starting anything,
     * and returns every problem: each unknown key and each bad value of {@code bridge.properties}
     * and of every room file (an admin's {@code nginx -t}). Empty when all is well.
     */
    public static List<ConfigException> check(Path dir) {
        List<ConfigException> problems = new ArrayList<>();
        Path bridgeFile = dir.resolve("bridge.properties");
        if (Files.exists(bridgeFile)) {
            checkFile(bridgeFile, BridgeSettings.KEYS, problems,
                    raw -> BridgeSettings.from(raw, bridgeFile.toString()));
        }
        BridgeSettings bridge;
        try {
            bridge = Files.exists(bridgeFile)
                    ? BridgeSettings.from(PropertiesFile.read(bridgeFile, bridgeFile.toString()), bridgeFile.toString())
                    : BridgeSettings.defaults();
        } catch (ConfigException e) {
            bridge = BridgeSettings.defaults(); // its problems are listed above; rooms are then where they usually are
        }
        try {
            for (Path file : RoomFolders.of(dir, bridge).roomFiles(new ArrayList<>())) {
                String number = RoomFolders.numberOf(file);
                checkFile(file, RoomSettings.KEYS, problems, raw -> RoomSettings.from(number, raw, file.toString()));
            }
        } catch (ConfigException e) {
            problems.add(e);
        }
        return problems;
    }

    /** A file's unknown keys and bad values, each on its own; then the rules across keys. */
    private static void checkFile(Path file, List<SettingKey<?>> keys, List<ConfigException> problems,
                                  ConfigBuilder whole) {
        Map<String, String> raw;
        try {
            raw = PropertiesFile.read(file, file.toString());
        } catch (ConfigException e) {
            problems.add(e);
            return;
        }
        int before = problems.size();
        Set<String> known = names(keys);
        for (String key : raw.keySet()) {
            if (!known.contains(key)) {
                problems.add(unknownKey(file.toString(), key, known));
            }
        }
        for (SettingKey<?> key : keys) {
            try {
                key.parse(raw.get(key.name()));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigException(file.toString(), key.name(), e.getMessage()));
            }
        }
        if (problems.size() == before) {
            try {
                whole.build(raw);
            } catch (ConfigException e) {
                problems.add(e);
            }
        }
    }

    /** Builds the settings of one file from its raw values (the rules that span keys). */
    private interface ConfigBuilder {
        void build(Map<String, String> raw) throws ConfigException;
    }

    /** Logs warnings and rejected files of a freshly loaded configuration. */
    public static void logFindings(BridgeConfiguration config) {
        config.warnings().forEach(w -> log.warn("config: {}", w));
        config.rejected().forEach(e -> log.error("config: rejected {}", e.getMessage()));
    }

    /** The room files of a rooms directory, sorted by name. */
    static List<Path> roomFiles(Path roomDir) throws ConfigException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(roomDir, "*.properties")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            throw new ConfigException(roomDir.toString(), null, "cannot list room files: " + e.getMessage(), e);
        }
        files.sort(null);
        return files;
    }

    /**
     * Rejects a file with an unknown key, naming the nearest known key: a misspelled {@code pin}
     * must never load a room without a PIN, nor a misspelled {@code admin.token} an open API.
     */
    private static Map<String, String> checked(Map<String, String> raw, List<SettingKey<?>> keys, String file,
                                               List<String> warnings) throws ConfigException {
        Set<String> known = names(keys);
        for (String key : raw.keySet()) {
            if (!known.contains(key)) {
                throw unknownKey(file, key, known);
            }
        }
        return raw;
    }

    private static Set<String> names(List<SettingKey<?>> keys) {
        Set<String> known = new HashSet<>();
        keys.forEach(k -> known.add(k.name()));
        return known;
    }

    /** The error for a key no setting has, with the nearest one that exists. */
    private static ConfigException unknownKey(String file, String key, Set<String> known) {
        String hint = KeySuggestions.nearest(key, known).map(s -> " (did you mean '" + s + "'?)").orElse("");
        return new ConfigException(file, key, "is not a known key" + hint);
    }

    private static Map<String, String> readResource(String resource) throws ConfigException {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException(resource, null, "embedded resource missing from the jar");
            }
            return PropertiesFile.read(in, resource);
        } catch (IOException e) {
            throw new ConfigException(resource, null, e.getMessage(), e);
        }
    }
}
