package org.confbridge.media.loop;


import io.netty.channel.EventLoop;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Schedules a loop's next wake-up, which ticks the rooms on it ({@link LoopTicker}). */
@FunctionalInterface
public interface TickTimer {
    /** The running bridge: the loop's own timer. */
    TickTimer LOOP = (loop, tick, delayNanos) -> loop.schedule(tick, delayNanos, TimeUnit.NANOSECONDS);

    /**
     * Ticks driven by their caller, who calls {@code MixGroup.mixOnce} itself (benchmarks, tests
     * that step the clock): nothing is scheduled.
     */
    TickTimer CALLER = (loop, tick, delayNanos) -> null;

    /** Runs {@code wake} on {@code loop} after {@code delayNanos}; null when nothing was scheduled. */
    Future<?> schedule(EventLoop loop, Runnable wake, long delayNanos);
}
