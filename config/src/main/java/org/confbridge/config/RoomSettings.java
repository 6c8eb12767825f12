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
        String language) {

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

    /** All keys of a room file, in README order. */
    public static final List<SettingKey<?>> KEYS = List.of(
            NAME, PIN, MODERATOR_PIN, LISTENER_PIN, MAX_PARTICIPANTS, RECORD, WAIT_FOR_MODERATOR, LANGUAGE);

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
        RoomSettings room = new RoomSettings(number, name.isEmpty() ? number : name, r.get(PIN),
                r.get(MODERATOR_PIN), r.get(LISTENER_PIN), r.get(MAX_PARTICIPANTS), r.get(RECORD),
                r.get(WAIT_FOR_MODERATOR), language);
        checkDistinctPins(room, file);
        return room;
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
