package org.confbridge.core.session;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documentation of one room session (DESIGN section 7): who was there and when, what happened,
 * and which recordings it left. Thread-safe; {@link #snapshot()} gives the JSON tree to write.
 */
public final class SessionRecord {
    private final String room;
    private final String sessionId;
    private final Instant start;
    private final Path dir;
    private Instant end;
    /** For the report: the room's name and language (not part of session.json). */
    private volatile String roomName;
    private volatile String language = "en";
    private final Map<String, Map<String, Object>> participants = new LinkedHashMap<>();
    private final List<Map<String, Object>> events = new ArrayList<>();
    private final List<Map<String, Object>> recordings = new ArrayList<>();

    /** Where the session's events go as they happen (the webhook); each a JSON object. */
    private final java.util.function.Consumer<Map<String, Object>> published;

    public SessionRecord(String room, String sessionId, Instant start, Path dir) {
        this(room, sessionId, start, dir, e -> { });
    }

    public SessionRecord(String room, String sessionId, Instant start, Path dir,
                         java.util.function.Consumer<Map<String, Object>> published) {
        this.room = room;
        this.sessionId = sessionId;
        this.start = start;
        this.dir = dir;
        this.published = published;
        publish("session-started", start, Map.of());
    }

    /** Tells the outside world (the webhook) of an event: type, room, session, time, details. */
    private void publish(String type, Instant at, Map<String, Object> details) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("room", room);
        e.put("sessionId", sessionId);
        e.put("at", at.toString());
        e.putAll(details);
        published.accept(e);
    }

    /** The room's name and prompt language, for {@code report.html}. */
    public void describe(String name, String lang) {
        this.roomName = name;
        this.language = lang;
    }

    String roomName() {
        return roomName == null ? room : roomName;
    }

    String language() {
        return language;
    }

    public String sessionId() {
        return sessionId;
    }

    /** {@code <recordings.dir>/<room>/<YYYYMMDD-HHMMSS>Z-<session-id>/}. */
    public Path dir() {
        return dir;
    }

    public synchronized void joined(String leg, String callerId, String displayName, String role, String codec,
                                    String transport, boolean srtp, Instant at) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("leg", leg);
        p.put("callerId", callerId);
        p.put("displayName", displayName);
        p.put("role", role);
        p.put("codec", codec);
        p.put("transport", transport);
        p.put("srtp", srtp);
        p.put("joined", at.toString());
        p.put("left", null);
        p.put("talkSeconds", 0.0);
        p.put("talk", java.util.List.of());
        participants.put(leg, p);
        event(at, "join", leg, Map.of());
        Map<String, Object> who = new LinkedHashMap<>(p);
        who.keySet().retainAll(java.util.Set.of("leg", "callerId", "displayName", "role", "codec", "transport", "srtp"));
        publish("participant-joined", at, who);
    }

    /**
     * @param talk the turns the participant talked, {@code [from, to]} in seconds since the session
     *             start (DESIGN §7 {@code "talk"})
     */
    public synchronized void left(String leg, Instant at, double talkSeconds, java.util.List<double[]> talk,
                                  String reason) {
        Map<String, Object> p = participants.get(leg);
        if (p != null) {
            p.put("left", at.toString());
            p.put("talkSeconds", Math.round(talkSeconds * 10) / 10.0);
            p.put("talk", talk);
        }
        event(at, "leave", leg, Map.of("reason", reason));
        publish("participant-left", at, Map.of("leg", leg, "reason", reason, "talkSeconds", Math.round(talkSeconds * 10) / 10.0));
    }

    /** Any event of DESIGN section 7 (pin-failed, mute, lock, recording-start, ...). */
    public synchronized void event(Instant at, String type, String leg, Map<String, Object> details) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", at.toString());
        e.put("type", type);
        if (leg != null) {
            e.put("leg", leg);
        }
        e.putAll(details);
        events.add(e);
        String external = switch (type) {
            case "chat" -> "chat";
            case "recording-start" -> "recording-started";
            case "recording-stop" -> "recording-stopped";
            case "dial-failed" -> "dial-failed";
            default -> null;
        };
        if (external != null) {
            Map<String, Object> d = new LinkedHashMap<>(details);
            if (leg != null) {
                d.put("leg", leg);
            }
            publish(external, at, d);
        }
    }

    public synchronized void recording(String file, double seconds, String sha256, long droppedFrames) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("file", file);
        r.put("seconds", Math.round(seconds * 100) / 100.0);
        r.put("sha256", sha256);
        r.put("droppedFrames", droppedFrames);
        recordings.add(r);
    }

    /** Whether the session has ended (its last write is due). */
    public synchronized boolean ended() {
        return end != null;
    }

    public synchronized void end(Instant at) {
        this.end = at;
        List<String> files = new ArrayList<>();
        recordings.forEach(r -> files.add(dir.resolve(String.valueOf(r.get("file"))).toString()));
        publish("session-ended", at, Map.of("sessionJson", dir.resolve("session.json").toString(),
                "report", dir.resolve("report.html").toString(), "recordings", files));
    }

    /** A copy of the record as the JSON tree of session.json. */
    public synchronized Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("room", room);
        m.put("sessionId", sessionId);
        m.put("start", start.toString());
        m.put("end", end == null ? null : end.toString());
        List<Map<String, Object>> ps = new ArrayList<>();
        participants.values().forEach(p -> ps.add(new LinkedHashMap<>(p)));
        m.put("participants", ps);
        List<Map<String, Object>> es = new ArrayList<>();
        events.forEach(e -> es.add(new LinkedHashMap<>(e)));
        m.put("events", es);
        List<Map<String, Object>> rs = new ArrayList<>();
        recordings.forEach(r -> rs.add(new LinkedHashMap<>(r)));
        m.put("recordings", rs);
        return m;
    }
}
