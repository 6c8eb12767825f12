package org.confbridge.core.room;

import org.confbridge.core.admission.Role;

/**
 * Where a room session is: {@code EMPTY} (nobody admitted), {@code WAITING} (participants wait for
 * a moderator: they hear a hold sound and not each other), {@code ACTIVE} (everyone mixed),
 * {@code ENDING} (the last moderator left a room that ends with its moderator: everyone hears
 * goodbye). Pure bookkeeping of who is in the room, driven by joins and leaves.
 */
public final class RoomLifecycle {
    /** The phases of a room session. */
    public enum Phase { EMPTY, WAITING, ACTIVE, ENDING }

    private final boolean waitForModerator;
    private final boolean endWithLastModerator;
    private int moderators;
    private int others;
    private boolean moderatorWasHere;
    private Phase phase = Phase.EMPTY;

    public RoomLifecycle(boolean waitForModerator, boolean endWithLastModerator) {
        this.waitForModerator = waitForModerator;
        this.endWithLastModerator = endWithLastModerator;
    }

    public Phase phase() {
        return phase;
    }

    /** Someone was admitted; returns the new phase. */
    public Phase joined(Role role) {
        if (role == Role.MODERATOR) {
            moderators++;
            moderatorWasHere = true;
        } else {
            others++;
        }
        if (phase != Phase.ENDING) {
            phase = waitForModerator && moderators == 0 ? Phase.WAITING : Phase.ACTIVE;
        }
        return phase;
    }

    /** Someone left; returns the new phase. */
    public Phase left(Role role) {
        if (role == Role.MODERATOR) {
            moderators = Math.max(0, moderators - 1);
        } else {
            others = Math.max(0, others - 1);
        }
        if (moderators + others == 0) {
            phase = Phase.EMPTY;
        } else if (phase == Phase.ENDING) {
            return phase;
        } else if (moderators == 0 && moderatorWasHere && endWithLastModerator) {
            phase = Phase.ENDING;
        } else if (waitForModerator && moderators == 0) {
            phase = Phase.WAITING;
        }
        return phase;
    }

    /** Whether participants are mixed with each other now. */
    public boolean mixing() {
        return phase == Phase.ACTIVE;
    }
}
