package org.confbridge.media.loop;

import org.confbridge.media.MediaEngine;
import org.confbridge.media.MediaSettings;

import org.confbridge.media.metrics.MediaMetrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.confbridge.media.codec.OpusLibrary;
import org.junit.jupiter.api.Test;

/**
 * {@code mixer.realtimePriority}: what the bridge reports about its room threads is what the
 * kernel says about them. Run as root (as CI does) the threads must really be at SCHED_FIFO;
 * without the right, the bridge must say it is not and leave them at normal priority.
 */
class RealtimePriorityTest {
    private static final int SCHED_OTHER = 0;

    @Test
    void aThreadIsRealtimeExactlyWhenTheKernelAgreed() throws Exception {
        CompletableFuture<int[]> seen = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                boolean applied;
                try {
                    RealtimePriority.applyToCurrentThread(7);
                    applied = true;
                } catch (IOException refused) {
                    applied = false;
                }
                int[] now = schedulingOfThisThread();
                seen.complete(new int[] {applied ? 1 : 0, now[0], now[1]});
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        t.start();
        int[] r = seen.get(5, TimeUnit.SECONDS);
        if (r[0] == 1) {
            assertArrayEquals(new int[] {RealtimePriority.SCHED_FIFO, 7}, new int[] {r[1], r[2]});
        } else {
            assertEquals(SCHED_OTHER, r[1], "refused: the thread stays at normal scheduling");
            assertEquals(false, runsAsRoot(), "root may always set SCHED_FIFO");
        }
        assertEquals(SCHED_OTHER, schedulingOfThisThread()[0], "only the thread that asked changes");
    }

    @Test
    void theEngineReportsWhichLoopsRunRealtime() throws Exception {
        int base = 41000 + (int) (System.nanoTime() % 4000) * 2;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MediaEngine engine = new MediaEngine(
                new MediaSettings("127.0.0.1", base, base + 9, 16000, 0, 20, 200, 2, 0, false, 5, OpusLibrary.CONCENTUS, true), registry)) {
            int realtime = 0;
            for (int i = 0; i < 2; i++) {
                int[] state = engine.loops().loop(i).submit(RealtimePriorityTest::schedulingOfThisThread).get(5, TimeUnit.SECONDS);
                if (state[0] == RealtimePriority.SCHED_FIFO) {
                    assertEquals(5, state[1]);
                    realtime++;
                }
            }
            assertEquals(realtime, engine.realtimeLoops());
            assertEquals(realtime, registry.get(MediaMetrics.LOOPS_REALTIME).gauge().value());
            if (runsAsRoot()) {
                assertEquals(2, realtime, "as root every room loop runs at SCHED_FIFO");
            }
        }
    }

    @Test
    void priorityOutsideOneToNinetyNineIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> RealtimePriority.applyToCurrentThread(100));
        assertThrows(IllegalArgumentException.class,
                () -> new MediaSettings("127.0.0.1", 20000, 20010, 16000, 0, 20, 200, 1, 0, false, -1, OpusLibrary.CONCENTUS, true));
    }

    /**
     * The calling thread's scheduling policy and real-time priority as the kernel reports them
     * ({@code /proc/thread-self/stat}, fields 41 and 40): {@code {policy, priority}}.
     */
    private static int[] schedulingOfThisThread() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"), StandardCharsets.US_ASCII);
        // Fields after the command name, which is in parentheses and may itself contain spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state): field n is f[n - 3].
        return new int[] {Integer.parseInt(f[41 - 3]), Integer.parseInt(f[40 - 3])};
    }

    private static boolean runsAsRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
    }
}
