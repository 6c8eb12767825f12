package org.confbridge.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
                int[] now = RealtimePriority.currentThread();
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
        assertEquals(SCHED_OTHER, RealtimePriority.currentThread()[0], "only the thread that asked changes");
    }

    @Test
    void theEngineReportsWhichLoopsRunRealtime() throws Exception {
        int base = 41000 + (int) (System.nanoTime() % 4000) * 2;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MediaEngine engine = new MediaEngine(
                new MediaSettings("127.0.0.1", base, base + 9, 16000, 20, 200, 2, 0, false, 5), registry)) {
            int realtime = 0;
            for (int i = 0; i < 2; i++) {
                int[] state = engine.loop(i).submit(RealtimePriority::currentThread).get(5, TimeUnit.SECONDS);
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
                () -> new MediaSettings("127.0.0.1", 20000, 20010, 16000, 20, 200, 1, 0, false, -1));
    }

    private static boolean runsAsRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
    }
}
