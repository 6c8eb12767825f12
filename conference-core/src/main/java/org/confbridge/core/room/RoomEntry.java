package org.confbridge.core.room;

import org.confbridge.core.admission.Role;

/**
 * Who gets into a room once the PIN has named the role: a room that requires encryption admits
 * only callers whose media is SRTP, whatever their role; a locked room admits moderators only, a
 * full one (at {@code maxParticipants} besides moderators) admits moderators only too. Pure.
 */
enum RoomEntry {
    ADMIT, UNENCRYPTED, LOCKED, FULL;

    static RoomEntry decide(Role role, boolean unencryptedInConfidentialRoom, boolean locked, long nonModerators,
                            int maxParticipants) {
        if (unencryptedInConfidentialRoom) {
            return UNENCRYPTED;
        }
        if (role == Role.MODERATOR) {
            return ADMIT;
        }
        if (locked) {
            return LOCKED;
        }
        return nonModerators >= maxParticipants ? FULL : ADMIT;
    }
}
