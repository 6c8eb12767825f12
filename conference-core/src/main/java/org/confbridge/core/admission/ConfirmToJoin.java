package org.confbridge.core.admission;

/**
 * A dialled callee confirms before it joins: "You are invited to a conference … press 1 to join".
 * The 1 admits it in the role it was called for; a voicemail or an answering machine never
 * presses it, so after the question has been asked twice without it the call ends with a goodbye.
 * Time comes in as arguments (tests step it); the caller's loop only.
 */
public final class ConfirmToJoin implements LobbyConversation {
    private final AdmissionEffects effects;
    private final Role role;
    private final long timeoutMillis;
    private long deadline = Long.MAX_VALUE;
    private int asked;
    private boolean done;
    private boolean sayingGoodbye;

    public ConfirmToJoin(AdmissionEffects effects, Role role, long timeoutMillis) {
        this.effects = effects;
        this.role = role;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void start(long now) {
        ask();
    }

    private void ask() {
        asked++;
        deadline = Long.MAX_VALUE;
        effects.play("dialout-confirm");
    }

    @Override
    public void key(char key, long now) {
        if (done || sayingGoodbye || key != '1') {
            return;
        }
        done = true;
        effects.stopPrompt();
        effects.admit(role);
    }

    @Override
    public void promptFinished(long now) {
        if (sayingGoodbye) {
            done = true;
            effects.hangup("not confirmed");
        } else if (!done) {
            deadline = now + timeoutMillis;
        }
    }

    @Override
    public void tick(long now) {
        if (done || sayingGoodbye || now < deadline) {
            return;
        }
        if (asked < 2) {
            ask();
        } else {
            sayingGoodbye = true;
            deadline = Long.MAX_VALUE;
            effects.play("goodbye");
        }
    }
}
