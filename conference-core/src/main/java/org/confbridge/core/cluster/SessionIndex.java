package org.confbridge.core.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import org.confbridge.core.room.OnDemandRooms;
import redis.clients.jedis.params.SetParams;

/**
 * Every node's sessions, findable from any node: each session's entry (room, start, end, the node
 * holding its files) kept in Redis for the recordings' retention, and an index by start time,
 * written again at the end (so a Redis that restarted meanwhile learns it). The files stay where
 * the room ran; another node answers for them with a redirect there. Runs on the cluster thread.
 */
public final class SessionIndex {
    private static final String SESSION = ClusterNode.PREFIX + "session:";
    private static final String BY_START = ClusterNode.PREFIX + "sessions";
    private static final int MAX_LISTED = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisLink redis;
    private final String nodeId;
    private final Executor thread;
    private final IntSupplier retentionDays;
    /** Sessions under way here, by id: their start, for the end's entry (Redis may have forgotten it meanwhile). */
    private final Map<String, String> started = new java.util.HashMap<>();

    SessionIndex(RedisLink redis, String nodeId, Executor thread, IntSupplier retentionDays) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.thread = thread;
        this.retentionDays = retentionDays;
    }

    /** A session's event as the webhook gets it: its start and its end are entered (on the cluster thread). */
    public void event(Map<String, Object> event) {
        String type = String.valueOf(event.get("type"));
        if (!type.equals("session-started") && !type.equals("session-ended")) {
            return;
        }
        String id = String.valueOf(event.get("sessionId"));
        thread.execute(() -> {
            try {
                Map<String, Object> entry = new LinkedHashMap<>();
                String old = type.equals("session-ended") ? redis.call(j -> j.get(SESSION + id)) : null;
                if (old != null) {
                    entry.putAll(JSON.readValue(old, Map.class));
                }
                entry.put("id", id);
                entry.put("room", event.get("room"));
                entry.put("node", nodeId);
                if (type.equals("session-started")) {
                    started.put(id, String.valueOf(event.get("at")));
                    entry.put("start", event.get("at"));
                    entry.put("end", null);
                    entry.put("recorded", false);
                } else {
                    String start = started.remove(id);
                    if (start != null) {
                        entry.put("start", start);
                    }
                    entry.put("end", event.get("at"));
                    entry.put("recorded", event.get("recordings") instanceof List<?> files
                            && files.stream().anyMatch(f -> String.valueOf(f).endsWith("mix.wav")));
                }
                String text = JSON.writeValueAsString(entry);
                long keep = Math.max(1, retentionDays.getAsInt() == 0 ? 400 : retentionDays.getAsInt()) * 86_400_000L;
                redis.call(j -> j.set(SESSION + id, text, SetParams.setParams().px(keep)));
                if (entry.get("start") != null) {
                    long start = Instant.parse(String.valueOf(entry.get("start"))).toEpochMilli();
                    redis.call(j -> j.zadd(BY_START, start, id));
                    redis.call(j -> j.zremrangeByScore(BY_START, 0, start - keep));
                }
            } catch (OnDemandRooms.Unavailable | java.io.IOException e) {
                // Redis away: the session is still listed by its own node
            }
        });
    }

    /** Other nodes' sessions, newest first, of {@code room} when not null, as the API lists them. */
    public List<Map<String, Object>> elsewhere(String room) {
        List<String> ids = redis.call(j -> j.zrevrange(BY_START, 0, MAX_LISTED - 1));
        List<Map<String, Object>> out = new ArrayList<>();
        if (ids.isEmpty()) {
            return out;
        }
        List<String> entries = redis.call(j -> j.mget(ids.stream().map(id -> SESSION + id).toArray(String[]::new)));
        for (String text : entries) {
            if (text == null) {
                continue;
            }
            try {
                JsonNode e = JSON.readTree(text);
                if (e.path("node").asText().equals(nodeId) || room != null && !room.equals(e.path("room").asText())) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                String id = e.path("id").asText();
                m.put("id", id);
                m.put("room", e.path("room").asText());
                m.put("start", e.path("start").asText(null));
                m.put("end", e.path("end").isNull() ? null : e.path("end").asText());
                m.put("node", e.path("node").asText());
                List<String> files = new ArrayList<>(List.of("/api/sessions/" + id + "/report.html",
                        "/api/sessions/" + id + "/session.json"));
                if (e.path("recorded").asBoolean()) {
                    files.add(0, "/api/sessions/" + id + "/mix.wav");
                }
                m.put("files", files);
                out.add(m);
            } catch (java.io.IOException ignored) {
                // an entry another version wrote: left out
            }
        }
        return out;
    }

    /** The node holding a session's files, or null when Redis does not know it. */
    public String nodeOf(String sessionId) {
        String text = redis.call(j -> j.get(SESSION + sessionId));
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text).path("node").asText(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
