package org.confbridge.core.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfirmToJoinTest {
    private final List<String> said = new ArrayList<>();
    private final AdmissionEffects effects = new AdmissionEffects() {
        @Override
        public void admit(Role role) {
            said.add("admit " + role.label());
        }

        @Override
        public void pinFailed(int attempt) {
            said.add("pin-failed");
        }

        @Override
        public void play(String... promptIds) {
            said.add("play " + String.join(",", promptIds));
        }

        @Override
        public void stopPrompt() {
            said.add("stop");
        }

        @Override
        public void hangup(String reason) {
            said.add("hangup " + reason);
        }
    };

    @Test
    void pressingOneAdmitsInTheRoleItWasCalledFor() {
        ConfirmToJoin c = new ConfirmToJoin(effects, Role.MODERATOR, 5000);
        c.start(0);
        c.key('5', 100);
        c.key('1', 200);
        c.key('1', 300);
        assertEquals(List.of("play dialout-confirm", "stop", "admit moderator"), said);
    }

    @Test
    void aVoicemailIsAskedTwiceThenHearsGoodbyeAndIsHungUp() {
        ConfirmToJoin c = new ConfirmToJoin(effects, Role.PARTICIPANT, 5000);
        c.start(0);
        c.promptFinished(4000);
        c.tick(8000);
        c.tick(9000);
        c.promptFinished(12000);
        c.tick(16999);
        c.tick(17000);
        c.key('1', 17500); // too late: the goodbye plays
        c.promptFinished(18000);
        assertEquals(List.of("play dialout-confirm", "play dialout-confirm", "play goodbye", "hangup not confirmed"), said);
    }
}
