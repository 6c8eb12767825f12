package org.confbridge.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionRecordTest {
    @TempDir
    Path dir;

    @Test
    void sessionJsonHasTheContractFieldNames() throws Exception {
        Instant t0 = Instant.parse("2026-11-22T20:00:00Z");
        try (SessionWriter writer = new SessionWriter(dir)) {
            SessionRecord r = writer.open("1000", t0);
            assertTrue(r.dir().getFileName().toString().matches("20261122-200000Z-[0-9a-f]+"), r.dir().toString());
            assertEquals(dir.resolve("1000"), r.dir().getParent());
            r.event(t0.plusSeconds(1), "pin-failed", "L1", Map.of("attempt", 1));
            r.joined("L2", "sip:alice@example.com", "Alice", "participant", "PCMU", "udp", false, t0.plusSeconds(2));
            r.left("L2", t0.plusSeconds(62), 12.34, List.of(new double[] {2.0, 8.4}, new double[] {30.0, 36.0}),
                    "caller hung up");
            r.recording("mix.wav", 61.2, "ab".repeat(32), 0);
            r.end(t0.plusSeconds(63));
            writer.save(r);
        }
        JsonNode json;
        try (var dirs = Files.list(dir.resolve("1000"))) {
            json = new ObjectMapper().readTree(dirs.findFirst().orElseThrow().resolve("session.json").toFile());
        }
        assertEquals(List.of("room", "sessionId", "start", "end", "participants", "events", "recordings"),
                fieldNames(json));
        assertEquals("2026-11-22T20:00:00Z", json.get("start").asText());
        assertEquals("2026-11-22T20:01:03Z", json.get("end").asText());
        JsonNode p = json.get("participants").get(0);
        assertEquals(List.of("leg", "callerId", "displayName", "role", "codec", "transport", "srtp", "joined", "left", "talkSeconds", "talk"),
                fieldNames(p));
        assertEquals(12.3, p.get("talkSeconds").asDouble(), 1e-9);
        assertEquals("[[2.0,8.4],[30.0,36.0]]", p.get("talk").toString());
        assertEquals("2026-11-22T20:01:02Z", p.get("left").asText());
        List<String> types = new java.util.ArrayList<>();
        json.get("events").forEach(e -> types.add(e.get("type").asText()));
        assertEquals(List.of("pin-failed", "join", "leave"), types);
        assertEquals("L1", json.get("events").get(0).get("leg").asText());
        JsonNode rec = json.get("recordings").get(0);
        assertEquals("mix.wav", rec.get("file").asText());
        assertEquals(61.2, rec.get("seconds").asDouble(), 1e-9);
    }

    /**
     * A save per join of a large room: the writes coalesce (no copy of the whole record per save),
     * and the file ends with every participant, including those who joined while a write ran.
     */
    @Test
    void savesCoalesceAndTheLastStateIsWritten() throws Exception {
        Instant t0 = Instant.parse("2026-11-22T20:00:00Z");
        SessionRecord r;
        try (SessionWriter writer = new SessionWriter(dir)) {
            r = writer.open("2000", t0);
            for (int i = 0; i < 3000; i++) {
                r.joined("L" + i, "sip:" + i + "@example.com", "Caller " + i, "participant", "PCMU", "udp", false, t0.plusMillis(i));
                writer.save(r);
            }
        }
        JsonNode json = new ObjectMapper().readTree(r.dir().resolve("session.json").toFile());
        assertEquals(3000, json.get("participants").size());
        assertEquals("L2999", json.get("participants").get(2999).get("leg").asText());
        assertEquals(3000, json.get("events").size());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
