package org.confbridge.core.room;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.confbridge.config.BridgeConfiguration;
import org.confbridge.config.RoomSettings;
import org.confbridge.media.MediaEngine;
import org.confbridge.media.MediaLeg;
import org.confbridge.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms that exist in the configuration and the ones that are open right now. A room opens
 * (gets a mix group on an event loop) with its first caller and closes with its last. Opening and
 * closing are serialized here; they are short and never block.
 */
public final class RoomDirectory {
    private static final Logger log = LoggerFactory.getLogger(RoomDirectory.class);

    private final MediaEngine media;
    private final Supplier<BridgeConfiguration> config;
    private final Clock clock;
    private final Map<String, Room> open = new HashMap<>();

    public RoomDirectory(MediaEngine media, Supplier<BridgeConfiguration> config, Clock clock) {
        this.media = media;
        this.config = config;
        this.clock = clock;
    }

    /** The configured room with that number, if any. */
    public Optional<RoomSettings> configured(String number) {
        return config.get().room(number);
    }

    /** Opens the room if needed and reserves a place for a caller whose media is being set up. */
    public synchronized Room reserve(RoomSettings settings) {
        Room room = open.get(settings.number());
        if (room == null) {
            room = new Room(settings, media.createGroup(settings.number()));
            open.put(settings.number(), room);
            log.info("room {} opened ({})", settings.number(), settings.name());
        } else {
            room.settings(settings);
        }
        room.pending++;
        return room;
    }

    /** Turns a reservation into a participant; the leg joins the mix. */
    public synchronized Participant join(Room room, String legId, SipCall call, MediaLeg leg, Role role) {
        room.pending--;
        Participant p = new Participant(legId, call, leg, role, clock.instant());
        room.add(p);
        if (role == Role.LISTENER) {
            p.setMuted(true);
        }
        leg.setMixed(true);
        log.info("call {} joined room {} as {} (leg {}, {} in room)", call.callId(), room.number(), role.label(),
                legId, room.size());
        return p;
    }

    /** Drops a reservation whose media could not be opened or whose call ended before joining. */
    public synchronized void cancel(Room room) {
        room.pending--;
        closeIfEmpty(room);
    }

    /** Removes a participant; closes the room when it was the last. */
    public synchronized void leave(Room room, String legId) {
        Participant p = room.remove(legId);
        if (p != null) {
            p.leg().close();
            log.info("call {} left room {} ({} in room)", p.call().callId(), room.number(), room.size());
        }
        closeIfEmpty(room);
    }

    private void closeIfEmpty(Room room) {
        if (room.size() == 0 && room.pending == 0 && open.get(room.number()) == room) {
            open.remove(room.number());
            room.group().close();
            log.info("room {} closed", room.number());
        }
    }

    public synchronized Optional<Room> open(String number) {
        return Optional.ofNullable(open.get(number));
    }

    public synchronized Collection<Room> openRooms() {
        return new ArrayList<>(open.values());
    }

    /** Configured rooms, open or not, by number. */
    public List<RoomSettings> allConfigured() {
        return new ArrayList<>(config.get().rooms().values());
    }
}
