package org.confbridge.core.room;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.confbridge.config.BridgeConfiguration;
import org.confbridge.config.RoomSettings;
import org.confbridge.core.prompt.PromptLibrary;
import org.confbridge.core.session.SessionRecord;
import org.confbridge.core.session.SessionWriter;
import org.confbridge.media.MediaEngine;
import org.confbridge.media.room.MediaLeg;
import org.confbridge.sip.CallHandle;
import org.confbridge.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms that exist in the configuration and the ones open right now: a room opens (a mix
 * group on an event loop, a session record) with its first caller and is forgotten when it closes
 * with its last. What happens inside a room is the {@link Room}'s, on its loop; this class only
 * opens, finds and forgets, without a lock of its own: a room's reservations and its closing meet
 * in one atomic step of the map, per room number.
 */
public final class RoomDirectory {
    private static final Logger log = LoggerFactory.getLogger(RoomDirectory.class);
    static final long HOUSEKEEPING_MILLIS = 250;

    private final RoomServices services;
    private final Map<String, Room> open = new ConcurrentHashMap<>();

    public RoomDirectory(MediaEngine media, Supplier<BridgeConfiguration> config, PromptLibrary prompts,
                         SessionWriter sessions, Clock clock) {
        this.services = new RoomServices(media, prompts, sessions, clock, config, new RoomServices.Listeners());
    }

    /** For metrics: told of each admission (on the room's loop). */
    public void onAdmitted(Consumer<Room> listener) {
        services.listeners().admitted = listener;
    }

    /** For metrics: told of each wrong PIN (on the room's loop). */
    public void onPinFailed(Consumer<Room> listener) {
        services.listeners().pinFailed = listener;
    }

    /** For the per-source limits: the call id and room (or what was dialled) of each wrong PIN or room number. */
    /** How chat messages reach callers: {@code (to, room, writer, text)}. */
    public void onChat(ChatSender sender) {
        services.listeners().chat = sender;
    }

    public void onWrongEntry(BiConsumer<String, String> listener) {
        services.listeners().wrongEntry = listener;
    }

    /** The per-source guessing limits every typed PIN and room number is checked against first. */
    public void entryChecks(EntryChecks checks) {
        services.listeners().entryChecks = checks;
    }

    EntryChecks entryChecks() {
        return services.listeners().entryChecks;
    }

    PromptLibrary prompts() {
        return services.prompts();
    }

    /** The configured room with that number, if any. */
    public Optional<RoomSettings> configured(String number) {
        return services.config().get().room(number);
    }

    /** Opens the room if needed and reserves a place for a caller whose media is being set up. */
    public Caller reserve(RoomSettings settings, String legId, CallHandle call) {
        return new Caller(legId, call, reserveRoom(settings));
    }

    /** A callee the bridge dialled answered: its place was reserved by {@link #reserveRoom}. */
    public Caller dialled(Room room, String legId, CallHandle call) {
        return new Caller(legId, call, room);
    }

    /**
     * A dialled callee joins in {@code role} without a PIN: into the lobby (its media starts
     * there) and at once into the room, on the room's loop.
     */
    public void admitDialled(Caller caller, MediaLeg leg, org.confbridge.core.admission.Role role, boolean confirm) {
        Room room = caller.room();
        room.execute(() -> room.enterDialled(caller, leg, role, confirm));
    }

    /** Opens the room if needed and counts a place for a caller not there yet (see {@link #cancel}). */
    public Room reserveRoom(RoomSettings settings) {
        return open.compute(settings.number(), (number, existing) -> {
            Room r = existing != null ? existing : openRoom(settings);
            if (existing != null) {
                r.settings(settings);
            }
            r.pending.incrementAndGet(); // in the map's step: a closing room sees it, or is already gone
            return r;
        });
    }

    /** A place counted by {@link #reserveRoom} that nobody will take (a dial-out failed). */
    public void cancel(Room room) {
        room.execute(room::cancelled);
    }

    private Room openRoom(RoomSettings settings) {
        Instant now = services.clock().instant();
        SessionRecord session = services.sessions().open(settings.number(), now);
        session.describe(settings.name(), settings.language());
        Room room = new Room(settings, services.media().createGroup(settings.number()), session, services, this);
        room.start(HOUSEKEEPING_MILLIS);
        services.sessions().save(session);
        log.info("room {} opened ({}), session {}", settings.number(), settings.name(), session.sessionId());
        return room;
    }

    /** The caller's media is up: it waits in the lobby (hearing prompts only) until admitted. */
    public void enterLobby(Caller caller, MediaLeg leg) {
        enterLobby(caller, leg, "");
    }

    /** As {@link #enterLobby(Caller, MediaLeg)}, with keys the caller typed ahead for the PIN. */
    void enterLobby(Caller caller, MediaLeg leg, String typeAhead) {
        Room room = caller.room();
        room.execute(() -> room.enterLobby(caller, leg, typeAhead));
    }

    /**
     * A chat message from a caller of this bridge; the SIP status to answer with. Waits briefly
     * for the room's loop, where its rules run.
     */
    public int chat(Caller caller, String text) {
        try {
            return caller.room().call(() -> caller.room().chat(caller, text)).get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 503;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return 503;
        }
    }

    /** Drops a reservation whose media could not be opened. */
    public void cancel(Caller caller) {
        Room room = caller.room();
        room.execute(room::cancelled);
    }

    /** The call ended: the caller leaves the lobby or the room (on the room's loop). */
    public void leave(Caller caller, String reason) {
        Room room = caller.room();
        room.execute(() -> room.leave(caller, reason));
    }

    /**
     * Forgets an empty room unless a caller is being set up for it; returns whether it did. Called
     * by the room on its loop, in the same atomic map step as {@link #reserve}'s.
     */
    boolean forget(Room room) {
        boolean[] forgotten = {false};
        open.computeIfPresent(room.number(), (number, r) -> {
            if (r == room && room.pending.get() == 0) {
                forgotten[0] = true;
                return null;
            }
            return r;
        });
        return forgotten[0];
    }

    /** Tells every caller, in a lobby or in a room, that the conference ends, then hangs each up. */
    public void goodbyeEveryone(String... promptIds) {
        for (Room room : open.values()) {
            room.execute(() -> room.goodbyeEveryone(promptIds));
        }
    }

    /** A room number typed at the dial-in prompt that does not exist. */
    void wrongRoomNumber(CallHandle call) {
        services.listeners().wrongEntry.accept(call.callId(), "(dial-in)");
    }

    /** The media side the rooms run on. */
    public org.confbridge.media.MediaEngine media() {
        return services.media();
    }

    public Optional<Room> open(String number) {
        return Optional.ofNullable(open.get(number));
    }

    public Collection<Room> openRooms() {
        return new ArrayList<>(open.values());
    }

    /** Configured rooms, open or not. */
    public List<RoomSettings> allConfigured() {
        return new ArrayList<>(services.config().get().rooms().values());
    }

    public long millis() {
        return services.clock().millis();
    }
}
