package org.confbridge.core.admission;

/** What a keypad conversation asks of the caller's side: prompts to one caller, and hanging up. */
public interface CallerVoice {
    /** Plays these prompts one after the other to the caller alone, replacing what plays. */
    void play(String... promptIds);

    /** Stops the prompt that plays (the caller started typing). */
    void stopPrompt();

    /** Hang up now (after the goodbye prompt has played). */
    void hangup(String reason);
}
