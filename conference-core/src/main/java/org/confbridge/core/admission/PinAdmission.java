package org.confbridge.core.admission;

import org.confbridge.config.RoomSettings;
import org.confbridge.core.room.Role;

/**
 * The lobby conversation with one caller, as a state machine apart from SIP and RTP: ask for the
 * PIN, collect keys up to {@code #}, admit by role, or after too many wrong PINs or too long
 * without input say goodbye and hang up. Keys typed while a prompt plays stop it (barge-in) and
 * count. Time comes in as arguments, so tests step it. Not thread-safe: it runs on the room's loop.
 */
public final class PinAdmission {
    /** Where the conversation is. */
    public enum State { ASKING, ADMITTED, SAYING_GOODBYE, DONE }

    private static final int MAX_DIGITS = 20;

    private final RoomSettings room;
    private final AdmissionEffects effects;
    private final long timeoutMillis;
    private final int maxAttempts;
    private final StringBuilder typed = new StringBuilder();
    private State state = State.ASKING;
    private boolean promptPlaying;
    private long deadline = Long.MAX_VALUE;
    private int failures;
    private int silences;

    public PinAdmission(RoomSettings room, AdmissionEffects effects, long timeoutMillis, int maxAttempts) {
        this.room = room;
        this.effects = effects;
        this.timeoutMillis = timeoutMillis;
        this.maxAttempts = maxAttempts;
    }

    public State state() {
        return state;
    }

    /** The caller has arrived in the lobby. */
    public void start(long now) {
        if (!room.requiresPin()) {
            admit(Role.PARTICIPANT);
            return;
        }
        ask(now, "enter-pin");
    }

    /** A key press, already deduplicated across signalling methods. */
    public void key(char key, long now) {
        if (state != State.ASKING) {
            return;
        }
        if (promptPlaying) {
            promptPlaying = false;
            effects.stopPrompt();
        }
        silences = 0;
        deadline = now + timeoutMillis;
        if (key == '#') {
            check(now);
        } else if (key == '*') {
            typed.setLength(0); // start over, as on most phone menus
        } else if (Character.isDigit(key) && typed.length() < MAX_DIGITS) {
            typed.append(key);
        }
    }

    /** The prompt started by {@link AdmissionEffects#play} has played to its end. */
    public void promptFinished(long now) {
        promptPlaying = false;
        if (state == State.SAYING_GOODBYE) {
            state = State.DONE;
            effects.hangup(failures >= maxAttempts ? "wrong PIN " + failures + " times" : "no input");
        } else if (state == State.ASKING) {
            deadline = now + timeoutMillis;
        }
    }

    /** Called regularly; acts on input timeouts. */
    public void tick(long now) {
        if (state != State.ASKING || promptPlaying || now < deadline) {
            return;
        }
        if (typed.length() > 0) {
            check(now); // typed without '#': take what is there
        } else if (++silences >= 2) {
            goodbye();
        } else {
            ask(now, "no-input", "enter-pin");
        }
    }

    private void check(long now) {
        String pin = typed.toString();
        typed.setLength(0);
        if (pin.isEmpty()) {
            ask(now, "enter-pin");
            return;
        }
        Role role = roleFor(pin);
        if (role != null) {
            admit(role);
            return;
        }
        failures++;
        effects.pinFailed(failures);
        if (failures >= maxAttempts) {
            goodbye();
        } else {
            ask(now, "invalid-pin");
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

    private void ask(long now, String... prompts) {
        promptPlaying = true;
        deadline = Long.MAX_VALUE; // the timeout starts when the prompt has been heard
        effects.play(prompts);
    }

    private void admit(Role role) {
        state = State.ADMITTED;
        effects.admit(role);
    }

    private void goodbye() {
        state = State.SAYING_GOODBYE;
        promptPlaying = true;
        effects.play("goodbye");
    }
}
