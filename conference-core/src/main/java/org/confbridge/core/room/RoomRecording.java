package org.confbridge.core.room;

import java.nio.file.Path;
import java.util.Map;
import org.confbridge.core.session.SessionRecord;
import org.confbridge.core.session.SessionWriter;
import org.confbridge.media.audio.MixRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room's recording of its mix: started and stopped within a session (each start a file of its
 * own), finished when the room closes; every file ends up in the session record with its length
 * and checksum. Runs on the room's loop.
 */
final class RoomRecording {
    private static final Logger log = LoggerFactory.getLogger(RoomRecording.class);

    private final Room room;
    private final RoomServices services;
    private volatile MixRecorder recorder;
    /** Recordings started in this session, for file names. */
    private int started;
    /** The participants' tracks of the running recording (recordTracks), by leg. Room's loop. */
    private final Map<String, MixRecorder> tracks = new java.util.LinkedHashMap<>();
    /** Every track's outcome, listed in the session record before it ends. */
    private final java.util.List<java.util.concurrent.CompletableFuture<?>> listed = new java.util.ArrayList<>();

    RoomRecording(Room room, RoomServices services) {
        this.room = room;
        this.services = services;
    }

    boolean active() {
        return recorder != null;
    }

    /** Starts recording to the session's next file; nothing if one is running. */
    void begin(String by) {
        if (recorder != null) {
            return;
        }
        // A second recording in one session (stop, then start again) gets its own file.
        String name = started == 0 ? "mix.wav" : "mix-" + (started + 1) + ".wav";
        started++;
        Path file = room.session().dir().resolve(name);
        recorder = services.media().record(room.group(), file);
        room.session().event(services.clock().instant(), "recording-start", null, Map.of("file", name, "by", by));
        for (Participant p : room.participants()) {
            startTrack(p.caller(), 0);
        }
        log.info("room {} recording to {}", room.number(), file);
    }

    /** A participant joined: with recordTracks, its track starts where the room's recording is now. */
    void joined(Caller caller) {
        if (recorder != null) {
            startTrack(caller, room.group().recordedFrames());
        }
    }

    private void startTrack(Caller caller, long leadingSilenceFrames) {
        if (!room.settings().recordTracks() || caller.leg() == null || tracks.containsKey(caller.legId())) {
            return;
        }
        String name = "legs/" + caller.legId() + (started == 1 ? "" : "-" + started) + ".wav";
        MixRecorder track = services.media().recordTrack(caller.leg(), room.session().dir().resolve(name),
                leadingSilenceFrames);
        tracks.put(caller.legId(), track);
        SessionRecord session = room.session();
        listed.add(track.result().whenComplete((result, error) -> {
            if (result != null) {
                session.recording(name, result.seconds(), result.sha256(), result.droppedFrames());
                services.sessions().save(session);
            } else {
                log.error("room {}: track {} failed: {}", room.number(), name, error.getMessage());
            }
        }));
    }

    /** The running recording's tracks end with it. */
    private void stopTracks() {
        tracks.values().forEach(MixRecorder::stop);
        tracks.clear();
    }

    /** Stops the running recording; the file is finalised and listed in the session record. */
    void stop(String by) {
        MixRecorder r = recorder;
        if (r == null) {
            return;
        }
        recorder = null;
        room.group().stopRecording();
        stopTracks();
        finish(r, Map.of("by", by), false);
        log.info("room {}: recording stopped by {}", room.number(), by);
    }

    /** The room closes (its group's close stops the recorder): lists the file, then ends the session. */
    void closeWithSession() {
        MixRecorder r = recorder;
        recorder = null;
        stopTracks();
        if (r == null) {
            room.session().end(services.clock().instant());
            services.sessions().save(room.session());
            return;
        }
        finish(r, Map.of(), true);
    }

    private void finish(MixRecorder r, Map<String, Object> details, boolean endSession) {
        SessionRecord session = room.session();
        SessionWriter sessions = services.sessions();
        String file = r.file().getFileName().toString();
        // The session ends once the tracks are listed too (they finish with their legs or with this).
        java.util.concurrent.CompletableFuture<?> tracksDone = java.util.concurrent.CompletableFuture.allOf(
                listed.toArray(new java.util.concurrent.CompletableFuture<?>[0])).exceptionally(e -> null);
        r.result().thenCombine(tracksDone, (result, ignored) -> result).whenComplete((result, error) -> {
            java.time.Instant at = services.clock().instant();
            Map<String, Object> event = new java.util.HashMap<>(details);
            event.put("file", file);
            session.event(at, "recording-stop", null, event);
            if (result != null) {
                session.recording(file, result.seconds(), result.sha256(), result.droppedFrames());
            } else {
                log.error("room {}: recording failed: {}", room.number(), error.getMessage());
            }
            if (endSession) {
                session.end(at);
            }
            sessions.save(session);
        });
    }
}
