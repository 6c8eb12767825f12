package org.confbridge.media.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingWriterTest {
    @TempDir
    Path dir;

    @Test
    void framesOfferedOverTimeEndUpInTheFileInOrder() throws Exception {
        try (RecordingWriter writer = new RecordingWriter()) {
            MixRecorder rec = new MixRecorder(dir.resolve("room/mix.wav"), 16000, 320, 20);
            writer.start(rec);
            short[] frame = new short[320];
            int offered = 0;
            // 300 frames through a pool of 20: only works if the writer keeps draining.
            for (int f = 0; f < 300; f++) {
                java.util.Arrays.fill(frame, (short) f);
                while (!rec.offer(frame)) {
                    Thread.onSpinWait(); // a room would drop here; the test waits for the writer to check ordering
                }
                offered++;
            }
            rec.stop();
            MixRecorder.Result r = rec.result().get(5, TimeUnit.SECONDS);
            assertEquals(offered * 320 / 16000.0, r.seconds(), 1e-9);
            AudioClip back = WavFile.read(r.file());
            assertEquals(300 * 320, back.length());
            for (int f = 0; f < 300; f++) {
                assertEquals(f, back.sample(f * 320 + 7), "frame " + f);
            }
            assertEquals(64, r.sha256().length());
            assertTrue(writer.bytesWritten() >= 300 * 640L);
        }
    }
}
