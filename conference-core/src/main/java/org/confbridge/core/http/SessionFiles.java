package org.confbridge.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What past sessions left under the recordings directory, for {@code GET /api/sessions}: the list
 * (optionally of one room), and a session's {@code report.html}, {@code mix.wav} and
 * {@code session.json}. Only those three names, and session ids of hex digits, are served: no
 * request can name another path.
 */
public final class SessionFiles {
    /** The files a session directory may serve, and their content types. */
    static final Map<String, String> SERVED = Map.of("report.html", "text/html; charset=utf-8",
            "mix.wav", "audio/wav", "session.json", "application/json");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{1,16}");
    private static final Pattern ROOM = Pattern.compile("[0-9]{1,20}");
    private static final int MAX_LISTED = 500;

    private final Path recordingsDir;
    private final ObjectMapper json = new ObjectMapper();

    public SessionFiles(Path recordingsDir) {
        this.recordingsDir = recordingsDir;
    }

    /** The sessions, newest first; of {@code room} when not null. */
    public List<Map<String, Object>> list(String room) throws IOException {
        if (room != null && !ROOM.matcher(room).matches()) {
            return List.of();
        }
        List<Path> records = new ArrayList<>();
        if (Files.isDirectory(recordingsDir)) {
            try (Stream<Path> s = Files.walk(room == null ? recordingsDir : recordingsDir.resolve(room), room == null ? 3 : 2)) {
                s.filter(p -> p.getFileName().toString().equals("session.json")).forEach(records::add);
            } catch (java.nio.file.NoSuchFileException e) {
                return List.of();
            }
        }
        records.sort(Comparator.comparing((Path p) -> p.getParent().getFileName().toString()).reversed());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Path record : records.subList(0, Math.min(records.size(), MAX_LISTED))) {
            try {
                JsonNode s = json.readTree(record.toFile());
                String id = s.path("sessionId").asText();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", id);
                m.put("room", s.path("room").asText());
                m.put("start", s.path("start").asText(null));
                m.put("end", s.path("end").isNull() ? null : s.path("end").asText());
                m.put("participants", s.path("participants").size());
                List<String> files = new ArrayList<>();
                for (String name : SERVED.keySet()) {
                    if (Files.exists(record.resolveSibling(name))) {
                        files.add("/api/sessions/" + id + "/" + name);
                    }
                }
                files.sort(null);
                m.put("files", files);
                out.add(m);
            } catch (IOException e) {
                // a record being written or broken: left out of the list
            }
        }
        return out;
    }

    /** A session's file by id and name; empty when either is unknown. */
    public Optional<Path> file(String id, String name) throws IOException {
        if (!ID.matcher(id).matches() || !SERVED.containsKey(name) || !Files.isDirectory(recordingsDir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.walk(recordingsDir, 2)) {
            return s.filter(p -> p.getFileName().toString().endsWith("Z-" + id) && Files.isDirectory(p))
                    .map(p -> p.resolve(name)).filter(Files::exists).findFirst();
        }
    }
}
