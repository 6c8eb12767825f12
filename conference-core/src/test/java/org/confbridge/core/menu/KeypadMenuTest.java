package org.confbridge.core.menu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.confbridge.config.RoomSettings;
import org.confbridge.core.menu.KeypadMenu.Action;
import org.confbridge.core.admission.Role;
import org.confbridge.core.room.RoomLifecycle;
import org.confbridge.core.room.RoomLifecycle.Phase;
import org.junit.jupiter.api.Test;

class KeypadMenuTest {
    private static Action type(KeypadMenu m, String keys, long start) {
        Action last = null;
        long t = start;
        for (char c : keys.toCharArray()) {
            last = m.key(c, t += 200);
        }
        return last;
    }

    @Test
    void defaultSequencesMapToActions() {
        KeypadMenu m = new KeypadMenu(RoomSettings.MENU_DEFAULTS, false);
        assertEquals(Action.MUTE_SELF, type(m, "*6", 0));
        assertEquals(Action.HELP, type(m, "*1", 1000));
        assertEquals(Action.COUNT, type(m, "*#", 2000));
        assertEquals(Action.LEAVE, type(m, "##", 3000));
    }

    @Test
    void moderatorKeysOnlyForModerators() {
        KeypadMenu participant = new KeypadMenu(RoomSettings.MENU_DEFAULTS, false);
        assertNull(type(participant, "*5", 0), "quietly ignored");
        KeypadMenu moderator = new KeypadMenu(RoomSettings.MENU_DEFAULTS, true);
        assertEquals(Action.LOCK, type(moderator, "*5", 0));
        assertEquals(Action.MUTE_ALL, type(moderator, "*7", 1000));
        assertEquals(Action.RECORD, type(moderator, "*8", 2000));
        assertEquals(Action.KICK_LAST, type(moderator, "*9", 3000));
    }

    @Test
    void unknownSequencesAndSlowKeysAreIgnored() {
        KeypadMenu m = new KeypadMenu(RoomSettings.MENU_DEFAULTS, false);
        assertNull(type(m, "*4", 0));
        assertNull(type(m, "12", 1000));
        assertEquals(Action.MUTE_SELF, type(m, "**6", 2000), "a slip on * still works");
        m.key('*', 10_000);
        assertNull(m.key('6', 14_000), "the second key came too late");
    }

    @Test
    void sequencesAreConfigurablePerRoom() {
        KeypadMenu m = new KeypadMenu(Map.of("muteSelf", "#6", "leave", "*0"), false);
        assertEquals(Action.MUTE_SELF, type(m, "#6", 0));
        assertEquals(Action.LEAVE, type(m, "*0", 1000));
        assertNull(type(m, "*6", 2000));
    }

    @Test
    void roomWaitsForItsModeratorThenEndsWithIt() {
        RoomLifecycle room = new RoomLifecycle(true, true);
        assertEquals(Phase.EMPTY, room.phase());
        assertEquals(Phase.WAITING, room.joined(Role.PARTICIPANT));
        assertEquals(Phase.WAITING, room.joined(Role.PARTICIPANT));
        assertEquals(false, room.mixing());
        assertEquals(Phase.ACTIVE, room.joined(Role.MODERATOR));
        assertEquals(true, room.mixing());
        assertEquals(Phase.ENDING, room.left(Role.MODERATOR), "last moderator gone: the room ends");
        assertEquals(Phase.ENDING, room.left(Role.PARTICIPANT));
        assertEquals(Phase.EMPTY, room.left(Role.PARTICIPANT));
    }

    @Test
    void withoutTheOptionsTheRoomIsSimplyActive() {
        RoomLifecycle room = new RoomLifecycle(false, false);
        assertEquals(Phase.ACTIVE, room.joined(Role.PARTICIPANT));
        assertEquals(Phase.ACTIVE, room.joined(Role.MODERATOR));
        assertEquals(Phase.ACTIVE, room.left(Role.MODERATOR));
        assertEquals(Phase.EMPTY, room.left(Role.PARTICIPANT));
    }

    @Test
    void waitingAgainWhenTheModeratorLeavesARoomThatGoesOn() {
        RoomLifecycle room = new RoomLifecycle(true, false);
        room.joined(Role.MODERATOR);
        room.joined(Role.PARTICIPANT);
        assertEquals(Phase.WAITING, room.left(Role.MODERATOR));
    }
}
