package org.confbridge.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The log's queue to standard output: a thread that logs never waits for the output, lines come
 * out whole and in order, a full queue drops lines and says how many, and closing writes out what
 * was queued.
 */
class QueuedOutputTest {
    /** An output that takes nothing until released, as a pipe to a journal that is behind. */
    private static final class StuckOutput extends OutputStream {
        final CountDownLatch released = new CountDownLatch(1);
        final CountDownLatch reached = new CountDownLatch(1);
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            reached.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (taken) {
                taken.write(b, off, len);
            }
        }

        String text() {
            synchronized (taken) {
                return taken.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private static byte[] line(int i) {
        return String.format("%05d a line of the log, as a room's loop writes it%n", i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aThreadThatLogsNeverWaitsForTheOutputAndEveryLineComesOutInOrder() throws Exception {
        StuckOutput out = new StuckOutput();
        QueuedOutput queue = new QueuedOutput(out, 1 << 20, "log-output-test");
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (int i = 0; i < 1000; i++) {
                byte[] l = line(i);
                queue.write(l, 0, l.length);
                queue.flush();
            }
        }, "the output takes nothing, and the logging thread goes on");
        out.released.countDown();
        queue.close();
        List<String> lines = out.text().lines().toList();
        assertEquals(1000, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(new String(line(i), StandardCharsets.UTF_8).strip(), lines.get(i));
        }
        assertEquals(0, queue.dropped());
    }

    @Test
    void aFullQueueDropsWholeLinesAndTheOutputSaysHowMany() throws Exception {
        StuckOutput out = new StuckOutput();
        int lineLength = line(0).length;
        QueuedOutput queue = new QueuedOutput(out, 10 * lineLength, "log-output-test");
        byte[] first = line(0);
        queue.write(first, 0, first.length);
        out.reached.await(); // the writer holds the first line and waits on the output
        List<Integer> written = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            byte[] l = line(i);
            queue.write(l, 0, l.length);
            written.add(i);
        }
        assertEquals(40, queue.dropped(), "ten lines fit the queue, the other forty are dropped");
        out.released.countDown();
        queue.close();
        List<String> lines = out.text().lines().toList();
        assertEquals(12, lines.size(), String.join("\n", lines));
        for (int i = 0; i <= 10; i++) {
            assertEquals(new String(line(i), StandardCharsets.UTF_8).strip(), lines.get(i), "whole and in order");
        }
        assertTrue(lines.get(11).startsWith("40 log line(s) dropped"), lines.get(11));
        assertEquals(50, written.size());
    }

    @Test
    void closingWritesOutWhatIsQueuedAndTakesNoMore() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        QueuedOutput queue = new QueuedOutput(out, 1 << 16, "log-output-test");
        for (int i = 0; i < 100; i++) {
            byte[] l = line(i);
            queue.write(l, 0, l.length);
        }
        queue.close();
        assertEquals(100, out.toString(StandardCharsets.UTF_8).lines().count(), "all of it, before close returns");
        byte[] late = line(100);
        queue.write(late, 0, late.length);
        assertEquals(100, out.toString(StandardCharsets.UTF_8).lines().count());
    }
}
