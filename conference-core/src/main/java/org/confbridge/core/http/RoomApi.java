package org.confbridge.core.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.confbridge.config.RoomSettings;
import org.confbridge.core.room.Caller;
import org.confbridge.core.room.Participant;
import org.confbridge.core.room.Room;
import org.confbridge.core.room.RoomDirectory;
import org.confbridge.media.jitter.JitterStats;

/** The JSON views and actions of DESIGN section 9: rooms, participants, lock, record, mute, kick. */
public final class RoomApi {
    /** An answer: HTTP status and JSON body. */
    public record Result(int status, Object body) {
        static Result ok(Object body) {
            return new Result(200, body);
        }

        static Result error(int status, String message) {
            return new Result(status, Map.of("error", message));
        }
    }

    private static final int ACTION_TIMEOUT_SECONDS = 5;
    private final RoomDirectory rooms;

    private volatile String nodeId;
    private volatile java.util.function.Supplier<Map<String, org.confbridge.core.cluster.ClusterNode.Running>> elsewhere =
            Map::of;

    public RoomApi(RoomDirectory rooms) {
        this.rooms = rooms;
    }

    /** With several nodes: each room is listed with the node it runs on, and its people there. */
    public void cluster(String nodeId,
                        java.util.function.Supplier<Map<String, org.confbridge.core.cluster.ClusterNode.Running>> elsewhere) {
        this.elsewhere = elsewhere;
        this.nodeId = nodeId;
    }

    public List<Map<String, Object>> rooms() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (RoomSettings s : rooms.allConfigured()) {
            Optional<Room> open = rooms.open(s.number());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("room", s.number());
            m.put("name", s.name());
            var there = open.isPresent() ? null : elsewhere.get().get(s.number());
            m.put("participants", open.map(r -> r.participants().size()).orElse(there == null ? 0 : there.participants()));
            if (nodeId != null) {
                m.put("node", open.isPresent() ? nodeId : there == null ? null : there.node());
            }
            m.put("open", !s.requiresPin());
            m.put("locked", open.map(Room::locked).orElse(false));
            m.put("recording", open.map(Room::recording).orElse(false));
            list.add(m);
        }
        list.sort((a, b) -> ((String) a.get("room")).compareTo((String) b.get("room")));
        return list;
    }

    public Optional<Map<String, Object>> room(String number) {
        Optional<RoomSettings> settings = rooms.configured(number);
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("room", number);
        m.put("name", settings.get().name());
        m.put("open", !settings.get().requiresPin());
        Optional<Room> open = rooms.open(number);
        m.put("locked", open.map(Room::locked).orElse(false));
        m.put("recording", open.map(Room::recording).orElse(false));
        List<Map<String, Object>> participants = new ArrayList<>();
        List<Map<String, Object>> lobby = new ArrayList<>();
        open.ifPresent(room -> {
            for (Caller c : room.lobby()) {
                Map<String, Object> lm = new LinkedHashMap<>();
                lm.put("leg", c.legId());
                lm.put("callerId", c.call().callerUri());
                lm.put("displayName", c.call().displayName());
                lobby.add(lm);
            }
            for (Participant p : room.participants()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                JitterStats js = p.leg().jitterStats();
                pm.put("leg", p.legId());
                pm.put("callerId", p.call().callerUri());
                pm.put("displayName", p.call().displayName());
                pm.put("role", p.role().label());
                pm.put("muted", p.muted());
                pm.put("held", p.held());
                pm.put("talking", p.leg().talking());
                pm.put("codec", p.leg().spec().codec());
                pm.put("transport", p.call().transport());
                pm.put("srtp", p.leg().encrypted());
                pm.put("lossPercent", Math.round(js.lossPercent() * 10) / 10.0);
                pm.put("jitterMs", Math.round(p.leg().jitterMs() * 10) / 10.0);
                pm.put("playoutDelayMs", p.leg().playoutDelayMs());
                pm.put("rttMs", Math.round(p.leg().rttMs() * 10) / 10.0);
                pm.put("remoteLossPercent", Math.round(p.leg().remoteLossPercent() * 10) / 10.0);
                pm.put("packetsReceived", js.received());
                participants.add(pm);
            }
        });
        m.put("participants", participants);
        m.put("lobby", lobby);
        return Optional.of(m);
    }

    /**
     * Carries out {@code POST /api/rooms/{room}/<action>} or
     * {@code POST /api/rooms/{room}/participants/{leg}/<action>} (leg may be null).
     */
    public Result act(String number, String leg, String action) {
        if (rooms.configured(number).isEmpty()) {
            return Result.error(404, "no such room: " + number);
        }
        Optional<Room> open = rooms.open(number);
        if (open.isEmpty()) {
            return Result.error(409, "room " + number + " has no session in progress");
        }
        Room room = open.get();
        String by = "admin-api";
        Result result;
        try {
            // The room's rules run on its loop: hand the action over and wait for its outcome.
            result = room.call(() -> leg == null ? roomAction(room, action, by) : legAction(room, leg, action, by))
                    .get(ACTION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.error(503, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return Result.error(503, "room " + number + " did not answer in time");
        }
        return result != null ? result : Result.ok(room(number).orElseThrow());
    }

    /** {@code POST /api/rooms/{room}/chat}: a message from {@code from} to everyone in the room. */
    public Result chat(String number, String from, String text) {
        Optional<Room> open = rooms.open(number);
        if (open.isEmpty()) {
            return rooms.configured(number).isEmpty() ? Result.error(404, "no such room: " + number)
                    : Result.error(409, "room " + number + " has no session in progress");
        }
        if (from == null || from.isBlank() || text == null) {
            return Result.error(400, "{\"from\": \"…\", \"text\": \"…\"} expected");
        }
        Room room = open.get();
        try {
            int status = room.call(() -> room.chatFromAdmin(from, text)).get(ACTION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return status == 200 ? new Result(200, Map.of("room", number, "sent", true))
                    : Result.error(status, status == 413 ? "message too long" : "empty message");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.error(503, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return Result.error(503, "room " + number + " did not answer in time");
        }
    }

    /** {@code GET /api/rooms/{room}/chat}: the session's messages, oldest first. */
    public Result chatTranscript(String number) {
        Optional<Room> open = rooms.open(number);
        if (open.isEmpty()) {
            return rooms.configured(number).isEmpty() ? Result.error(404, "no such room: " + number)
                    : new Result(200, List.of());
        }
        try {
            return new Result(200, open.get().call(open.get()::chatTranscript).get(ACTION_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.error(503, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return Result.error(503, "room " + number + " did not answer in time");
        }
    }

    /** On the room's loop: a room action; null when done. */
    private static Result roomAction(Room room, String action, String by) {
        switch (action) {
            case "lock" -> room.lock(true, by);
            case "unlock" -> room.lock(false, by);
            case "record/start" -> {
                if (!room.startRecording(by)) {
                    return Result.error(409, "room " + room.number() + " has record = off");
                }
            }
            case "record/stop" -> room.stopRecording(by);
            default -> {
                return Result.error(404, "no such action: " + action);
            }
        }
        return null;
    }

    /** On the room's loop: an action on one participant; null when done. */
    private static Result legAction(Room room, String leg, String action, String by) {
        boolean found;
        switch (action) {
            case "mute" -> found = room.mute(leg, true, by);
            case "unmute" -> found = room.mute(leg, false, by);
            case "kick" -> found = room.kick(leg, by);
            default -> {
                return Result.error(404, "no such action: " + action);
            }
        }
        return found ? null : Result.error(404, "no participant " + leg + " in room " + room.number());
    }
}
