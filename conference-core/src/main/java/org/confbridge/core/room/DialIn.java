package org.confbridge.core.room;

import org.confbridge.core.admission.RoomNumberEntry;
import org.confbridge.media.room.MediaLeg;
import org.confbridge.media.room.MixGroup;
import org.confbridge.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A caller of the dial-in number, before the room is known: its leg lives in the dial-in group and
 * hears "please enter the conference number". Once it has typed an existing room, the directory
 * moves the leg to that room and it continues as a {@link Caller}.
 */
public final class DialIn extends Party implements RoomNumberEntry.Effects {
    private static final Logger log = LoggerFactory.getLogger(DialIn.class);

    private final DialInDesk desk;
    private final MixGroup group;
    private final String language;
    RoomNumberEntry entry;

    DialIn(String legId, SipCall call, DialInDesk desk, MixGroup group, String language) {
        super(legId, call);
        this.desk = desk;
        this.group = group;
        this.language = language;
    }

    void start(MediaLeg mediaLeg, RoomNumberEntry roomEntry, long now) {
        this.leg = mediaLeg;
        this.entry = roomEntry;
        roomEntry.start(now);
    }

    @Override
    void onKey(char key, long now) {
        if (entry != null) {
            entry.key(key, now);
        }
    }

    @Override
    public void promptFinished(long now) {
        if (entry != null) {
            entry.promptFinished(now);
        }
    }

    @Override
    public void execute(Runnable task) {
        group.execute(task);
    }

    void tick(long now) {
        if (entry != null) {
            entry.tick(now);
        }
    }

    @Override
    public void play(String... promptIds) {
        if (promptIds.length > 0 && promptIds[0].equals("unknown-room")) {
            log.info("call {} typed an unknown room number", call().callId());
        }
        leg.play(desk.rooms().prompts().sequence(language, promptIds));
    }

    @Override
    public void stopPrompt() {
        leg.stopPrompt();
    }

    @Override
    public void roomChosen(String number) {
        log.info("call {} chose room {} at the dial-in prompt", call().callId(), number);
        desk.moveToRoom(this, number);
    }

    @Override
    public void sourceBlocked(long now) {
        if (entry != null) {
            entry.sourceBlocked();
        }
    }

    @Override
    public boolean mayCheckEntry() {
        return desk.rooms().entryChecks().reserve(call().callId());
    }

    @Override
    public void entryChecked() {
        desk.rooms().entryChecks().release(call().callId());
    }

    @Override
    public void wrongNumber(int attempt) {
        desk.rooms().wrongRoomNumber(call());
    }

    @Override
    public void hangup(String reason) {
        log.info("call {} hung up at the dial-in prompt: {}", call().callId(), reason);
        call().hangup();
    }
}
