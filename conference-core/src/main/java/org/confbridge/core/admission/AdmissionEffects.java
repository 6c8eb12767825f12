package org.confbridge.core.admission;


/** What the admission state machine asks the world to do; the room wires it to prompts, mix and SIP. */
public interface AdmissionEffects extends CallerVoice {
    /** The caller typed a valid PIN: join the room in this role. */
    void admit(Role role);

    /** A wrong PIN (for the session record). */
    void pinFailed(int attempt);
}
