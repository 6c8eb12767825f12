package org.confbridge.core.room;

import org.confbridge.core.admission.Role;

/**
 * Who gets into a room once the PIN has named the role: a locked room admits moderators only, a
 * full one (at {@code maxParticipants} besides moderators) admits moderators only too. Pure.
 */
enum RoomEntry {
    ADMIT, LOCKED, FULL;

    static RoomEntry decide(Role role, boolean locked, long nonModerators, int maxParticipants) {
        if (role == Role.MODERATOR) {
            return ADMIT;
        }
        if (locked) {
            return LOCKED;
        }
        return nonModerators >= maxParticipants ? FULL : ADMIT;
    }
}
