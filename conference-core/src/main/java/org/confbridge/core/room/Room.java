package org.confbridge.core.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.confbridge.config.RoomSettings;
import org.confbridge.media.MixGroup;

/**
 * A room while anyone is in it: its settings (as of the first caller; later callers see later
 * versions through {@link #settings(RoomSettings)}), its mix group on one event loop, and its
 * participants.
 */
public final class Room {
    private final String number;
    private final MixGroup group;
    private final Map<String, Participant> participants = new ConcurrentHashMap<>();
    private volatile RoomSettings settings;
    /** Legs reserved while their media is being opened, so the room is not closed under them. */
    int pending;

    Room(RoomSettings settings, MixGroup group) {
        this.number = settings.number();
        this.settings = settings;
        this.group = group;
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

    public List<Participant> participants() {
        List<Participant> list = new ArrayList<>(participants.values());
        list.sort((a, b) -> a.joined().compareTo(b.joined()));
        return list;
    }

    void add(Participant p) {
        participants.put(p.legId(), p);
    }

    Participant remove(String legId) {
        return participants.remove(legId);
    }

    int size() {
        return participants.size();
    }
}
