package org.confbridge.core.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.confbridge.core.admission.Role;
import org.junit.jupiter.api.Test;

/** The room's rules that need no media: who gets in, and the phases of a session. */
class RoomRulesTest {
    @Test
    void aLockedRoomAdmitsModeratorsOnly() {
        assertEquals(RoomEntry.LOCKED, RoomEntry.decide(Role.PARTICIPANT, false, true, 0, 50));
        assertEquals(RoomEntry.LOCKED, RoomEntry.decide(Role.LISTENER, false, true, 0, 50));
        assertEquals(RoomEntry.ADMIT, RoomEntry.decide(Role.MODERATOR, false, true, 0, 50));
        assertEquals(RoomEntry.UNENCRYPTED, RoomEntry.decide(Role.MODERATOR, true, false, 0, 50),
                "a room that requires SRTP admits no plain caller, whatever the role");
    }

    @Test
    void aFullRoomStillTakesModerators() {
        assertEquals(RoomEntry.ADMIT, RoomEntry.decide(Role.PARTICIPANT, false, false, 1, 2));
        assertEquals(RoomEntry.FULL, RoomEntry.decide(Role.PARTICIPANT, false, false, 2, 2));
        assertEquals(RoomEntry.FULL, RoomEntry.decide(Role.LISTENER, false, false, 2, 2));
        assertEquals(RoomEntry.ADMIT, RoomEntry.decide(Role.MODERATOR, false, false, 2, 2));
    }

    @Test
    void participantsWaitForTheModeratorAndWaitAgainWhenItLeaves() {
        RoomLifecycle room = new RoomLifecycle(true, false);
        assertEquals(RoomLifecycle.Phase.WAITING, room.joined(Role.PARTICIPANT));
        assertFalse(room.mixing());
        assertEquals(RoomLifecycle.Phase.ACTIVE, room.joined(Role.MODERATOR));
        assertTrue(room.mixing());
        assertEquals(RoomLifecycle.Phase.WAITING, room.left(Role.MODERATOR));
        assertEquals(RoomLifecycle.Phase.EMPTY, room.left(Role.PARTICIPANT));
    }

    @Test
    void theConferenceEndsWithItsLastModerator() {
        RoomLifecycle room = new RoomLifecycle(false, true);
        room.joined(Role.PARTICIPANT);
        room.joined(Role.MODERATOR);
        room.joined(Role.MODERATOR);
        assertEquals(RoomLifecycle.Phase.ACTIVE, room.left(Role.MODERATOR), "one moderator is still there");
        assertEquals(RoomLifecycle.Phase.ENDING, room.left(Role.MODERATOR));
        assertEquals(RoomLifecycle.Phase.ENDING, room.joined(Role.PARTICIPANT), "a late joiner does not revive it");
        room.left(Role.PARTICIPANT);
        assertEquals(RoomLifecycle.Phase.EMPTY, room.left(Role.PARTICIPANT));
    }

    @Test
    void withoutModeratorRulesEveryoneIsMixedAtOnce() {
        RoomLifecycle room = new RoomLifecycle(false, false);
        assertEquals(RoomLifecycle.Phase.ACTIVE, room.joined(Role.LISTENER));
        assertEquals(RoomLifecycle.Phase.ACTIVE, room.joined(Role.PARTICIPANT));
        assertEquals(RoomLifecycle.Phase.ACTIVE, room.left(Role.LISTENER));
    }
}
