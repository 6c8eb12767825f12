package org.confbridge.media.audio;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;

/**
 * One recording in progress: the room's loop hands it a frame per tick ({@link #offer}); the
 * {@link RecordingWriter} thread writes the frames to disk. Between them is a bounded pool of
 * preallocated frame buffers, so the loop never blocks and never allocates: when the writer falls
 * behind and the pool is empty, the frame is dropped and counted.
 */
public final class MixRecorder {
    /** What a finished recording amounts to. */
    public record Result(Path file, double seconds, long droppedFrames, String sha256) {
    }

    private final Path file;
    private final int sampleRate;
    private final int frameSamples;
    private final ArrayBlockingQueue<short[]> free;
    private final ArrayBlockingQueue<short[]> filled;
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private volatile boolean stopping;
    private volatile long dropped;
    WavWriter writer;
    long lastPatchNanos;

    /**
     * @param bufferedFrames frames that may wait for the disk; 100 = 2 s at 20 ms
     */
    public MixRecorder(Path file, int sampleRate, int frameSamples, int bufferedFrames) {
        this.file = file;
        this.sampleRate = sampleRate;
        this.frameSamples = frameSamples;
        this.free = new ArrayBlockingQueue<>(bufferedFrames);
        this.filled = new ArrayBlockingQueue<>(bufferedFrames);
        for (int i = 0; i < bufferedFrames; i++) {
            free.add(new short[frameSamples]);
        }
    }

    public Path file() {
        return file;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Called on the room's loop once per tick; never blocks. Returns false if the frame was dropped. */
    public boolean offer(short[] frame) {
        if (stopping) {
            return false;
        }
        short[] buf = free.poll();
        if (buf == null) {
            dropped++;
            return false;
        }
        System.arraycopy(frame, 0, buf, 0, frameSamples);
        filled.offer(buf);
        return true;
    }

    public long droppedFrames() {
        return dropped;
    }

    /** Completes when the file is closed with its final header. */
    public CompletableFuture<Result> result() {
        return result;
    }

    /** No more frames are taken; the writer finishes the file and completes {@link #result()}. */
    public void stop() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    /** Writer thread: next frame to write, or null. */
    short[] poll() {
        return filled.poll();
    }

    /** Writer thread: a written frame goes back to the pool. */
    void recycle(short[] buf) {
        free.offer(buf);
    }

    int frameSamples() {
        return frameSamples;
    }

    void complete(Result r) {
        result.complete(r);
    }

    void fail(Throwable t) {
        result.completeExceptionally(t);
    }
}
