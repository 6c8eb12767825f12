package org.confbridge.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what a consultation left behind once it may no longer be kept: every session directory
 * (recordings, session record, report) whose session ended more than {@code recordings.retentionDays}
 * ago; {@code 0} keeps everything. A session without an end (running, or left open by a crash) is
 * never touched. Read per run, so a changed setting applies at the next run.
 */
public final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final Path recordingsDir;
    private final IntSupplier retentionDays;
    private final Clock clock;
    private final Runnable deleted;
    private final ObjectMapper json = new ObjectMapper();

    /** @param deleted told of each session deleted (a counter) */
    public Retention(Path recordingsDir, IntSupplier retentionDays, Clock clock, Runnable deleted) {
        this.recordingsDir = recordingsDir;
        this.retentionDays = retentionDays;
        this.clock = clock;
        this.deleted = deleted;
    }

    /** One pass over all rooms' sessions; returns how many were deleted. */
    public int run() {
        int days = retentionDays.getAsInt();
        if (days <= 0 || !Files.isDirectory(recordingsDir)) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(Duration.ofDays(days));
        int count = 0;
        for (Path room : list(recordingsDir)) {
            for (Path session : list(room)) {
                Instant end = end(session.resolve("session.json"));
                if (end != null && end.isBefore(cutoff) && delete(session)) {
                    log.info("retention: deleted session {} of room {} (ended {}, kept {} days)",
                            session.getFileName(), room.getFileName(), end, days);
                    deleted.run();
                    count++;
                }
            }
        }
        return count;
    }

    /** The session's end, or null while it has none (or its record cannot be read). */
    private Instant end(Path record) {
        if (!Files.isRegularFile(record)) {
            return null;
        }
        try {
            JsonNode end = json.readTree(record.toFile()).get("end");
            return end == null || end.isNull() ? null : Instant.parse(end.asText());
        } catch (IOException | DateTimeParseException e) {
            log.warn("retention: {} cannot be read ({}); kept", record, e.getMessage());
            return null;
        }
    }

    private static boolean delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
            return true;
        } catch (IOException e) {
            log.warn("retention: cannot delete {}: {}", dir, e.getMessage());
            return false;
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
