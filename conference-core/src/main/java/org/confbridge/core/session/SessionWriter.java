package org.confbridge.core.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes session.json files on a thread of its own (never on a room's loop), replacing the file
 * atomically each time, so a reader sees either the previous or the new version, never half.
 * Changes coalesce: a record is written at most once a second while its session runs, whatever
 * the churn, and at once when it ends.
 */
public final class SessionWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionWriter.class);
    private static final DateTimeFormatter DIR_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path recordingsDir;
    /** Records with a write queued and not yet started. */
    private final java.util.Set<SessionRecord> queued = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** A record is written at most this often; its last write (the session's end) at once. */
    static final long MIN_INTERVAL_MILLIS = 1000;
    /** When each open record was last written (nanoTime). */
    private final java.util.Map<SessionRecord, Long> lastWrite = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "session-writer");
        t.setDaemon(true);
        return t;
    });

    /** Where each record's events go as they happen (the webhook). */
    private volatile java.util.function.Consumer<Map<String, Object>> published = e -> { };

    public SessionWriter(Path recordingsDir) {
        this.recordingsDir = recordingsDir;
    }

    /** Sends every session's events, as they happen, to {@code sink}. */
    public void publishTo(java.util.function.Consumer<Map<String, Object>> sink) {
        this.published = sink;
    }

    /** A new session of {@code room} starting now, with its own directory name. */
    public SessionRecord open(String room, Instant start) {
        String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFFFL);
        Path dir = recordingsDir.resolve(room).resolve(DIR_TIME.format(start) + "Z-" + id);
        return new SessionRecord(room, id, start, dir, e -> published.accept(e));
    }

    /**
     * Writes the record's current state (asynchronously). Saves coalesce: while a write of the
     * record is still queued, another save adds nothing, and the queued write takes the state as it
     * is when it runs. Copying the whole record on every join was quadratic: 2000 callers joining
     * queued millions of map entries and exhausted the heap.
     */
    public void save(SessionRecord record) {
        if (!queued.add(record)) {
            return;
        }
        Long last = lastWrite.get(record);
        long wait = last == null || record.ended() ? 0
                : Math.max(0, TimeUnit.NANOSECONDS.toMillis(last - System.nanoTime()) + MIN_INTERVAL_MILLIS);
        thread.schedule(() -> {
            queued.remove(record); // before the snapshot: a save from now on queues a newer write
            Map<String, Object> tree = record.snapshot();
            if (tree.get("end") == null) {
                lastWrite.put(record, System.nanoTime());
            } else {
                lastWrite.remove(record);
            }
            try {
                Files.createDirectories(record.dir());
                Path tmp = record.dir().resolve("session.json.tmp");
                json.writeValue(tmp.toFile(), tree);
                Files.move(tmp, record.dir().resolve("session.json"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                if (tree.get("end") != null) {
                    // The session is over: its report for people, beside the record.
                    Path report = record.dir().resolve("report.html.tmp");
                    Files.writeString(report, SessionReport.html(tree, record.roomName(), record.language()));
                    Files.move(report, record.dir().resolve("report.html"), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                log.error("session {}: cannot write session.json in {}: {}", record.sessionId(), record.dir(),
                        e.getMessage());
            }
        }, wait, TimeUnit.MILLISECONDS);
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("session records still being written at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
