package org.confbridge.core.admission;

import org.confbridge.config.RoomSettings;

/**
 * The lobby conversation with one caller, as a state machine apart from SIP and RTP: ask for the
 * PIN, admit by role, or after too many wrong PINs or too long without input say goodbye and hang
 * up (the asking itself is a {@link KeypadQuestion}). Not thread-safe: it runs on the room's loop.
 */
public final class PinAdmission implements LobbyConversation {
    /** Where the conversation is. */
    public enum State { ASKING, ADMITTED, SAYING_GOODBYE, DONE }

    private static final KeypadQuestion.Script SCRIPT = new KeypadQuestion.Script(new String[] {"enter-pin"},
            new String[] {"invalid-pin"}, new String[] {"goodbye"}, "wrong PIN");

    private final RoomSettings room;
    private final AdmissionEffects effects;
    private final KeypadQuestion question;
    private boolean admitted;

    public PinAdmission(RoomSettings room, AdmissionEffects effects, long timeoutMillis, int maxAttempts) {
        this.room = room;
        this.effects = effects;
        this.question = new KeypadQuestion(SCRIPT, effects, pin -> {
            Role role = roleFor(pin);
            if (role != null) {
                admit(role);
            }
            return role != null;
        }, effects::pinFailed, timeoutMillis, maxAttempts);
    }

    public State state() {
        if (admitted) {
            return State.ADMITTED;
        }
        return switch (question.state()) {
            case SAYING_GOODBYE -> State.SAYING_GOODBYE;
            case DONE -> State.DONE;
            default -> State.ASKING;
        };
    }

    /** The caller has arrived in the lobby. */
    @Override
    public void start(long now) {
        if (!room.requiresPin()) {
            admit(Role.PARTICIPANT);
            return;
        }
        question.start();
    }

    /** A key press, already deduplicated across signalling methods. */
    @Override
    public void key(char key, long now) {
        if (!admitted) {
            question.key(key, now);
        }
    }

    /** The prompt started by {@link AdmissionEffects#play} has played to its end. */
    @Override
    public void promptFinished(long now) {
        if (!admitted) {
            question.promptFinished(now);
        }
    }

    /** Called regularly; acts on input timeouts. */
    @Override
    public void tick(long now) {
        if (!admitted) {
            question.tick(now);
        }
    }

    @Override
    public void sourceBlocked(long now) {
        if (!admitted) {
            question.refuse();
        }
    }

    private Role roleFor(String pin) {
        if (!room.moderatorPin().isEmpty() && pin.equals(room.moderatorPin())) {
            return Role.MODERATOR;
        }
        if (!room.pin().isEmpty() && pin.equals(room.pin())) {
            return Role.PARTICIPANT;
        }
        if (!room.listenerPin().isEmpty() && pin.equals(room.listenerPin())) {
            return Role.LISTENER;
        }
        return null;
    }

    private void admit(Role role) {
        admitted = true;
        effects.admit(role);
    }
}
