package org.confbridge.core.room;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.confbridge.config.BridgeConfiguration;
import org.confbridge.config.NumberRange;
import org.confbridge.config.RoomFolders;
import org.confbridge.config.RoomSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms made on demand (a support system escalating a chat): a free number of
 * {@code rooms.onDemandRange}, PINs from a secure random source, written as an ordinary room file
 * in the bridge's own folder ({@code <state.dir>/rooms}: admins see it, it survives a restart, the
 * file watcher takes it like any other), and taken away again: on request, or once empty after it
 * expired. The admin's own room files are never written nor removed here. With several nodes the
 * number is taken and the room kept in Redis ({@link Shared}); each node mirrors those rooms into
 * its folder ({@link #mirror}), so whichever node a caller reaches runs the room.
 */
public final class OnDemandRooms {
    private static final Logger log = LoggerFactory.getLogger(OnDemandRooms.class);
    private static final SecureRandom PINS = new SecureRandom();

    /** What a new room is asked to be; null fields take the defaults. */
    public record Request(String name, String language, String record, Boolean recordTracks, String srtp,
                          Integer expiresMinutes) {
    }

    /** Where the nodes keep the rooms made over any node's API. */
    public interface Shared {
        /** Takes a number of {@code range} no node has, none of {@code takenHere}; empty when all are taken. */
        Optional<String> claim(NumberRange range, java.util.Set<String> takenHere);

        /** Keeps the room's file text until a while after {@code expires}. */
        void store(String number, String fileText, Instant expires);

        /** Takes the room away on every node. */
        void remove(String number);
    }

    /** Redis could not be asked: the API answers 503. */
    public static final class Unavailable extends IllegalStateException {
        public Unavailable(String message) {
            super(message);
        }
    }

    private static final String CREATED_MARK = "# created over the API";
    private volatile Shared shared;
    private final Path roomsDir;
    private final Path adminRoomsDir;
    private final Supplier<BridgeConfiguration> config;
    private final Runnable reload;
    private final java.util.function.Predicate<String> inSession;
    private final java.util.function.Consumer<String> endSession;
    private final Clock clock;

    /**
     * @param reload     makes the configuration take a file just written or removed (the watcher's check, now)
     * @param inSession  whether a room has a conference going on
     * @param endSession ends a room's conference for everyone
     */
    public OnDemandRooms(RoomFolders folders, Supplier<BridgeConfiguration> config, Runnable reload,
                         java.util.function.Predicate<String> inSession, java.util.function.Consumer<String> endSession,
                         Clock clock) {
        this.roomsDir = folders.onDemandRooms();
        this.adminRoomsDir = folders.adminRooms();
        this.config = config;
        this.reload = reload;
        this.inSession = inSession;
        this.endSession = endSession;
        this.clock = clock;
    }

    /** Creates a room; its description for the caller of the API. Throws with the reason when it cannot. */
    public synchronized Map<String, Object> create(Request r, String advertisedAddress) throws IOException {
        String language = r.language() == null ? "de" : r.language();
        if (!language.equals("de") && !language.equals("en")) {
            throw new IllegalArgumentException("language must be de or en");
        }
        String record = r.record() == null ? "off" : r.record();
        if (!record.equals("off") && !record.equals("always") && !record.equals("on-demand")) {
            throw new IllegalArgumentException("record must be off, always or on-demand");
        }
        String srtp = r.srtp() == null ? "optional" : r.srtp();
        if (!srtp.equals("optional") && !srtp.equals("required")) {
            throw new IllegalArgumentException("srtp must be optional or required");
        }
        int minutes = r.expiresMinutes() == null ? 24 * 60 : r.expiresMinutes();
        if (minutes < 1 || minutes > 366 * 24 * 60) {
            throw new IllegalArgumentException("expiresMinutes must be between 1 and 527040");
        }
        Shared cluster = shared;
        String number = (cluster == null ? freeNumber() : cluster.claim(config.get().bridge().roomsOnDemand(), takenHere()))
                .orElseThrow(() -> new IllegalStateException("no free room number in " + config.get().bridge().roomsOnDemand()));
        String pin = digits(6);
        String moderatorPin;
        do {
            moderatorPin = digits(6);
        } while (moderatorPin.equals(pin));
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofMinutes(minutes));
        // One line; " #" would start a comment in a room file, so that space is a no-break space.
        String name = r.name() == null || r.name().isBlank() ? "Room " + number
                : r.name().replaceAll("[\\r\\n]", " ").replace(" #", "\u00A0#");
        StringBuilder file = new StringBuilder()
                .append(CREATED_MARK).append(" at ").append(now).append("; expires ").append(expires).append('\n')
                .append("name = ").append(escape(name)).append('\n')
                .append("pin = ").append(pin).append('\n')
                .append("moderatorPin = ").append(moderatorPin).append('\n')
                .append("language = ").append(language).append('\n')
                .append("record = ").append(record).append('\n')
                .append("recordTracks = ").append(Boolean.TRUE.equals(r.recordTracks())).append('\n')
                .append("srtp = ").append(srtp).append('\n')
                .append("expires = ").append(expires).append('\n');
        if (cluster != null) {
            cluster.store(number, file.toString(), expires);
        }
        write(number, file.toString());
        reload.run();
        log.info("room {} ({}) created over the API, expires {}", number, name, expires);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("room", number);
        out.put("name", name);
        out.put("pin", pin);
        out.put("moderatorPin", moderatorPin);
        out.put("sipUri", "sip:" + number + "@" + advertisedAddress);
        out.put("expires", expires.toString());
        return out;
    }

    /**
     * Moves the rooms an earlier version wrote among the admin's files (their first line says they
     * were created over the API) into the bridge's own folder, where the API may remove them.
     * Returns how many; where the admin's folder is read-only, one warning and they stay.
     */
    public synchronized int adoptEarlierRooms() {
        int moved = 0;
        try (java.util.stream.Stream<Path> files = Files.isDirectory(adminRoomsDir) ? Files.list(adminRoomsDir)
                : java.util.stream.Stream.empty()) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().endsWith(".properties"))::iterator) {
                String first;
                try (java.io.BufferedReader r = Files.newBufferedReader(f)) {
                    first = r.readLine();
                }
                if (first != null && first.startsWith(CREATED_MARK)) {
                    Files.createDirectories(roomsDir);
                    Files.move(f, roomsDir.resolve(f.getFileName()));
                    moved++;
                }
            }
        } catch (IOException e) {
            log.warn("rooms created over the API by an earlier version stay in {}: {}", adminRoomsDir, e.toString());
        }
        if (moved > 0) {
            log.info("{} room(s) created over the API moved from {} to {}", moved, adminRoomsDir, roomsDir);
            reload.run();
        }
        return moved;
    }

    /** What a delete did. */
    public enum Deletion {
        DELETED,
        /** No room of that number. */
        NOT_FOUND,
        /** An admin's room file: the API never removes one. */
        ADMIN_FILE
    }

    /**
     * Removes a room made over the API: its conference ends (everyone hears it, then BYE) and its
     * file goes. A room from the admin's files stays as it is.
     */
    public synchronized Deletion delete(String number) throws IOException {
        if (!RoomSettings.NUMBER.matcher(number).matches()) {
            return Deletion.NOT_FOUND;
        }
        Path file = roomsDir.resolve(number + ".properties");
        if (Files.exists(adminRoomsDir.resolve(number + ".properties"))) {
            return Deletion.ADMIN_FILE; // even when a file of ours has the number: the admin's is in force
        }
        if (!Files.exists(file)) {
            return config.get().room(number).isPresent() ? Deletion.ADMIN_FILE : Deletion.NOT_FOUND;
        }
        if (shared != null) {
            shared.remove(number); // first: while Redis is away the room stays, and the API says 503
        }
        endSession.accept(number);
        Files.delete(file);
        reload.run();
        log.info("room {} deleted over the API", number);
        return Deletion.DELETED;
    }

    /** Keeps rooms in Redis, shared with the other nodes, from now on. */
    public void share(Shared shared) {
        this.shared = shared;
    }

    /**
     * Makes this node's folder hold exactly the shared rooms {@code texts} (number to file text):
     * new and changed ones written, those gone from Redis (deleted through another node) ended and
     * removed; rooms past their expiry are left to {@link #sweepExpired}. Returns what was removed.
     */
    public synchronized java.util.List<String> mirror(Map<String, String> texts) throws IOException {
        boolean changed = false;
        for (Map.Entry<String, String> e : texts.entrySet()) {
            String number = e.getKey();
            if (!RoomSettings.NUMBER.matcher(number).matches() || !e.getValue().startsWith(CREATED_MARK)
                    || Files.exists(adminRoomsDir.resolve(number + ".properties"))) {
                continue; // never an admin's room, never anything but a room the API made
            }
            Path file = roomsDir.resolve(number + ".properties");
            if (!Files.exists(file) || !Files.readString(file).equals(e.getValue())) {
                write(number, e.getValue());
                changed = true;
            }
        }
        java.util.List<String> removed = new java.util.ArrayList<>();
        long settled = clock.millis() - 10_000;
        for (String number : ownFiles().keySet()) {
            // A file written in the last seconds may be newer than the listing: left for the next one.
            if (!texts.containsKey(number)
                    && Files.getLastModifiedTime(roomsDir.resolve(number + ".properties")).toMillis() < settled) {
                endSession.accept(number);
                Files.deleteIfExists(roomsDir.resolve(number + ".properties"));
                removed.add(number);
                changed = true;
            }
        }
        if (changed) {
            reload.run();
        }
        return removed;
    }

    /** The rooms made over the API that this node's folder holds: number to file text. */
    public synchronized Map<String, String> ownFiles() throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        if (!Files.isDirectory(roomsDir)) {
            return out;
        }
        try (java.util.stream.Stream<Path> files = Files.list(roomsDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".properties") && RoomSettings.NUMBER.matcher(name.substring(0, name.length() - 11)).matches()) {
                    String text = Files.readString(f);
                    if (text.startsWith(CREATED_MARK)) {
                        out.put(name.substring(0, name.length() - 11), text);
                    }
                }
            }
        }
        return out;
    }

    private void write(String number, String text) throws IOException {
        Files.createDirectories(roomsDir);
        Path tmp = roomsDir.resolve("." + number + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, roomsDir.resolve(number + ".properties"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Numbers of the range this node cannot give: its admin's rooms. */
    private java.util.Set<String> takenHere() {
        java.util.Set<String> out = new java.util.HashSet<>();
        NumberRange range = config.get().bridge().roomsOnDemand();
        for (String number : config.get().rooms().keySet()) {
            try {
                long n = Long.parseLong(number);
                if (n >= range.low() && n <= range.high() && Files.exists(adminRoomsDir.resolve(number + ".properties"))) {
                    out.add(number);
                }
            } catch (NumberFormatException e) {
                // not a number of the range
            }
        }
        return out;
    }

    /** Removes the files of rooms whose time is up and that nobody is in. Returns how many. */
    public synchronized int sweepExpired() {
        int removed = 0;
        Instant now = clock.instant();
        for (RoomSettings room : config.get().rooms().values()) {
            if (room.expires() != null && room.expires().isBefore(now) && !inSession.test(room.number())) {
                try {
                    if (Files.deleteIfExists(roomsDir.resolve(room.number() + ".properties"))) {
                        removed++;
                        log.info("room {} expired at {} and was empty: removed", room.number(), room.expires());
                    }
                } catch (IOException e) {
                    log.warn("cannot remove expired room {}: {}", room.number(), e.getMessage());
                }
            }
        }
        if (removed > 0) {
            reload.run();
        }
        return removed;
    }

    private Optional<String> freeNumber() {
        NumberRange range = config.get().bridge().roomsOnDemand();
        for (long n = range.low(); n <= range.high(); n++) {
            String number = Long.toString(n);
            if (config.get().room(number).isEmpty() && !Files.exists(roomsDir.resolve(number + ".properties"))
                    && !Files.exists(adminRoomsDir.resolve(number + ".properties"))) {
                return Optional.of(number);
            }
        }
        return Optional.empty();
    }

    private static String digits(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(PINS.nextInt(10));
        }
        return sb.toString();
    }

    /** A value as Java properties reads it back: backslashes doubled, other characters as they are. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }
}
