package org.confbridge.core.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

/**
 * The console appender of the bridge's log: lines are formatted on the thread that logs them, as
 * with logback's own console appender, and handed to standard output through a {@link QueuedOutput},
 * so no thread, a room's loop least of all, waits for the output to take them.
 * {@link #stopLogging} writes out what is queued before the process ends.
 */
public final class QueuedConsoleAppender extends OutputStreamAppender<ILoggingEvent> {
    private int capacity = 1 << 20;

    /** Bytes the queue holds before lines are dropped (default 1 MiB). */
    public void setCapacity(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void start() {
        setOutputStream(new QueuedOutput(System.out, capacity, "log-output"));
        super.start();
    }

    /** Stops the log, writing out what is queued: the last thing before the process exits. */
    public static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
