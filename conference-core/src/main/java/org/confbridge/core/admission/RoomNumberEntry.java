package org.confbridge.core.admission;

import java.util.function.Predicate;

/**
 * The dial-in conversation before the room is known: "please enter the conference number",
 * digits up to {@code #}; an unknown number → "this conference does not exist" and again, after
 * {@code maxAttempts} → goodbye and hang-up. Keys typed after the {@code #} (the PIN typed ahead,
 * {@code 1000#4711#}) are kept for the room's PIN admission. Pure and clock-driven, like
 * {@link PinAdmission}; runs on one loop.
 */
public final class RoomNumberEntry {
    /** What the conversation asks for. */
    public interface Effects {
        void play(String... promptIds);

        void stopPrompt();

        /** The caller chose an existing room; keys typed after the number follow via {@link #typeAhead()}. */
        void roomChosen(String number);

        void hangup(String reason);
    }

    /** Where the conversation is. */
    public enum State { ASKING, CHOSEN, SAYING_GOODBYE, DONE }

    private final Predicate<String> exists;
    private final Effects effects;
    private final long timeoutMillis;
    private final int maxAttempts;
    private final StringBuilder typed = new StringBuilder();
    private final StringBuilder typeAhead = new StringBuilder();
    private State state = State.ASKING;
    private boolean promptPlaying;
    private long deadline = Long.MAX_VALUE;
    private int failures;
    private int silences;

    public RoomNumberEntry(Predicate<String> exists, Effects effects, long timeoutMillis, int maxAttempts) {
        this.exists = exists;
        this.effects = effects;
        this.timeoutMillis = timeoutMillis;
        this.maxAttempts = maxAttempts;
    }

    public State state() {
        return state;
    }

    /** Keys typed after the room number, for the PIN; taken once. */
    public String typeAhead() {
        String s = typeAhead.toString();
        typeAhead.setLength(0);
        return s;
    }

    public void start(long now) {
        ask("enter-room");
    }

    public void key(char key, long now) {
        if (state == State.CHOSEN) {
            typeAhead.append(key);
            return;
        }
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
            choose();
        } else if (key == '*') {
            typed.setLength(0);
        } else if (Character.isDigit(key) && typed.length() < 20) {
            typed.append(key);
        }
    }

    public void promptFinished(long now) {
        promptPlaying = false;
        if (state == State.SAYING_GOODBYE) {
            state = State.DONE;
            effects.hangup(failures >= maxAttempts ? "unknown room " + failures + " times" : "no input");
        } else if (state == State.ASKING) {
            deadline = now + timeoutMillis;
        }
    }

    public void tick(long now) {
        if (state != State.ASKING || promptPlaying || now < deadline) {
            return;
        }
        if (typed.length() > 0) {
            choose();
        } else if (++silences >= 2) {
            goodbye("goodbye");
        } else {
            ask("no-input", "enter-room");
        }
    }

    private void choose() {
        String number = typed.toString();
        typed.setLength(0);
        if (number.isEmpty()) {
            ask("enter-room");
        } else if (exists.test(number)) {
            state = State.CHOSEN;
            effects.roomChosen(number);
        } else if (++failures >= maxAttempts) {
            goodbye("unknown-room", "goodbye");
        } else {
            ask("unknown-room", "enter-room");
        }
    }

    private void ask(String... prompts) {
        promptPlaying = true;
        deadline = Long.MAX_VALUE;
        effects.play(prompts);
    }

    private void goodbye(String... prompts) {
        state = State.SAYING_GOODBYE;
        promptPlaying = true;
        effects.play(prompts);
    }
}
