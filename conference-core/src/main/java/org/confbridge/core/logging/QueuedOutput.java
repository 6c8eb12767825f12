package org.confbridge.core.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The log's way out through a bounded queue and a thread of its own: a thread that logs (a room's
 * loop, at real-time priority, among them) copies its line into the queue and goes on. It never
 * waits for the output to take the line: a pipe to a journal that is behind, a terminal that is
 * not read, a disk that is busy. A line that finds the queue full is dropped and counted, and the
 * output says how many once it takes lines again.
 */
final class QueuedOutput extends OutputStream {
    /** How long {@link #close} waits for the queue to be written out. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final OutputStream sink;
    private final byte[] queue;
    private int head;
    private int size;
    private long dropped;
    private boolean closed;
    /** The writer holds a chunk taken from the queue and not yet written. */
    private boolean writing;

    QueuedOutput(OutputStream sink, int capacity, String threadName) {
        this.sink = sink;
        this.queue = new byte[capacity];
        Thread writer = new Thread(this::writeOut, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (closed) {
            return;
        }
        if (len > queue.length - size) {
            dropped++;
            return;
        }
        int tail = (head + size) % queue.length;
        int first = Math.min(len, queue.length - tail);
        System.arraycopy(b, off, queue, tail, first);
        System.arraycopy(b, off + first, queue, 0, len - first);
        size += len;
        notifyAll();
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** Nothing to wait for: the writer flushes what it writes. */
    @Override
    public void flush() {
    }

    /** Lines dropped so far because the queue was full. */
    synchronized long dropped() {
        return dropped;
    }

    private void writeOut() {
        byte[] chunk = new byte[16 * 1024];
        long reported = 0;
        while (true) {
            int n;
            long lost;
            synchronized (this) {
                while (size == 0 && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (size == 0) {
                    return; // closed and written out
                }
                n = Math.min(chunk.length, size);
                int first = Math.min(n, queue.length - head);
                System.arraycopy(queue, head, chunk, 0, first);
                System.arraycopy(queue, 0, chunk, first, n - first);
                head = (head + n) % queue.length;
                size -= n;
                lost = dropped;
                writing = true;
            }
            try {
                sink.write(chunk, 0, n);
                if (lost > reported) {
                    sink.write((lost - reported + " log line(s) dropped: the output did not take them in time\n")
                            .getBytes(StandardCharsets.UTF_8));
                    reported = lost;
                }
                sink.flush();
            } catch (IOException e) {
                // Nowhere left to say it: the lines are gone, the loggers go on.
            } finally {
                synchronized (this) {
                    writing = false;
                    notifyAll();
                }
            }
        }
    }

    /** Writes out what is queued (waiting at most two seconds); later lines are not taken. */
    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
        long deadline = System.nanoTime() + DRAIN_NANOS;
        while (size > 0 || writing) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
