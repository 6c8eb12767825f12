package org.confbridge.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, closes the session records a crash left open ({@code "end": null}): the session
 * ends when its record was last written, participants still present leave then, a
 * {@code crash-recovered} event says so, and a {@code mix.wav} the record does not list yet is
 * listed with its length and SHA-256. Runs after {@link CrashRepair} has fixed the WAV headers.
 */
public final class CrashClosedSessions {
    private static final Logger log = LoggerFactory.getLogger(CrashClosedSessions.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CrashClosedSessions() {
    }

    /** How a room is described in its report: its name and language, by room number. */
    public interface RoomDescription {
        /** {@code [name, language]} of the room, or null when it is no longer configured. */
        String[] of(String room);
    }

    /** Returns the number of records closed; each gets its {@code report.html} too. */
    public static int close(Path recordingsDir, RoomDescription rooms) {
        if (!Files.isDirectory(recordingsDir)) {
            return 0;
        }
        int closed = 0;
        try (Stream<Path> files = Files.walk(recordingsDir, 3)) {
            for (Path record : (Iterable<Path>) files.filter(p -> p.getFileName().toString().equals("session.json"))
                    ::iterator) {
                try {
                    if (closeOne(record, rooms)) {
                        closed++;
                    }
                } catch (IOException | RuntimeException e) {
                    log.warn("cannot check {}: {}", record, e.getMessage());
                }
            }
        } catch (IOException e) {
            log.warn("cannot scan {} for open session records: {}", recordingsDir, e.getMessage());
        }
        return closed;
    }

    @SuppressWarnings("unchecked")
    static boolean closeOne(Path record, RoomDescription rooms) throws IOException {
        JsonNode root = JSON.readTree(record.toFile());
        if (!(root instanceof ObjectNode session) || !session.path("end").isNull()) {
            return false;
        }
        String end = Files.getLastModifiedTime(record).toInstant().toString();
        Path mix = record.resolveSibling("mix.wav");
        if (Files.exists(mix)) {
            end = latest(end, Files.getLastModifiedTime(mix).toInstant());
        }
        session.put("end", end);
        for (JsonNode p : session.withArray("participants")) {
            if (p instanceof ObjectNode participant && participant.path("left").isNull()) {
                participant.put("left", end);
            }
        }
        ObjectNode event = session.withArray("events").addObject();
        event.put("at", end);
        event.put("type", "crash-recovered");
        event.put("reason", "the bridge stopped without closing the session");
        ArrayNode recordings = session.withArray("recordings");
        boolean listed = false;
        for (JsonNode r : recordings) {
            listed |= r.path("file").asText().equals("mix.wav");
        }
        if (Files.exists(mix) && !listed) {
            ObjectNode r = recordings.addObject();
            r.put("file", "mix.wav");
            r.put("seconds", Math.round(seconds(mix) * 100) / 100.0);
            r.put("sha256", sha256(mix));
            r.putNull("droppedFrames"); // unknown: the count died with the process
        }
        Path tmp = record.resolveSibling("session.json.tmp");
        JSON.writeValue(tmp.toFile(), session);
        Files.move(tmp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        String room = session.path("room").asText();
        String[] described = rooms.of(room);
        Files.writeString(record.resolveSibling("report.html"), SessionReport.html(JSON.convertValue(session, java.util.Map.class),
                described == null ? room : described[0], described == null ? "en" : described[1]));
        log.warn("session record {} was left open by an unclean stop: closed at {}", record, end);
        return true;
    }

    private static String latest(String a, Instant b) {
        return Instant.parse(a).isAfter(b) ? a : b.toString();
    }

    /** The length of a 16-bit PCM WAV from its header (the header a crash left is repaired first). */
    private static double seconds(Path wav) throws IOException {
        try (FileChannel ch = FileChannel.open(wav)) {
            ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(h, 0);
            int rate = h.getInt(24);
            int blockAlign = h.getShort(32);
            int dataBytes = h.getInt(40);
            return rate <= 0 || blockAlign <= 0 ? 0 : (double) dataBytes / blockAlign / rate;
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
