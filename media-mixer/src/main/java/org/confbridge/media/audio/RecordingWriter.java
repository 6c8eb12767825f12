package org.confbridge.media.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes every recording to disk, so disk latency never reaches a room's
 * event loop. Every 100 ms it drains all recorders' queues; every few seconds it patches each
 * WAV header so the files are valid while they grow.
 */
public final class RecordingWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordingWriter.class);
    private static final long PATCH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final List<MixRecorder> active = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "recording-writer");
        t.setDaemon(true);
        return t;
    });
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder droppedInFinished = new LongAdder();

    public RecordingWriter() {
        thread.scheduleWithFixedDelay(this::drainAll, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Opens the file (on the writer thread) and starts taking the recorder's frames. */
    public void start(MixRecorder recorder) {
        thread.execute(() -> {
            try {
                Files.createDirectories(recorder.file().getParent());
                recorder.writer = new WavWriter(recorder.file(), recorder.sampleRate());
                short[] silence = new short[recorder.frameSamples()];
                for (long f = 0; f < recorder.leadingSilenceFrames; f++) {
                    recorder.writer.write(silence, 0, silence.length);
                }
                recorder.lastPatchNanos = System.nanoTime();
                active.add(recorder);
            } catch (IOException e) {
                log.error("recording {} cannot be opened: {}", recorder.file(), e.getMessage());
                recorder.stop();
                recorder.fail(e);
            }
        });
    }

    public long bytesWritten() {
        return bytesWritten.sum();
    }

    /** Frames lost because the disk could not keep up, over all recordings so far. */
    public long droppedFrames() {
        long d = droppedInFinished.sum();
        for (MixRecorder r : active) {
            d += r.droppedFrames();
        }
        return d;
    }

    private void drainAll() {
        long now = System.nanoTime();
        for (MixRecorder r : active) {
            try {
                drain(r);
                if (r.stopping()) {
                    drain(r);
                    finish(r);
                } else if (now - r.lastPatchNanos >= PATCH_INTERVAL_NANOS) {
                    r.writer.patchHeader();
                    r.lastPatchNanos = now;
                }
            } catch (IOException | RuntimeException e) {
                // Never let an exception escape: it would cancel this schedule for every recording.
                log.error("recording {} failed: {}", r.file(), e.toString());
                active.remove(r);
                r.stop();
                closeQuietly(r);
                r.fail(e);
            }
        }
    }

    private void drain(MixRecorder r) throws IOException {
        short[] frame;
        while ((frame = r.poll()) != null) {
            r.writer.write(frame, 0, r.frameSamples());
            bytesWritten.add(2L * r.frameSamples());
            r.recycle(frame);
        }
    }

    private void finish(MixRecorder r) throws IOException {
        active.remove(r);
        droppedInFinished.add(r.droppedFrames());
        r.writer.close();
        r.complete(new MixRecorder.Result(r.file(), r.writer.seconds(), r.droppedFrames(), sha256(r)));
        log.info("recording {} closed: {} s, {} frames dropped", r.file(), String.format("%.1f", r.writer.seconds()),
                r.droppedFrames());
    }

    private static String sha256(MixRecorder r) throws IOException {
        try (InputStream in = Files.newInputStream(r.file())) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(MixRecorder r) {
        try {
            if (r.writer != null) {
                r.writer.close();
            }
        } catch (IOException e) {
            // already failing
        }
    }

    /** Finishes every open recording, then stops the thread. */
    @Override
    public void close() {
        for (MixRecorder r : active) {
            r.stop();
        }
        try {
            thread.submit(this::drainAll).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("recordings not finished cleanly: {}", e.toString());
        }
        thread.shutdown();
    }
}
