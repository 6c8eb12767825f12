package org.confbridge.core.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.confbridge.config.RecordMode;
import org.confbridge.config.RoomSettings;
import org.junit.jupiter.api.Test;

class PinAdmissionTest {
    private static final RoomSettings ROOM = new RoomSettings("1000", "Test", "4711", "9876", "5555", 50,
            RecordMode.OFF, false, "de", false, false, true, false, false, null, RoomSettings.MENU_DEFAULTS);

    /** Records what the machine asked for, as text. */
    private static final class Script implements AdmissionEffects {
        final List<String> log = new ArrayList<>();
        Role admitted;
        /** Checks the per-source limit still allows; -1 for no limit. */
        int checksLeft = -1;
        int inHand;
        String hangupReason;

        @Override
        public boolean mayCheckEntry() {
            if (checksLeft == 0) {
                return false;
            }
            checksLeft--;
            inHand++;
            return true;
        }

        @Override
        public void entryChecked() {
            inHand--;
        }

        @Override
        public void play(String... promptIds) {
            log.add("play " + String.join("+", promptIds));
        }

        @Override
        public void stopPrompt() {
            log.add("stop");
        }

        @Override
        public void admit(Role role) {
            admitted = role;
            log.add("admit " + role.label());
        }

        @Override
        public void pinFailed(int attempt) {
            log.add("failed " + attempt);
        }

        @Override
        public void hangup(String reason) {
            hangupReason = reason;
            log.add("hangup");
        }
    }

    private final Script effects = new Script();
    private final PinAdmission admission = new PinAdmission(ROOM, effects, 10_000, 3);
    private long now = 0;

    private void type(String keys) {
        for (char c : keys.toCharArray()) {
            now += 200;
            admission.key(c, now);
        }
    }

    private void promptEnds() {
        now += 3000;
        admission.promptFinished(now);
    }

    @Test
    void rightPinAdmitsAsParticipant() {
        admission.start(now);
        promptEnds();
        type("4711#");
        assertEquals(Role.PARTICIPANT, effects.admitted);
        assertEquals(List.of("play enter-pin", "admit participant"), effects.log);
    }

    @Test
    void moderatorAndListenerPinsGiveTheirRoles() {
        admission.start(now);
        promptEnds();
        type("9876#");
        assertEquals(Role.MODERATOR, effects.admitted);

        Script other = new Script();
        PinAdmission listener = new PinAdmission(ROOM, other, 10_000, 3);
        listener.start(0);
        listener.promptFinished(1);
        for (char c : "5555#".toCharArray()) {
            listener.key(c, 2);
        }
        assertEquals(Role.LISTENER, other.admitted);
    }

    @Test
    void wrongPinIsToldAndMayBeRetried() {
        admission.start(now);
        promptEnds();
        type("1111#");
        assertEquals(List.of("play enter-pin", "failed 1", "play invalid-pin"), effects.log);
        promptEnds();
        type("4711#");
        assertEquals(Role.PARTICIPANT, effects.admitted);
    }

    @Test
    void threeWrongPinsSayGoodbyeThenHangUp() {
        admission.start(now);
        promptEnds();
        for (int i = 0; i < 3; i++) {
            type("0000#");
            if (i < 2) {
                promptEnds();
            }
        }
        assertEquals(PinAdmission.State.SAYING_GOODBYE, admission.state());
        assertFalse(effects.log.contains("hangup"), "the goodbye is heard before the hang-up");
        promptEnds();
        assertEquals(List.of("play enter-pin", "failed 1", "play invalid-pin", "failed 2", "play invalid-pin",
                "failed 3", "play goodbye", "hangup"), effects.log);
        assertEquals(null, effects.admitted);
    }

    @Test
    void keysDuringPromptStopItAndCount() {
        admission.start(now);
        type("47");          // barge-in while "enter PIN" still plays
        type("11#");
        assertEquals(List.of("play enter-pin", "stop", "admit participant"), effects.log);
    }

    @Test
    void silenceRepromptsThenSaysGoodbye() {
        admission.start(now);
        admission.tick(now + 60_000);
        assertEquals(List.of("play enter-pin"), effects.log, "no timeout while the prompt plays");
        promptEnds();
        admission.tick(now + 9_999);
        assertEquals(1, effects.log.size());
        admission.tick(now + 10_000);
        assertEquals("play no-input+enter-pin", effects.log.get(1));
        promptEnds();
        admission.tick(now + 10_000);
        assertEquals("play goodbye", effects.log.get(2));
        promptEnds();
        assertEquals("hangup", effects.log.get(3));
    }

    @Test
    void digitsWithoutHashAreTakenAfterTheTimeout() {
        admission.start(now);
        promptEnds();
        type("4711");
        admission.tick(now + 10_000);
        assertEquals(Role.PARTICIPANT, effects.admitted);
    }

    @Test
    void starStartsOver() {
        admission.start(now);
        promptEnds();
        type("12*4711#");
        assertEquals(Role.PARTICIPANT, effects.admitted);
    }

    @Test
    void roomWithoutPinAdmitsAtOnce() {
        RoomSettings open = new RoomSettings("2000", "Open", "", "", "", 50, RecordMode.OFF, false, "en", false, false, true, false, false, null, RoomSettings.MENU_DEFAULTS);
        PinAdmission a = new PinAdmission(open, effects, 10_000, 3);
        a.start(0);
        assertEquals(List.of("admit participant"), effects.log);
        a.key('1', 1);
        assertEquals(1, effects.log.size(), "keys after admission are not the lobby's business");
    }

    @Test
    void sameKeyByTwoMethodsCountsOnce() {
        KeyPressFilter f = new KeyPressFilter();
        assertTrue(f.accept('1', KeyPressFilter.Method.RFC4733, 1000));
        assertFalse(f.accept('1', KeyPressFilter.Method.SIP_INFO, 1050), "INFO twin of the same press");
        assertTrue(f.accept('1', KeyPressFilter.Method.RFC4733, 1200), "a real second press of 1");
        assertTrue(f.accept('2', KeyPressFilter.Method.SIP_INFO, 1250));
        assertTrue(f.accept('2', KeyPressFilter.Method.RFC4733, 2000), "long after: a new press");
    }

    @Test
    void onceTheSourceMayGuessNoMoreEvenTheRightPinIsNotCheckedAndTheCallerHearsGoodbye() {
        effects.checksLeft = 1;
        admission.start(now);
        promptEnds();
        type("1111#");
        assertEquals(0, effects.inHand, "the check is given back");
        assertTrue(effects.log.contains("failed 1"));
        type("4711#");
        assertEquals(null, effects.admitted, "not checked, so not admitted");
        assertEquals("play goodbye", effects.log.get(effects.log.size() - 1));
        promptEnds();
        assertEquals("source blocked for guessing", effects.hangupReason);
    }

    @Test
    void aCallerInTheLobbyOfABlockedSourceHearsGoodbyeAndTypedKeysAreDropped() {
        admission.start(now);
        promptEnds();
        type("47");
        admission.sourceBlocked(now);
        type("11#");
        assertEquals(null, effects.admitted);
        assertFalse(effects.log.contains("failed 1"), "nothing typed was checked");
        promptEnds();
        assertEquals(PinAdmission.State.DONE, admission.state());
        assertEquals("source blocked for guessing", effects.hangupReason);
    }
}
