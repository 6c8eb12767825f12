package org.confbridge.media.net;

import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;

/** Running work on an event loop that may have stopped. */
public final class LoopTasks {
    private LoopTasks() {
    }

    /**
     * Runs {@code task} on {@code loop} after what is already queued there (tasks run in order),
     * or here at once when the loop has stopped: then nothing is in flight on it any more.
     */
    public static void runOn(EventLoop loop, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }
}
