package org.confbridge.media.audio;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * One recording in progress: the room's loop hands it a frame per tick ({@link #offer}); the
 * {@link RecordingWriter} thread writes the frames to disk. Between them is a single-producer,
 * single-consumer ring of preallocated frames, so the loop never blocks, takes no lock and never
 * allocates: when the writer falls behind and the ring is full, the frame is dropped and counted.
 */
public final class MixRecorder {
    /** What a finished recording amounts to. */
    public record Result(Path file, double seconds, long droppedFrames, String sha256) {
    }

    private final Path file;
    final long leadingSilenceFrames;
    private final int sampleRate;
    private final int frameSamples;
    private final short[][] ring;
    /** Next frame to write to disk; advanced by the writer thread only. */
    private volatile long head;
    /** Next free slot; advanced by the room's loop only. */
    private volatile long tail;
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private volatile boolean stopping;
    private volatile long dropped;
    WavWriter writer;
    long lastPatchNanos;

    /**
     * @param bufferedFrames frames that may wait for the disk; 100 = 2 s at 20 ms
     */
    public MixRecorder(Path file, int sampleRate, int frameSamples, int bufferedFrames) {
        this(file, sampleRate, frameSamples, bufferedFrames, 0);
    }

    /**
     * A recording that starts with {@code leadingSilenceFrames} frames of silence, written by the
     * writer thread: a participant's track begun after the room's recording, aligned with it.
     */
    public MixRecorder(Path file, int sampleRate, int frameSamples, int bufferedFrames, long leadingSilenceFrames) {
        this.leadingSilenceFrames = leadingSilenceFrames;
        this.file = file;
        this.sampleRate = sampleRate;
        this.frameSamples = frameSamples;
        this.ring = new short[bufferedFrames][frameSamples];
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
        long t = tail;
        if (t - head == ring.length) {
            dropped++;
            return false;
        }
        System.arraycopy(frame, 0, ring[(int) (t % ring.length)], 0, frameSamples);
        tail = t + 1; // publishes the copied frame to the writer
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

    /** Writer thread: next frame to write, or null; it stays reserved until {@link #recycle}. */
    short[] poll() {
        long h = head;
        return h == tail ? null : ring[(int) (h % ring.length)];
    }

    /** Writer thread: the frame from {@link #poll} is written; its slot is free again. */
    void recycle(short[] buf) {
        head = head + 1;
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
