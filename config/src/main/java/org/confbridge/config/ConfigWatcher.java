package org.confbridge.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.commons.configuration2.io.FileHandler;
import org.apache.commons.configuration2.reloading.FileHandlerReloadingDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code bridge.properties} and the room files ({@link RoomFolders}) and applies changes without a
 * restart. Change detection per file is Commons Configuration's {@link FileHandlerReloadingDetector};
 * a directory listing finds added and removed rooms. A file with an error is rejected as a whole
 * with one log line naming file, key and problem, and the last good version of that room stays in
 * force. Server settings that cannot change while running are logged as needing a restart.
 */
public final class ConfigWatcher implements MeterBinder, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
    public static final String RELOADS = "bridge.config.reloads";

    /** Keys of bridge.properties that take effect while running (read per call). */
    static final Set<String> LIVE_KEYS = liveKeys();

    private static Set<String> liveKeys() {
        Set<String> keys = new HashSet<>(Set.of(BridgeSettings.PIN_TIMEOUT_SECONDS.name(),
                BridgeSettings.PIN_ATTEMPTS.name(), BridgeSettings.ADMIN_TOKEN.name(), BridgeSettings.DIALIN_USER.name(),
                BridgeSettings.RECORDINGS_RETENTION_DAYS.name(), BridgeSettings.RTP_STRICT.name(),
                BridgeSettings.ROOMS_ON_DEMAND.name(), BridgeSettings.WEBHOOK_URL.name(),
                BridgeSettings.WEBHOOK_SECRET.name(), BridgeSettings.DIALOUT_RING_SECONDS.name()));
        // sip.outboundProxy and sip.dialoutFrom are read when the SIP gateway starts: restart.
        SecuritySettings.KEYS.forEach(k -> keys.add(k.name()));
        return Set.copyOf(keys);
    }

    private final Path dir;
    private final Consumer<BridgeConfiguration> onChange;
    private final Map<Path, FileHandlerReloadingDetector> detectors = new HashMap<>();
    private final Map<String, RoomSettings> rooms = new TreeMap<>();
    private final Map<String, Path> roomFiles = new HashMap<>();
    private Map<String, String> bridgeRaw;
    private BridgeSettings bridge;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "config-watcher");
        t.setDaemon(true);
        return t;
    });
    private Counter applied;
    private Counter rejectedCount;

    /**
     * @param initial   the configuration loaded at start from {@code dir}
     * @param onChange  receives each new configuration (on the watcher thread)
     */
    public ConfigWatcher(Path dir, BridgeConfiguration initial, Consumer<BridgeConfiguration> onChange) {
        this.dir = dir;
        this.onChange = onChange;
        this.bridge = initial.bridge();
        this.rooms.putAll(initial.rooms());
        Path bridgeFile = dir.resolve("bridge.properties");
        try {
            bridgeRaw = Files.exists(bridgeFile) ? ConfigLoader.readBridgeRaw(bridgeFile, new ArrayList<>()) : Map.of();
        } catch (ConfigException e) {
            bridgeRaw = Map.of();
        }
        detector(bridgeFile);
        for (Path f : listRoomFiles()) {
            detector(f);
            roomFiles.put(numberOf(f), f);
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        applied = Counter.builder(RELOADS).tag("result", "applied").description("configuration files reloaded")
                .register(registry);
        rejectedCount = Counter.builder(RELOADS).tag("result", "rejected")
                .description("configuration files rejected on reload (last good version kept)").register(registry);
    }

    /** Starts checking every {@code periodMillis}. */
    public void start(long periodMillis) {
        thread.scheduleWithFixedDelay(this::checkSafely, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.error("config: watching {} failed", dir, e);
        }
    }

    /** Reloads now what changed (a room file the bridge itself just wrote); returns whether anything did. */
    public boolean checkNow() {
        return check();
    }

    /** One round: reload what changed, then publish if anything did. Visible for tests. */
    synchronized boolean check() {
        boolean changed = checkBridge();
        Set<String> seen = new HashSet<>();
        for (Path f : listRoomFiles()) {
            String number = numberOf(f);
            seen.add(number);
            FileHandlerReloadingDetector d = detectors.get(f);
            boolean isNew = d == null;
            if (isNew) {
                d = detector(f);
                roomFiles.put(number, f);
            }
            if (isNew || d.isReloadingRequired()) {
                d.reloadingPerformed();
                changed |= reloadRoom(f, number, isNew);
            }
        }
        for (String number : new ArrayList<>(roomFiles.keySet())) {
            if (!seen.contains(number)) {
                Path f = roomFiles.remove(number);
                detectors.remove(f);
                if (rooms.remove(number) != null) {
                    log.info("config: {} removed: room {} takes no new callers and closes when empty", f, number);
                    count(true);
                    changed = true;
                }
            }
        }
        if (changed) {
            onChange.accept(new BridgeConfiguration(bridge, rooms, List.of(), List.of()));
        }
        return changed;
    }

    private boolean reloadRoom(Path f, String number, boolean isNew) {
        List<String> warnings = new ArrayList<>();
        try {
            RoomSettings room = ConfigLoader.loadRoom(f, warnings);
            warnings.forEach(w -> log.warn("config: {}", w));
            RoomSettings before = rooms.put(number, room);
            if (Objects.equals(before, room)) {
                return false;
            }
            log.info("config: {} {}: room {} ({})", f, isNew ? "added" : "reloaded", number, room.name());
            count(true);
            return true;
        } catch (ConfigException e) {
            count(false);
            log.error("config: rejected {}{}", e.getMessage(),
                    rooms.containsKey(number) ? " (the previous version of room " + number + " stays in force)" : "");
            return false;
        }
    }

    private boolean checkBridge() {
        Path file = dir.resolve("bridge.properties");
        FileHandlerReloadingDetector d = detectors.get(file);
        if (d == null || !Files.exists(file) || !d.isReloadingRequired()) {
            return false;
        }
        d.reloadingPerformed();
        List<String> warnings = new ArrayList<>();
        try {
            Map<String, String> raw = new LinkedHashMap<>(ConfigLoader.readBridgeRaw(file, warnings));
            ConfigLoader.bridgeSettings(raw, file.toString()); // validate as a whole first
            warnings.forEach(w -> log.warn("config: {}", w));
            Map<String, String> merged = new LinkedHashMap<>(raw);
            for (SettingKey<?> key : BridgeSettings.KEYS) {
                String was = bridgeRaw.get(key.name());
                String now = raw.get(key.name());
                if (!Objects.equals(was, now) && !LIVE_KEYS.contains(key.name())) {
                    log.warn("config: {}: {} changed from '{}' to '{}': takes effect after a restart", file, key.name(),
                            was == null ? key.defaultText() : was, now == null ? key.defaultText() : now);
                    if (was == null) {
                        merged.remove(key.name());
                    } else {
                        merged.put(key.name(), was);
                    }
                }
            }
            bridge = ConfigLoader.bridgeSettings(merged, file.toString());
            bridgeRaw = merged;
            log.info("config: {} reloaded", file);
            count(true);
            return true;
        } catch (ConfigException e) {
            count(false);
            log.error("config: rejected {} (the running settings stay in force)", e.getMessage());
            return false;
        }
    }

    private FileHandlerReloadingDetector detector(Path f) {
        FileHandler handler = new FileHandler();
        handler.setFile(f.toFile());
        FileHandlerReloadingDetector d = new FileHandlerReloadingDetector(handler, 0);
        d.reloadingPerformed();
        detectors.put(f, d);
        return d;
    }

    private List<Path> listRoomFiles() {
        try {
            return RoomFolders.of(dir, bridge).roomFiles(new ArrayList<>());
        } catch (ConfigException e) {
            log.warn("config: {}", e.getMessage());
            return List.of();
        }
    }

    private static String numberOf(Path f) {
        String name = f.getFileName().toString();
        return name.substring(0, name.length() - ".properties".length());
    }

    private void count(boolean ok) {
        Counter c = ok ? applied : rejectedCount;
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
