package org.confbridge.core.room;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.confbridge.config.BridgeConfiguration;
import org.confbridge.config.RecordMode;
import org.confbridge.config.RoomSettings;
import org.confbridge.core.admission.PinAdmission;
import org.confbridge.core.admission.Role;
import org.confbridge.core.prompt.PromptLibrary;
import org.confbridge.core.session.SessionRecord;
import org.confbridge.media.room.MediaLeg;
import org.confbridge.media.room.MixGroup;
import org.confbridge.media.audio.AudioClip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room while anyone is in it, and its rules: its mix group on one event loop, the callers in its
 * lobby, its participants and their roles, capacity, waiting for a moderator, locking, muting,
 * kicking, recording and the record of this session. All of it runs on the room's loop, without
 * locks; other threads hand their requests over with {@link #execute} or {@link #call}. The
 * {@link RoomDirectory} opens a room and forgets it when it closes.
 * <p>
 * Why one file of this length: the rules act on each other (a kick or a leaving moderator may end
 * the session, a lock changes who is admitted) and run on one loop, so they are read as one list;
 * the chat, the recording and the lifecycle are classes of their own.
 */
public final class Room {
    private static final Logger log = LoggerFactory.getLogger(Room.class);

    private final String number;
    private final MixGroup group;
    private final SessionRecord session;
    private final RoomServices services;
    private final RoomDirectory directory;
    private final RoomRecording recording;
    private final RoomChat chat = new RoomChat();
    private final RoomLifecycle lifecycle;
    // Written on the loop; concurrent maps so that the API and metrics may read them from elsewhere.
    final Map<String, Participant> participants = new ConcurrentHashMap<>();
    final Map<String, Caller> lobby = new ConcurrentHashMap<>();
    private volatile RoomSettings settings;
    private volatile boolean locked;
    /** Callers whose media is being opened, so the room is not closed under them (see RoomDirectory). */
    final AtomicInteger pending = new AtomicInteger();
    private ScheduledFuture<?> housekeeping;
    /** When the session started on the media clock: talk intervals count from here. */
    private final long openedNanos;

    Room(RoomSettings settings, MixGroup group, SessionRecord session, RoomServices services, RoomDirectory directory) {
        this.lifecycle = new RoomLifecycle(settings.waitForModerator(), settings.endWithLastModerator());
        this.number = settings.number();
        this.settings = settings;
        this.group = group;
        this.session = session;
        this.services = services;
        this.directory = directory;
        this.recording = new RoomRecording(this, services);
        this.openedNanos = group.nanos();
    }

    /** Starts the lobby's timers; once, right after opening. */
    void start(long periodMillis) {
        housekeeping = group.loop().scheduleAtFixedRate(this::housekeeping, periodMillis, periodMillis,
                TimeUnit.MILLISECONDS);
    }

    public String number() {
        return number;
    }

    public RoomSettings settings() {
        return settings;
    }

    void settings(RoomSettings s) {
        this.settings = s;
    }

    public MixGroup group() {
        return group;
    }

    public SessionRecord session() {
        return session;
    }

    /** A locked room admits moderators only. */
    public boolean locked() {
        return locked;
    }

    public boolean recording() {
        return recording.active();
    }

    /** Participants in order of joining. */
    public List<Participant> participants() {
        List<Participant> list = new ArrayList<>(participants.values());
        list.sort((a, b) -> a.joined().compareTo(b.joined()));
        return list;
    }

    /** Callers not yet admitted. */
    public List<Caller> lobby() {
        return new ArrayList<>(lobby.values());
    }

    /** Runs {@code task} on the room's loop. */
    public void execute(Runnable task) {
        group.execute(task);
    }

    /** Runs {@code task} on the room's loop and hands its result to the caller's thread. */
    public <T> CompletableFuture<T> call(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        group.execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    EntryChecks entryChecks() {
        return services.listeners().entryChecks;
    }

    PromptLibrary prompts() {
        return services.prompts();
    }

    // ---- the lobby (room's loop) ----

    /** The caller's media is up: it waits in the lobby, hearing prompts only, until admitted. */
    void enterLobby(Caller caller, MediaLeg leg, String typeAhead) {
        pending.decrementAndGet();
        lobby.put(caller.legId(), caller);
        BridgeConfiguration c = services.config().get();
        PinAdmission admission = new PinAdmission(settings, caller,
                TimeUnit.SECONDS.toMillis(c.bridge().pinTimeoutSeconds()), c.bridge().pinAttempts());
        log.info("call {} in the lobby of room {} (leg {})", caller.call().callId(), number, caller.legId());
        caller.enterLobby(leg, admission, services.clock().millis(), typeAhead);
    }

    /**
     * A callee the bridge dialled joins in {@code role} without a PIN: through the lobby (so the
     * room's entry rules apply, locked and full among them) straight into the room.
     */
    void enterDialled(Caller caller, MediaLeg leg, Role role, boolean confirm) {
        pending.decrementAndGet();
        lobby.put(caller.legId(), caller);
        log.info("call {} dialled into room {} (leg {}{})", caller.call().callId(), number, caller.legId(),
                confirm ? ", asked to confirm" : "");
        if (confirm) {
            long timeout = TimeUnit.SECONDS.toMillis(services.config().get().bridge().pinTimeoutSeconds());
            caller.enterLobby(leg, new org.confbridge.core.admission.ConfirmToJoin(caller, role, timeout),
                    services.clock().millis(), "");
            return;
        }
        caller.dialledIn(leg);
        admit(caller, role);
    }

    /** A reservation whose media could not be opened. */
    void cancelled() {
        pending.decrementAndGet();
        closeIfEmpty();
    }

    /** A wrong PIN: the session record, metrics and the per-source limits hear of it. */
    void pinFailed(Caller caller, int attempt) {
        event("pin-failed", caller.legId(), Map.of("attempt", attempt, "callerId", caller.call().callerUri()));
        services.listeners().pinFailed.accept(this);
        services.listeners().wrongEntry.accept(caller.call().callId(), number);
    }

    /** The caller typed a valid PIN: it joins the mix in its role and hears where it is. */
    void admit(Caller caller, Role role) {
        if (lobby.remove(caller.legId()) == null) {
            return; // hung up meanwhile
        }
        RoomSettings s = settings;
        long others = participants.values().stream().filter(x -> x.role() != Role.MODERATOR).count();
        switch (RoomEntry.decide(role, s.srtpRequired() && !caller.encrypted(), locked, others, s.maxParticipants())) {
            case UNENCRYPTED -> {
                log.info("call {}: room {} requires SRTP, the caller's media is plain", caller.call().callId(), number);
                caller.sayGoodbye("encryption-required", "goodbye");
                return;
            }
            case LOCKED -> {
                log.info("call {}: room {} is locked", caller.call().callId(), number);
                caller.sayGoodbye("room-locked", "goodbye");
                return;
            }
            case FULL -> {
                log.info("call {}: room {} is full ({} participants)", caller.call().callId(), number, others);
                session.event(services.clock().instant(), "rejected-full", caller.legId(), Map.of());
                caller.sayGoodbye("conference-full", "goodbye");
                return;
            }
            default -> {
            }
        }
        Instant now = services.clock().instant();
        boolean first = participants.isEmpty();
        Participant p = new Participant(caller, role, now, s.menu());
        caller.participant = p;
        participants.put(caller.legId(), p);
        if (role == Role.LISTENER || role == Role.PARTICIPANT && s.mutedOnJoin()) {
            p.setMuted(true);
        }
        MediaLeg leg = caller.leg();
        session.joined(caller.legId(), caller.call().callerUri(), caller.call().displayName(), role.label(),
                leg.spec().codec(), caller.call().transport(), leg.encrypted(), now);
        if (s.record() == RecordMode.ALWAYS) {
            recording.begin("record=always"); // with its tracks, this participant's among them
        }
        recording.joined(caller);
        services.sessions().save(session);
        List<String> say = new ArrayList<>();
        if (recording.active()) {
            say.add("recording-notice");
        }
        say.add(first ? "first-participant" : "joined");
        if (p.muted()) {
            say.add(role == Role.LISTENER ? "listen-only" : "muted");
        }
        RoomLifecycle.Phase before = lifecycle.phase();
        if (lifecycle.joined(role) == RoomLifecycle.Phase.WAITING) {
            p.waiting = true;
            say.add("waiting-for-moderator");
            leg.playLooped(AudioClip.concat("waiting", prompts().sequence(s.language(), say.toArray(String[]::new)),
                    prompts().holdSound(), prompts().holdSound()));
        } else {
            leg.setMixed(true);
            leg.play(prompts().sequence(s.language(), say.toArray(String[]::new)));
            if (before == RoomLifecycle.Phase.WAITING) {
                releaseWaiting();
            }
        }
        if (s.announceJoinLeave()) {
            group.announce(prompts().joinTone());
        }
        services.listeners().admitted.accept(this);
        log.info("call {} joined room {} as {} (leg {}, {} in room{})", caller.call().callId(), number, role.label(),
                caller.legId(), participants.size(), p.waiting ? ", waiting for a moderator" : "");
    }

    /** A moderator is here: everyone who waited joins the conversation. */
    private void releaseWaiting() {
        for (Participant w : participants.values()) {
            if (w.waiting) {
                w.waiting = false;
                w.leg().stopPrompt();
                w.leg().setMixed(true);
            }
        }
        log.info("room {}: moderator present, waiting participants joined the conversation", number);
    }

    /** The moderator left a room that waits for one: the others wait again. */
    private void holdEveryone() {
        for (Participant w : participants.values()) {
            if (!w.waiting) {
                w.waiting = true;
                w.leg().setMixed(false);
                w.leg().playLooped(AudioClip.concat("waiting",
                        prompts().sequence(settings.language(), "waiting-for-moderator"), prompts().holdSound(),
                        prompts().holdSound()));
            }
        }
    }

    /** The call ended: the caller leaves the lobby or the room; the room closes when empty. */
    void leave(Caller caller, String reason) {
        chat.left(caller.legId());
        Participant p = participants.remove(caller.legId());
        if (p != null) {
            session.left(caller.legId(), services.clock().instant(), caller.leg().talkSeconds(),
                    caller.leg().talkIntervals(openedNanos), reason);
            services.sessions().save(session);
            if (settings.announceJoinLeave()) {
                group.announce(prompts().leaveTone());
            }
            RoomLifecycle.Phase before = lifecycle.phase();
            RoomLifecycle.Phase phase = lifecycle.left(p.role());
            if (phase == RoomLifecycle.Phase.ENDING && before != RoomLifecycle.Phase.ENDING) {
                log.info("room {}: the last moderator left, the conference ends", number);
                event("end-with-moderator", caller.legId(), Map.of());
                for (Participant other : participants.values()) {
                    other.caller().sayGoodbye("conference-ending", "goodbye");
                }
            } else if (phase == RoomLifecycle.Phase.WAITING && before == RoomLifecycle.Phase.ACTIVE) {
                holdEveryone();
            }
            log.info("call {} left room {} ({} in room)", caller.call().callId(), number, participants.size());
        } else {
            lobby.remove(caller.legId());
        }
        if (caller.leg() != null) {
            caller.leg().close();
        }
        closeIfEmpty();
    }

    /** The caller went on hold or came back (a re-INVITE): a session event, and the API shows it. */
    void holdChanged(Caller caller, boolean held) {
        Participant p = participants.get(caller.legId());
        if (p == null || p.held == held) {
            return;
        }
        p.held = held;
        event(held ? "hold" : "resume", caller.legId(), Map.of());
        log.info("call {} {} in room {}", caller.call().callId(), held ? "on hold" : "resumed", number);
    }

    // ---- moderation (room's loop; other threads through call()) ----

    /** Locks or unlocks; callers arriving at a locked room are told so and hung up, moderators excepted. */
    public void lock(boolean value, String by) {
        if (locked == value) {
            return;
        }
        locked = value;
        event(value ? "lock" : "unlock", null, Map.of("by", by));
        log.info("room {} {} by {}", number, value ? "locked" : "unlocked", by);
    }

    /** Mutes or unmutes a participant (listeners stay muted). Returns false if there is no such leg. */
    public boolean mute(String legId, boolean muted, String by) {
        Participant p = participants.get(legId);
        if (p == null) {
            return false;
        }
        p.setMuted(muted);
        event(muted ? "mute" : "unmute", legId, Map.of("by", by));
        log.info("room {}: leg {} {} by {}", number, legId, muted ? "muted" : "unmuted", by);
        return true;
    }

    /** Removes a participant: "you have been removed", then BYE. */
    public boolean kick(String legId, String by) {
        Participant p = participants.get(legId);
        if (p == null) {
            return false;
        }
        event("kick", legId, Map.of("by", by));
        log.info("room {}: leg {} kicked by {}", number, legId, by);
        p.caller().sayGoodbye("removed", "goodbye");
        return true;
    }

    /**
     * Starts recording the mix on request. Returns false when the room's file says
     * {@code record = off}; everybody hears the recording notice.
     */
    public boolean startRecording(String by) {
        if (settings.record() == RecordMode.OFF) {
            return false;
        }
        if (!recording.active()) {
            recording.begin(by);
            services.sessions().save(session);
            announce("recording-notice");
        }
        return true;
    }

    /** Stops the recording; the file is finalised and listed in the session record. */
    public void stopRecording(String by) {
        recording.stop(by);
    }

    /** The conference ends for everyone (its room was taken away): a session event, the goodbye, BYE. */
    public void endForEveryone(String by) {
        event("ended", null, Map.of("by", by));
        goodbyeEveryone("conference-ending", "goodbye");
    }

    /** Tells every caller, in the lobby or in the room, that the conference ends, then hangs each up. */
    void goodbyeEveryone(String... promptIds) {
        List<Caller> callers = new ArrayList<>(lobby.values());
        participants.values().forEach(p -> callers.add(p.caller()));
        for (Caller c : callers) {
            if (c.leg() != null) {
                c.sayGoodbye(promptIds);
            }
        }
    }

    /**
     * A participant's chat message: relayed to every other participant and recorded. Returns
     * the SIP status to answer with (403 for a caller still in the lobby).
     */
    int chat(Caller caller, String text) {
        if (!participants.containsKey(caller.legId())) {
            return 403;
        }
        String name = caller.call().displayName();
        String writer = name.isEmpty() ? caller.call().callerUri() : name;
        return relay(chat.write(caller.legId(), writer, text, false, services.clock().instant(),
                services.clock().millis()), caller.legId(), writer, text);
    }

    /** A message from the admin API, to everyone in the room. */
    public int chatFromAdmin(String writer, String text) {
        return relay(chat.write(null, writer, text, true, services.clock().instant(), services.clock().millis()), null,
                writer, text);
    }

    private int relay(RoomChat.Verdict verdict, String leg, String writer, String text) {
        switch (verdict) {
            case TOO_FAST -> {
                return 503;
            }
            case TOO_LONG -> {
                return 413;
            }
            case EMPTY -> {
                return 400;
            }
            default -> {
            }
        }
        event("chat", leg, leg == null ? Map.of("from", writer, "text", text, "by", "admin-api")
                : Map.of("from", writer, "text", text));
        for (Participant other : participants.values()) {
            if (!other.legId().equals(leg)) {
                services.listeners().chat.send(other.call(), number, writer, text);
            }
        }
        return 200;
    }

    /** The session's chat so far, oldest first. */
    public List<Map<String, Object>> chatTranscript() {
        return chat.transcript();
    }

    /** Plays a prompt into the room's mix, in the room's language. */
    void announce(String promptId) {
        group.announce(prompts().sequence(settings.language(), promptId));
    }

    /** Records an event in the session record. */
    public void event(String type, String leg, Map<String, Object> details) {
        session.event(services.clock().instant(), type, leg, details);
        services.sessions().save(session);
    }

    private void closeIfEmpty() {
        if (!participants.isEmpty() || !lobby.isEmpty() || !directory.forget(this)) {
            return;
        }
        if (housekeeping != null) {
            housekeeping.cancel(false);
        }
        group.close(); // stops the recorder too
        recording.closeWithSession();
        log.info("room {} closed, session {}", number, session.sessionId());
    }

    private void housekeeping() {
        long now = services.clock().millis();
        for (Caller c : lobby.values()) {
            c.tick(now);
        }
    }
}
