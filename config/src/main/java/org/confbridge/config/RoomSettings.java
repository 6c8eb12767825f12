package org.confbridge.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One room, from {@code rooms/<number>.properties}. The room number is the file name: it is what
 * callers dial ({@code sip:1000@bridge}) or type at the dial-in prompt.
 */
public record RoomSettings(
        String number,
        String name,
        String pin,
        String moderatorPin,
        String listenerPin,
        int maxParticipants,
        RecordMode record,
        boolean waitForModerator,
        String language,
        boolean endWithLastModerator,
        boolean mutedOnJoin,
        boolean announceJoinLeave,
        boolean srtpRequired,
        boolean recordTracks,
        java.time.Instant expires,
        Map<String, String> menu) {

    /** Room numbers are what a caller types on a keypad, so digits only. */
    public static final Pattern NUMBER = Pattern.compile("[0-9]{1,20}");

    public static final SettingKey<String> NAME =
            SettingKey.text("name", "", "display name of the room (empty: the room number)");
    public static final SettingKey<String> PIN =
            SettingKey.digits("pin", "", "PIN for participants (empty: no PIN asked)");
    public static final SettingKey<String> MODERATOR_PIN =
            SettingKey.digits("moderatorPin", "", "PIN that admits as moderator (empty: no moderators by PIN)");
    public static final SettingKey<String> LISTENER_PIN =
            SettingKey.digits("listenerPin", "", "PIN that admits listen-only (empty: none)");
    public static final SettingKey<Integer> MAX_PARTICIPANTS =
            SettingKey.integer("maxParticipants", "50", 1, 10000, "participants allowed at once (moderators may still join)");
    public static final SettingKey<RecordMode> RECORD =
            SettingKey.choice("record", "off", RecordMode.class, RecordMode::spelling,
                    "off | always | on-demand");
    public static final SettingKey<Boolean> WAIT_FOR_MODERATOR =
            SettingKey.bool("waitForModerator", "false", "participants wait (hold tone) until a moderator joins");
    public static final SettingKey<String> LANGUAGE =
            SettingKey.nonEmptyText("language", "de", "prompt language: de | en");

    public static final SettingKey<Boolean> END_WITH_LAST_MODERATOR =
            SettingKey.bool("endWithLastModerator", "false", "the conference ends for everyone when the last moderator leaves");
    public static final SettingKey<Boolean> MUTED_ON_JOIN =
            SettingKey.bool("mutedOnJoin", "false", "participants join muted (moderators never)");
    public static final SettingKey<Boolean> RECORD_TRACKS =
            SettingKey.bool("recordTracks", "false",
                    "while recording, also one track per participant (legs/<leg>.wav): that voice alone, aligned with mix.wav");
    public static final SettingKey<String> EXPIRES =
            SettingKey.text("expires", "",
                    "when the room goes away (ISO-8601, e.g. 2026-12-06T18:00:00Z): its file is removed once it is "
                            + "empty after that (set by POST /api/rooms; empty: never)");
    public static final SettingKey<String> SRTP =
            SettingKey.word("srtp", "optional", List.of("optional", "required"),
                    "required: only encrypted calls (SRTP) may join, a plain caller hears that and is hung up "
                            + "(optional: as bridge.properties says)");
    public static final SettingKey<Boolean> ANNOUNCE_JOIN_LEAVE =
            SettingKey.bool("announceJoinLeave", "true", "play a tone to the room when someone joins or leaves");

    /** Keypad menu actions and their default key sequences (DESIGN section 6). */
    public static final Map<String, String> MENU_DEFAULTS = menuDefaults();
    public static final List<SettingKey<String>> MENU_KEYS = MENU_DEFAULTS.entrySet().stream()
            .map(e -> SettingKey.keySequence("menu." + e.getKey(), e.getValue(), "keys for: " + e.getKey()))
            .toList();

    /** All keys of a room file, in README order. */
    public static final List<SettingKey<?>> KEYS = allKeys();

    private static Map<String, String> menuDefaults() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("muteSelf", "*6");
        m.put("help", "*1");
        m.put("count", "*#");
        m.put("leave", "##");
        m.put("lock", "*5");
        m.put("muteAll", "*7");
        m.put("record", "*8");
        m.put("kickLast", "*9");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static List<SettingKey<?>> allKeys() {
        List<SettingKey<?>> keys = new java.util.ArrayList<>(List.of(NAME, PIN, MODERATOR_PIN, LISTENER_PIN,
                MAX_PARTICIPANTS, RECORD, WAIT_FOR_MODERATOR, LANGUAGE, END_WITH_LAST_MODERATOR, MUTED_ON_JOIN,
                ANNOUNCE_JOIN_LEAVE, SRTP, RECORD_TRACKS, EXPIRES));
        keys.addAll(MENU_KEYS);
        return List.copyOf(keys);
    }

    static RoomSettings from(String number, Map<String, String> raw, String file) throws ConfigException {
        if (!NUMBER.matcher(number).matches()) {
            throw new ConfigException(file, null, "room file name must be <digits>.properties (the room number)");
        }
        KeyReader r = new KeyReader(raw, file);
        String name = r.get(NAME);
        String language = r.get(LANGUAGE);
        if (!language.equals("de") && !language.equals("en")) {
            throw new ConfigException(file, LANGUAGE.name(), "must be de or en, got '" + language + "'");
        }
        Map<String, String> menu = new java.util.LinkedHashMap<>();
        Map<String, String> usedBy = new java.util.HashMap<>();
        for (SettingKey<String> key : MENU_KEYS) {
            String keys = r.get(key);
            String action = key.name().substring("menu.".length());
            String other = usedBy.putIfAbsent(keys, key.name());
            if (other != null) {
                throw new ConfigException(file, key.name(), "'" + keys + "' is already used by " + other);
            }
            menu.put(action, keys);
        }
        RoomSettings room = new RoomSettings(number, name.isEmpty() ? number : name, r.get(PIN),
                r.get(MODERATOR_PIN), r.get(LISTENER_PIN), r.get(MAX_PARTICIPANTS), r.get(RECORD),
                r.get(WAIT_FOR_MODERATOR), language, r.get(END_WITH_LAST_MODERATOR), r.get(MUTED_ON_JOIN),
                r.get(ANNOUNCE_JOIN_LEAVE), r.get(SRTP).equals("required"), r.get(RECORD_TRACKS),
                expires(r.get(EXPIRES), file), java.util.Collections.unmodifiableMap(menu));
        checkDistinctPins(room, file);
        return room;
    }

    private static java.time.Instant expires(String value, String file) throws ConfigException {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigException(file, EXPIRES.name(), "must be an ISO-8601 instant such as 2026-12-06T18:00:00Z");
        }
    }

    /** Two roles with the same PIN would make admission ambiguous. */
    private static void checkDistinctPins(RoomSettings room, String file) throws ConfigException {
        if (!room.moderatorPin.isEmpty() && room.moderatorPin.equals(room.pin)) {
            throw new ConfigException(file, MODERATOR_PIN.name(), "must differ from pin");
        }
        if (!room.listenerPin.isEmpty()
                && (room.listenerPin.equals(room.pin) || room.listenerPin.equals(room.moderatorPin))) {
            throw new ConfigException(file, LISTENER_PIN.name(), "must differ from pin and moderatorPin");
        }
    }

    /** True when a caller must type a PIN before joining. */
    public boolean requiresPin() {
        return !pin.isEmpty() || !moderatorPin.isEmpty() || !listenerPin.isEmpty();
    }
}
