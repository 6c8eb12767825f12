package org.confbridge.core.admission;

/** What a keypad conversation asks of the caller's side: prompts to one caller, and hanging up. */
public interface CallerVoice {
    /** Plays these prompts one after the other to the caller alone, replacing what plays. */
    void play(String... promptIds);

    /** Stops the prompt that plays (the caller started typing). */
    void stopPrompt();

    /** Hang up now (after the goodbye prompt has played). */
    void hangup(String reason);

    /**
     * Whether one more typed entry may be checked now: false once the caller's source is blocked
     * for guessing, or when the checks its other calls have in hand use up what is left of its
     * window. True reserves one check, given back by {@link #entryChecked}.
     */
    default boolean mayCheckEntry() {
        return true;
    }

    /** The entry {@link #mayCheckEntry} reserved has been checked (and a wrong one counted). */
    default void entryChecked() {
    }
}
