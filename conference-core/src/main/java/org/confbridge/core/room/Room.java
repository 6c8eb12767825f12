package org.confbridge.core.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.confbridge.config.RoomSettings;
import org.confbridge.core.session.SessionRecord;
import org.confbridge.media.MixGroup;
import org.confbridge.media.audio.MixRecorder;

/**
 * A room while anyone is in it: its mix group on one event loop, the callers in its lobby, its
 * participants, and the record of this session. Opened and closed by the {@link RoomDirectory}.
 */
public final class Room {
    private final String number;
    private final MixGroup group;
    private final SessionRecord session;
    final Map<String, Participant> participants = new ConcurrentHashMap<>();
    final Map<String, Caller> lobby = new ConcurrentHashMap<>();
    private volatile RoomSettings settings;
    volatile boolean locked;
    /** Callers whose media is being opened, so the room is not closed under them. */
    int pending;
    volatile MixRecorder recorder;
    /** Recordings started in this session, for file names. */
    int recordings;
    ScheduledFuture<?> housekeeping;

    final RoomLifecycle lifecycle;

    Room(RoomSettings settings, MixGroup group, SessionRecord session) {
        this.lifecycle = new RoomLifecycle(settings.waitForModerator(), settings.endWithLastModerator());
        this.number = settings.number();
        this.settings = settings;
        this.group = group;
        this.session = session;
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

    /** A locked room takes no new callers (they hear so and are hung up). */
    public boolean locked() {
        return locked;
    }

    public boolean recording() {
        return recorder != null;
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
}
