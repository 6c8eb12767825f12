package org.confbridge.core.room;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.confbridge.config.BridgeConfiguration;
import org.confbridge.config.RecordMode;
import org.confbridge.config.RoomSettings;
import org.confbridge.core.admission.PinAdmission;
import org.confbridge.core.prompt.PromptLibrary;
import org.confbridge.core.session.SessionRecord;
import org.confbridge.core.session.SessionWriter;
import org.confbridge.media.MediaEngine;
import org.confbridge.media.MediaLeg;
import org.confbridge.media.MixGroup;
import org.confbridge.media.audio.AudioClip;
import org.confbridge.media.audio.MixRecorder;
import org.confbridge.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms that exist in the configuration and the ones open right now. A room opens (a mix
 * group on an event loop, a session record) with its first caller and closes with its last,
 * which finalises its recording and session record. Opening, admitting and leaving are
 * serialized here; they are short and never block.
 */
public final class RoomDirectory {
    private static final Logger log = LoggerFactory.getLogger(RoomDirectory.class);
    static final long HOUSEKEEPING_MILLIS = 250;

    private final MediaEngine media;
    private final Supplier<BridgeConfiguration> config;
    private final PromptLibrary prompts;
    private final SessionWriter sessions;
    private final Clock clock;
    private final Map<String, Room> open = new HashMap<>();
    private volatile java.util.function.Consumer<Room> admittedListener = r -> { };
    private volatile java.util.function.Consumer<Room> pinFailedListener = r -> { };
    private volatile java.util.function.BiConsumer<String, String> wrongEntryListener = (callId, room) -> { };

    /** For metrics: told of each admission. */
    public void onAdmitted(java.util.function.Consumer<Room> listener) {
        this.admittedListener = listener;
    }

    /** For metrics: told of each wrong PIN. */
    public void onPinFailed(java.util.function.Consumer<Room> listener) {
        this.pinFailedListener = listener;
    }

    /**
     * For the per-source limits: told of each wrong PIN or room number with the call's id and the
     * room (or what was dialled).
     */
    public void onWrongEntry(java.util.function.BiConsumer<String, String> listener) {
        this.wrongEntryListener = listener;
    }

    void pinFailed(Room room, SipCall call) {
        pinFailedListener.accept(room);
        wrongEntryListener.accept(call.callId(), room.number());
    }

    /** A room number typed at the dial-in prompt that does not exist. */
    void wrongRoomNumber(SipCall call) {
        wrongEntryListener.accept(call.callId(), "(dial-in)");
    }

    public RoomDirectory(MediaEngine media, Supplier<BridgeConfiguration> config, PromptLibrary prompts,
                         SessionWriter sessions, Clock clock) {
        this.media = media;
        this.config = config;
        this.prompts = prompts;
        this.sessions = sessions;
        this.clock = clock;
    }

    PromptLibrary prompts() {
        return prompts;
    }

    /** The configured room with that number, if any. */
    public Optional<RoomSettings> configured(String number) {
        return config.get().room(number);
    }

    /** Opens the room if needed and reserves a place for a caller whose media is being set up. */
    public synchronized Caller reserve(RoomSettings settings, String legId, SipCall call) {
        Room room = open.get(settings.number());
        if (room == null) {
            Instant now = clock.instant();
            SessionRecord session = sessions.open(settings.number(), now);
            room = new Room(settings, media.createGroup(settings.number()), session);
            Room r = room;
            room.housekeeping = room.group().loop().scheduleAtFixedRate(() -> housekeeping(r), HOUSEKEEPING_MILLIS,
                    HOUSEKEEPING_MILLIS, TimeUnit.MILLISECONDS);
            open.put(settings.number(), room);
            sessions.save(session);
            log.info("room {} opened ({}), session {}", settings.number(), settings.name(), session.sessionId());
        } else {
            room.settings(settings);
        }
        room.pending++;
        return new Caller(legId, call, room, this);
    }

    /** The caller's media is up: it waits in the lobby (hearing prompts only) until admitted. */
    public synchronized void enterLobby(Caller caller, MediaLeg leg) {
        enterLobby(caller, leg, "");
    }

    /** As {@link #enterLobby(Caller, MediaLeg)}, with keys the caller typed ahead for the PIN. */
    synchronized void enterLobby(Caller caller, MediaLeg leg, String typeAhead) {
        Room room = caller.room();
        room.pending--;
        room.lobby.put(caller.legId(), caller);
        BridgeConfiguration c = config.get();
        PinAdmission admission = new PinAdmission(room.settings(), caller,
                TimeUnit.SECONDS.toMillis(c.bridge().pinTimeoutSeconds()), c.bridge().pinAttempts());
        log.info("call {} in the lobby of room {} (leg {})", caller.call().callId(), room.number(), caller.legId());
        room.group().execute(() -> caller.enterLobby(leg, admission, clock.millis(), typeAhead));
    }

    /** Drops a reservation whose media could not be opened. */
    public synchronized void cancel(Caller caller) {
        caller.room().pending--;
        closeIfEmpty(caller.room());
    }

    /** The caller typed a valid PIN: it joins the mix in its role and hears where it is. */
    synchronized void admit(Caller caller, Role role) {
        Room room = caller.room();
        if (room.lobby.remove(caller.legId()) == null) {
            return; // hung up meanwhile
        }
        RoomSettings settings = room.settings();
        long others = room.participants.values().stream().filter(x -> x.role() != Role.MODERATOR).count();
        if (role != Role.MODERATOR && others >= settings.maxParticipants()) {
            log.info("call {}: room {} is full ({} participants)", caller.call().callId(), room.number(), others);
            room.session().event(clock.instant(), "rejected-full", caller.legId(), Map.of());
            room.group().execute(() -> caller.sayGoodbye("conference-full", "goodbye"));
            return;
        }
        Instant now = clock.instant();
        boolean first = room.participants.isEmpty();
        Participant p = new Participant(caller, role, now, settings.menu());
        caller.participant = p;
        room.participants.put(caller.legId(), p);
        List<String> say = new ArrayList<>();
        if (role == Role.LISTENER) {
            p.setMuted(true);
        } else if (role == Role.PARTICIPANT && settings.mutedOnJoin()) {
            p.setMuted(true);
        }
        MediaLeg leg = caller.leg();
        room.session().joined(caller.legId(), caller.call().callerUri(), caller.call().displayName(), role.label(),
                leg.spec().codec(), now);
        if (settings.record() == RecordMode.ALWAYS && room.recorder == null) {
            beginRecording(room, "record=always");
        }
        sessions.save(room.session());
        if (room.recorder != null) {
            say.add("recording-notice");
        }
        say.add(first ? "first-participant" : "joined");
        if (p.muted()) {
            say.add(role == Role.LISTENER ? "listen-only" : "muted");
        }
        RoomLifecycle.Phase before = room.lifecycle.phase();
        RoomLifecycle.Phase phase = room.lifecycle.joined(role);
        if (phase == RoomLifecycle.Phase.WAITING) {
            p.waiting = true;
            say.add("waiting-for-moderator");
            leg.playLooped(AudioClip.concat("waiting", prompts.sequence(settings.language(), say.toArray(String[]::new)),
                    prompts.holdSound(), prompts.holdSound()));
        } else {
            leg.setMixed(true);
            leg.play(prompts.sequence(settings.language(), say.toArray(String[]::new)));
            if (before == RoomLifecycle.Phase.WAITING) {
                releaseWaiting(room);
            }
        }
        if (settings.announceJoinLeave()) {
            room.group().announce(prompts.joinTone());
        }
        admittedListener.accept(room);
        log.info("call {} joined room {} as {} (leg {}, {} in room{})", caller.call().callId(), room.number(),
                role.label(), caller.legId(), room.participants.size(), p.waiting ? ", waiting for a moderator" : "");
    }

    /** A moderator is here: everyone who waited joins the conversation. */
    private void releaseWaiting(Room room) {
        for (Participant w : room.participants.values()) {
            if (w.waiting) {
                w.waiting = false;
                w.leg().stopPrompt();
                w.leg().setMixed(true);
            }
        }
        log.info("room {}: moderator present, waiting participants joined the conversation", room.number());
    }

    /** The moderator left a room that waits for one: the others wait again. */
    private void holdEveryone(Room room) {
        for (Participant w : room.participants.values()) {
            if (!w.waiting) {
                w.waiting = true;
                w.leg().setMixed(false);
                w.leg().playLooped(AudioClip.concat("waiting",
                        prompts.sequence(room.settings().language(), "waiting-for-moderator"), prompts.holdSound(),
                        prompts.holdSound()));
            }
        }
    }

    /** Carries out a keypad menu action of an admitted participant. */
    synchronized void menuAction(Caller caller, Participant p, org.confbridge.core.menu.KeypadMenu.Action action) {
        Room room = caller.room();
        String by = "keypad:" + caller.legId();
        log.info("call {} keypad {} in room {}", caller.call().callId(), action, room.number());
        switch (action) {
            case MUTE_SELF -> {
                if (p.role() == Role.LISTENER) {
                    caller.say("listen-only");
                } else {
                    boolean mute = !p.muted();
                    mute(room, caller.legId(), mute, by);
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
                boolean lock = !room.locked;
                lock(room, lock, by);
                caller.say(lock ? "room-locked" : "room-unlocked");
            }
            case MUTE_ALL -> {
                for (Participant other : room.participants.values()) {
                    if (other.role() != Role.MODERATOR && !other.muted()) {
                        mute(room, other.legId(), true, by);
                    }
                }
                room.group().announce(prompts.sequence(room.settings().language(), "all-muted"));
            }
            case RECORD -> {
                if (room.recorder != null) {
                    stopRecording(room, by);
                    room.group().announce(prompts.sequence(room.settings().language(), "recording-stopped"));
                } else {
                    startRecording(room, by); // announces the recording notice; nothing when record = off
                }
            }
            case KICK_LAST -> room.participants.values().stream()
                    .filter(x -> x.role() != Role.MODERATOR && x != p)
                    .max((a, b) -> a.joined().compareTo(b.joined()))
                    .ifPresent(last -> kick(room, last.legId(), by));
            default -> {
            }
        }
    }

    private void beginRecording(Room room, String by) {
        // A second recording in one session (stop, then start again) gets its own file.
        String name = room.recordings == 0 ? "mix.wav" : "mix-" + (room.recordings + 1) + ".wav";
        room.recordings++;
        java.nio.file.Path file = room.session().dir().resolve(name);
        room.recorder = media.record(room.group(), file);
        room.session().event(clock.instant(), "recording-start", null, java.util.Map.of("file", name, "by", by));
        log.info("room {} recording to {}", room.number(), file);
    }

    /** The call ended: the caller leaves the lobby or the room; the room closes when empty. */
    public synchronized void leave(Caller caller, String reason) {
        Room room = caller.room();
        Participant p = room.participants.remove(caller.legId());
        if (p != null) {
            room.session().left(caller.legId(), clock.instant(), caller.leg().talkSeconds(), reason);
            sessions.save(room.session());
            if (room.settings().announceJoinLeave()) {
                room.group().announce(prompts.leaveTone());
            }
            RoomLifecycle.Phase before = room.lifecycle.phase();
            RoomLifecycle.Phase phase = room.lifecycle.left(p.role());
            if (phase == RoomLifecycle.Phase.ENDING && before != RoomLifecycle.Phase.ENDING) {
                log.info("room {}: the last moderator left, the conference ends", room.number());
                sessionEvent(room, "end-with-moderator", caller.legId(), Map.of());
                for (Participant other : room.participants.values()) {
                    Caller c = other.caller();
                    room.group().execute(() -> c.sayGoodbye("conference-ending", "goodbye"));
                }
            } else if (phase == RoomLifecycle.Phase.WAITING && before == RoomLifecycle.Phase.ACTIVE) {
                holdEveryone(room);
            }
            log.info("call {} left room {} ({} in room)", caller.call().callId(), room.number(),
                    room.participants.size());
        } else {
            room.lobby.remove(caller.legId());
        }
        if (caller.leg() != null) {
            caller.leg().close();
        }
        closeIfEmpty(room);
    }

    /** Locks or unlocks a room; callers arriving at a locked room are told so and hung up. */
    public synchronized void lock(Room room, boolean locked, String by) {
        if (room.locked == locked) {
            return;
        }
        room.locked = locked;
        sessionEvent(room, locked ? "lock" : "unlock", null, Map.of("by", by));
        log.info("room {} {} by {}", room.number(), locked ? "locked" : "unlocked", by);
    }

    /** Mutes or unmutes a participant (listeners stay muted). Returns false if there is no such leg. */
    public synchronized boolean mute(Room room, String legId, boolean muted, String by) {
        Participant p = room.participants.get(legId);
        if (p == null) {
            return false;
        }
        p.setMuted(muted);
        sessionEvent(room, muted ? "mute" : "unmute", legId, Map.of("by", by));
        log.info("room {}: leg {} {} by {}", room.number(), legId, muted ? "muted" : "unmuted", by);
        return true;
    }

    /** Removes a participant: "you have been removed", then BYE. */
    public synchronized boolean kick(Room room, String legId, String by) {
        Participant p = room.participants.get(legId);
        if (p == null) {
            return false;
        }
        sessionEvent(room, "kick", legId, Map.of("by", by));
        log.info("room {}: leg {} kicked by {}", room.number(), legId, by);
        Caller caller = p.caller();
        room.group().execute(() -> caller.sayGoodbye("removed", "goodbye"));
        return true;
    }

    /**
     * Starts recording the room's mix on request. Returns false when the room's file says
     * {@code record = off}; everybody hears the recording notice.
     */
    public synchronized boolean startRecording(Room room, String by) {
        if (room.settings().record() == RecordMode.OFF) {
            return false;
        }
        if (room.recorder == null) {
            beginRecording(room, by);
            sessions.save(room.session());
            room.group().announce(prompts.sequence(room.settings().language(), "recording-notice"));
        }
        return true;
    }

    /** Stops an on-demand recording; the file is finalised and listed in the session record. */
    public synchronized void stopRecording(Room room, String by) {
        MixRecorder recorder = room.recorder;
        if (recorder == null) {
            return;
        }
        room.recorder = null;
        room.group().stopRecording();
        SessionRecord session = room.session();
        String file = recorder.file().getFileName().toString();
        recorder.result().whenComplete((r, error) -> {
            session.event(clock.instant(), "recording-stop", null, Map.of("file", file, "by", by));
            if (r != null) {
                session.recording(file, r.seconds(), r.sha256(), r.droppedFrames());
            }
            sessions.save(session);
        });
        log.info("room {}: recording stopped by {}", room.number(), by);
    }

    /** Tells every caller, in the lobby or in a room, that the conference ends, then hangs each up. */
    public synchronized void goodbyeEveryone(String... promptIds) {
        for (Room room : open.values()) {
            List<Caller> callers = new ArrayList<>(room.lobby.values());
            room.participants.values().forEach(p -> callers.add(p.caller()));
            for (Caller c : callers) {
                if (c.leg() != null) {
                    room.group().execute(() -> c.sayGoodbye(promptIds));
                }
            }
        }
    }

    /** Records an event in the room's session record. */
    public void sessionEvent(Room room, String type, String leg, Map<String, Object> details) {
        room.session().event(clock.instant(), type, leg, details);
        sessions.save(room.session());
    }

    private void closeIfEmpty(Room room) {
        if (!room.participants.isEmpty() || !room.lobby.isEmpty() || room.pending > 0 || open.get(room.number()) != room) {
            return;
        }
        open.remove(room.number());
        if (room.housekeeping != null) {
            room.housekeeping.cancel(false);
        }
        MixRecorder recorder = room.recorder;
        room.group().close(); // stops the recorder too
        SessionRecord session = room.session();
        if (recorder != null) {
            String file = recorder.file().getFileName().toString();
            recorder.result().whenComplete((r, error) -> {
                Instant end = clock.instant();
                session.event(end, "recording-stop", null, Map.of("file", file));
                if (r != null) {
                    session.recording(file, r.seconds(), r.sha256(), r.droppedFrames());
                } else {
                    log.error("room {}: recording failed: {}", room.number(), error.getMessage());
                }
                session.end(end);
                sessions.save(session);
            });
        } else {
            session.end(clock.instant());
            sessions.save(session);
        }
        log.info("room {} closed, session {}", room.number(), session.sessionId());
    }

    private void housekeeping(Room room) {
        long now = clock.millis();
        for (Caller c : room.lobby.values()) {
            c.tick(now);
        }
    }

    public synchronized Optional<Room> open(String number) {
        return Optional.ofNullable(open.get(number));
    }

    public synchronized Collection<Room> openRooms() {
        return new ArrayList<>(open.values());
    }

    /** Configured rooms, open or not. */
    public List<RoomSettings> allConfigured() {
        return new ArrayList<>(config.get().rooms().values());
    }

    public long millis() {
        return clock.millis();
    }
}
