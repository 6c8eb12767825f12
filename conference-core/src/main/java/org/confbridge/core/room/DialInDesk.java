package org.confbridge.core.room;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.confbridge.config.BridgeConfiguration;
import org.confbridge.config.RoomSettings;
import org.confbridge.core.admission.RoomNumberEntry;
import org.confbridge.media.MediaEngine;
import org.confbridge.media.room.MediaLeg;
import org.confbridge.media.room.MixGroup;
import org.confbridge.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dial-in number: callers wait in a group of their own, are asked for the room number, and
 * once they have typed one that exists their leg moves to that room's group (and event loop) and
 * they continue in its lobby as a {@link Caller}.
 */
public final class DialInDesk {
    private static final Logger log = LoggerFactory.getLogger(DialInDesk.class);

    private final RoomDirectory rooms;
    private final MediaEngine media;
    private final Supplier<BridgeConfiguration> config;
    private final Clock clock;
    private final Map<String, DialIn> waiting = new ConcurrentHashMap<>();
    private MixGroup group;
    private volatile Consumer<Caller> movedListener = c -> { };

    public DialInDesk(RoomDirectory rooms, MediaEngine media, Supplier<BridgeConfiguration> config, Clock clock) {
        this.rooms = rooms;
        this.media = media;
        this.config = config;
        this.clock = clock;
    }

    /** Told when a dial-in caller has become a room's caller (to route its events from then on). */
    public void onMovedToRoom(Consumer<Caller> listener) {
        this.movedListener = listener;
    }

    /** The group where dial-in callers wait before they have named a room. */
    public synchronized MixGroup group() {
        if (group == null) {
            group = media.createGroup("dial-in");
            group.loop().scheduleAtFixedRate(() -> {
                long now = clock.millis();
                for (DialIn d : waiting.values()) {
                    d.tick(now);
                }
            }, RoomDirectory.HOUSEKEEPING_MILLIS, RoomDirectory.HOUSEKEEPING_MILLIS, TimeUnit.MILLISECONDS);
        }
        return group;
    }

    public DialIn dialIn(String legId, SipCall call) {
        DialIn d = new DialIn(legId, call, this, group(), config.get().bridge().dialinLanguage());
        waiting.put(legId, d);
        return d;
    }

    RoomDirectory rooms() {
        return rooms;
    }

    /** The dial-in caller's media is up: ask for the room number. */
    public void start(DialIn d, MediaLeg leg) {
        BridgeConfiguration c = config.get();
        RoomNumberEntry entry = new RoomNumberEntry(number -> config.get().room(number).isPresent(), d,
                TimeUnit.SECONDS.toMillis(c.bridge().pinTimeoutSeconds()), c.bridge().pinAttempts());
        log.info("call {} at the dial-in prompt (leg {})", d.call().callId(), d.legId());
        d.execute(() -> d.start(leg, entry, clock.millis()));
    }

    /** Moves a dial-in caller into the room it typed: the leg changes loops, then the room's lobby. */
    void moveToRoom(DialIn d, String number) {
        Optional<RoomSettings> settings = rooms.configured(number);
        if (settings.isEmpty() || waiting.remove(d.legId()) == null) {
            d.call().hangup();
            return;
        }
        Caller caller = rooms.reserve(settings.get(), d.legId(), d.call());
        movedListener.accept(caller);
        MediaLeg leg = d.leg();
        group.transfer(leg, caller.room().group()).whenComplete((ok, error) -> {
            if (error != null) {
                log.warn("call {}: could not move into room {}: {}", d.call().callId(), number, error.toString());
                rooms.cancel(caller);
                d.call().hangup();
                return;
            }
            rooms.enterLobby(caller, leg, d.entry.typeAhead());
        });
    }

    /** A dial-in caller hung up before naming a room. */
    public void ended(DialIn d) {
        if (waiting.remove(d.legId()) != null && d.leg() != null) {
            d.leg().close();
        }
    }
}
