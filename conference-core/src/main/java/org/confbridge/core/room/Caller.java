package org.confbridge.core.room;

import org.confbridge.core.admission.AdmissionEffects;
import org.confbridge.core.admission.LobbyConversation;
import org.confbridge.core.admission.Role;
import org.confbridge.core.menu.KeypadMenu;
import org.confbridge.media.room.MediaLeg;
import org.confbridge.sip.CallHandle;
import org.confbridge.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's life in a room: in the lobby it talks with its {@link PinAdmission}; once admitted it
 * is a {@link Participant}. Key presses, prompt ends and ticks reach it on the room's loop, where
 * its room's rules run.
 */
public final class Caller extends Party implements AdmissionEffects {
    private static final Logger log = LoggerFactory.getLogger(Caller.class);

    private final Room room;
    private LobbyConversation admission;
    volatile Participant participant;
    /** Hang up when the prompt that plays now has ended (kick, locked room, shutdown). */
    private boolean hangupAfterPrompt;

    /** Whether the caller's media is encrypted (SRTP). */
    boolean encrypted() {
        return call().media().srtp() != null;
    }

    Caller(String legId, CallHandle call, Room room) {
        super(legId, call);
        this.room = room;
    }

    @Override
    public void execute(Runnable task) {
        room.execute(task);
    }

    public Room room() {
        return room;
    }

    public Participant participant() {
        return participant;
    }

    /** A dialled callee's media is up: it skips the PIN (the bridge called it). Room's loop. */
    void dialledIn(MediaLeg mediaLeg) {
        this.leg = mediaLeg;
    }

    /** Starts the lobby conversation; runs on the room's loop. */
    void enterLobby(MediaLeg mediaLeg, LobbyConversation pinAdmission, long now, String typeAhead) {
        this.leg = mediaLeg;
        this.admission = pinAdmission;
        if (room.locked() && room.settings().moderatorPin().isEmpty()) {
            // Nobody could get in: say so at once instead of asking for a PIN.
            log.info("call {}: room {} is locked", call().callId(), room.number());
            sayGoodbye("room-locked", "goodbye");
            return;
        }
        pinAdmission.start(now);
        for (char k : typeAhead.toCharArray()) {
            pinAdmission.key(k, now); // the PIN typed ahead at the dial-in prompt
        }
    }

    /** A new key press: the lobby's PIN question, or the keypad menu once admitted. */
    @Override
    void onKey(char key, long now) {
        Participant p = participant;
        if (p == null && admission != null) {
            admission.key(key, now);
        } else if (p != null) {
            KeypadMenu.Action action = p.menu.key(key, now);
            if (action != null) {
                RoomKeypad.act(room, this, p, action);
            }
        }
    }

    /** The caller went on hold or came back; its room records it (from any thread). */
    public void holdChanged(boolean held) {
        room.execute(() -> room.holdChanged(this, held));
    }

    /** Plays prompts to this caller alone. */
    void say(String... promptIds) {
        leg.play(room.prompts().sequence(room.settings().language(), promptIds));
    }

    /** Plays a last prompt to this caller alone, then hangs up; runs on the room's loop. */
    void sayGoodbye(String... promptIds) {
        hangupAfterPrompt = true;
        say(promptIds);
    }

    /** The private prompt ended; runs on the room's loop. */
    @Override
    public void promptFinished(long now) {
        if (hangupAfterPrompt) {
            call().hangup();
            return;
        }
        if (participant == null && admission != null) {
            admission.promptFinished(now);
        }
    }

    void tick(long now) {
        if (participant == null && admission != null) {
            admission.tick(now);
        }
    }

    @Override
    public void play(String... promptIds) {
        say(promptIds);
    }

    @Override
    public void stopPrompt() {
        leg.stopPrompt();
    }

    @Override
    public void admit(Role role) {
        room.admit(this, role);
    }

    @Override
    public void sourceBlocked(long now) {
        if (participant == null && admission != null && !hangupAfterPrompt) {
            log.info("call {} in the lobby of room {}: its source is blocked for guessing", call().callId(), room.number());
            admission.sourceBlocked(now);
        }
    }

    @Override
    public boolean mayCheckEntry() {
        return room.entryChecks().reserve(call().callId());
    }

    @Override
    public void entryChecked() {
        room.entryChecks().release(call().callId());
    }

    @Override
    public void pinFailed(int attempt) {
        log.info("call {} wrong PIN for room {} (attempt {})", call().callId(), room.number(), attempt);
        room.pinFailed(this, attempt);
    }

    @Override
    public void hangup(String reason) {
        log.info("call {} hung up by the lobby: {}", call().callId(), reason);
        call().hangup();
    }
}
