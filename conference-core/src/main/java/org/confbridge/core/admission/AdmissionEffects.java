package org.confbridge.core.admission;

import org.confbridge.core.room.Role;

/** What the admission state machine asks the world to do; the room wires it to prompts, mix and SIP. */
public interface AdmissionEffects {
    /** Plays these prompts one after the other to the caller alone, replacing what plays. */
    void play(String... promptIds);

    /** Stops the prompt that plays (the caller started typing). */
    void stopPrompt();

    /** The caller typed a valid PIN: join the room in this role. */
    void admit(Role role);

    /** A wrong PIN (for the session record). */
    void pinFailed(int attempt);

    /** Hang up now (after the goodbye prompt has played). */
    void hangup(String reason);
}
