package org.confbridge.core.menu;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The in-conference keypad menu of one participant: two-key sequences (default {@code *6} mute,
 * {@code *1} help, {@code *#} count, {@code ##} leave; moderators also {@code *5} lock, {@code *7}
 * mute all, {@code *8} record, {@code *9} kick last). A sequence that is not in the menu, or not
 * allowed for the role, is ignored quietly. The second key must follow within a few seconds.
 */
public final class KeypadMenu {
    /** What a key sequence asks for. */
    public enum Action {
        MUTE_SELF("muteSelf"), HELP("help"), COUNT("count"), LEAVE("leave"),
        LOCK("lock"), MUTE_ALL("muteAll"), RECORD("record"), KICK_LAST("kickLast");

        private final String configName;

        Action(String configName) {
            this.configName = configName;
        }

        /** The name after {@code menu.} in a room file. */
        public String configName() {
            return configName;
        }
    }

    public static final Set<Action> MODERATOR_ONLY = EnumSet.of(Action.LOCK, Action.MUTE_ALL, Action.RECORD,
            Action.KICK_LAST);
    static final long SECOND_KEY_MILLIS = 3000;

    private final Map<String, Action> bySequence = new HashMap<>();
    private final boolean moderator;
    private char pending;
    private long pendingAt;

    /** @param menu action config name ({@code muteSelf}, ...) to its key sequence */
    public KeypadMenu(Map<String, String> menu, boolean moderator) {
        for (Action a : Action.values()) {
            String keys = menu.get(a.configName());
            if (keys != null) {
                bySequence.put(keys.toUpperCase(Locale.ROOT), a);
            }
        }
        this.moderator = moderator;
    }

    /** One key press; returns the action it completes, or null. */
    public Action key(char key, long now) {
        if (pending != 0 && now - pendingAt <= SECOND_KEY_MILLIS) {
            Action a = bySequence.get("" + pending + key);
            pending = 0;
            if (a != null) {
                return !moderator && MODERATOR_ONLY.contains(a) ? null : a;
            }
            // Not a sequence: this key may start the next one ("**6" is "*6" after a slip).
        }
        pending = key;
        pendingAt = now;
        return null;
    }
}
