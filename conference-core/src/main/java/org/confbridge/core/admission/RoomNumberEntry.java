package org.confbridge.core.admission;

import java.util.function.Predicate;

/**
 * The dial-in conversation before the room is known: "please enter the conference number"; an
 * unknown number → "this conference does not exist" and again, after {@code maxAttempts} →
 * goodbye and hang-up (the asking itself is a {@link KeypadQuestion}). Keys typed after the
 * {@code #} (the PIN typed ahead, {@code 1000#4711#}) are kept for the room's PIN admission.
 * Not thread-safe: it runs on one loop.
 */
public final class RoomNumberEntry {
    /** What the conversation asks for. */
    public interface Effects extends CallerVoice {
        /** The caller chose an existing room; keys typed after the number follow via {@link #typeAhead()}. */
        void roomChosen(String number);

        /** A number that is no room (counted against the caller's address: guessing). */
        void wrongNumber(int attempt);
    }

    /** Where the conversation is. */
    public enum State { ASKING, CHOSEN, SAYING_GOODBYE, DONE }

    private static final KeypadQuestion.Script SCRIPT = new KeypadQuestion.Script(new String[] {"enter-room"},
            new String[] {"unknown-room", "enter-room"}, new String[] {"unknown-room", "goodbye"}, "unknown room");

    private final KeypadQuestion question;
    private final StringBuilder typeAhead = new StringBuilder();
    private boolean chosen;

    public RoomNumberEntry(Predicate<String> exists, Effects effects, long timeoutMillis, int maxAttempts) {
        // A wrong number needs no session record before a room is known: the prompts say it.
        this.question = new KeypadQuestion(SCRIPT, effects, number -> {
            if (!exists.test(number)) {
                return false;
            }
            chosen = true;
            effects.roomChosen(number);
            return true;
        }, effects::wrongNumber, timeoutMillis, maxAttempts);
    }

    public State state() {
        if (chosen) {
            return State.CHOSEN;
        }
        return switch (question.state()) {
            case SAYING_GOODBYE -> State.SAYING_GOODBYE;
            case DONE -> State.DONE;
            default -> State.ASKING;
        };
    }

    /** The caller's source was blocked for guessing: goodbye, unless a room was chosen. */
    public void sourceBlocked() {
        if (!chosen) {
            question.refuse();
        }
    }

    /** Keys typed after the room number, for the PIN; taken once. */
    public String typeAhead() {
        String s = typeAhead.toString();
        typeAhead.setLength(0);
        return s;
    }

    public void start(long now) {
        question.start();
    }

    public void key(char key, long now) {
        if (chosen) {
            typeAhead.append(key);
        } else {
            question.key(key, now);
        }
    }

    public void promptFinished(long now) {
        if (!chosen) {
            question.promptFinished(now);
        }
    }

    public void tick(long now) {
        if (!chosen) {
            question.tick(now);
        }
    }
}
