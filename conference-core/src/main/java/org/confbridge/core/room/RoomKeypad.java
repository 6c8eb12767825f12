package org.confbridge.core.room;

import org.confbridge.core.admission.Role;
import org.confbridge.core.menu.KeypadMenu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What an admitted caller's keypad menu does in its room (DESIGN §6). Runs on the room's loop. */
final class RoomKeypad {
    private static final Logger log = LoggerFactory.getLogger(RoomKeypad.class);

    private RoomKeypad() {
    }

    static void act(Room room, Caller caller, Participant p, KeypadMenu.Action action) {
        String by = "keypad:" + caller.legId();
        log.info("call {} keypad {} in room {}", caller.call().callId(), action, room.number());
        switch (action) {
            case MUTE_SELF -> {
                if (p.role() == Role.LISTENER) {
                    caller.say("listen-only");
                } else {
                    boolean mute = !p.muted();
                    room.mute(caller.legId(), mute, by);
                    caller.say(mute ? "muted" : "unmuted");
                }
            }
            case HELP -> {
                if (p.role() == Role.MODERATOR) {
                    caller.say("help", "help-moderator");
                } else {
                    caller.say("help");
                }
            }
            case COUNT -> {
                int n = room.participants.size();
                caller.say(n > 20 ? "count-many" : "count-" + n);
            }
            case LEAVE -> caller.sayGoodbye("goodbye");
            case LOCK -> {
                boolean lock = !room.locked();
                room.lock(lock, by);
                caller.say(lock ? "room-locked" : "room-unlocked");
            }
            case MUTE_ALL -> {
                for (Participant other : room.participants.values()) {
                    if (other.role() != Role.MODERATOR && !other.muted()) {
                        room.mute(other.legId(), true, by);
                    }
                }
                room.announce("all-muted");
            }
            case RECORD -> {
                if (room.recording()) {
                    room.stopRecording(by);
                    room.announce("recording-stopped");
                } else {
                    room.startRecording(by); // announces the recording notice; nothing when record = off
                }
            }
            case KICK_LAST -> room.participants.values().stream()
                    .filter(x -> x.role() != Role.MODERATOR && x != p)
                    .max((a, b) -> a.joined().compareTo(b.joined()))
                    .ifPresent(last -> room.kick(last.legId(), by));
            default -> {
            }
        }
    }
}
