package org.confbridge.media.loop;

import org.confbridge.media.metrics.MediaMetrics;

import java.util.Arrays;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import io.netty.channel.EventLoop;
import org.confbridge.media.net.LoopRing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 20 ms clock of one event loop. Every room living on the loop ticks in the same wake-up of
 * one timer, on one grid of deadlines: a hundred small rooms cost one timer, one wake-up and (with
 * io_uring) one system call for their reads and one for their sends per period instead of a hundred
 * each, and a new room joins the grid at its next deadline. The rooms tick one after another in
 * the order they started, each at a steady offset from the deadline; the lateness recorded is the
 * loop's, how late the wake-up came, once per wake-up, and beside it the wake-up's delay: how long
 * after it could run it ran (a catch-up tick inherits the lateness of the wake-up before it, not
 * its delay). Lives on its loop: no locks.
 */
public final class LoopTicker {
    private static final Logger log = LoggerFactory.getLogger(LoopTicker.class);
    public static final long PERIOD_NANOS = 20_000_000L;
    /** Further behind than this, the loop stops catching up and skips ticks. */
    private static final int MAX_CATCH_UP_TICKS = 5;
    private static final Consumer<Room> QUEUE_READS = Room::queueReads;
    private static final Consumer<Room> TICK = Room::tick;

    /** What the loop's clock ticks: a room's mix. Called on the loop only. */
    public interface Room {
        /** The room's name, for the log. */
        String name();

        /** The wake-up begins: the room queues its legs' first reads in the loop's ring (where there is one). */
        void queueReads();

        /** The room's 20 ms: one mix. */
        void tick();
    }

    private final EventLoop loop;
    private final TickTimer timer;
    private final LongSupplier clock;
    private final MediaMetrics metrics;
    /** The loop's io_uring: every room's first reads submitted before the rooms tick, their sends flushed after; null where each packet is its own system call. */
    private final LoopRing ring;
    private final Runnable wake = this::wake;
    /** The rooms that tick, in order; a stopped one is nulled during a wake-up and compacted after. */
    private Room[] groups = new Room[8];
    private int count;
    private boolean waking;
    private boolean stoppedWhileWaking;
    private long deadline;
    /** When the pending wake-up was asked for: one asked for after its deadline could not run before. */
    private long requestedAt;
    private long wakeUps;
    /** What a wake-up takes, smoothed over about a second; read by the engine when it places a room. */
    private volatile long busyNanos;
    private Future<?> scheduled;

    LoopTicker(EventLoop loop, TickTimer timer, LongSupplier clock, MediaMetrics metrics, LoopRing ring) {
        this.loop = loop;
        this.ring = ring;
        this.timer = timer;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** {@code group} ticks from the loop's next deadline on; nothing changes if it ticks already. The loop. */
    public void start(Room group) {
        assert loop.inEventLoop();
        for (int i = 0; i < count; i++) {
            if (groups[i] == group) {
                return;
            }
        }
        if (count == groups.length) {
            groups = Arrays.copyOf(groups, count * 2);
        }
        groups[count++] = group;
        if (scheduled == null && !waking) {
            deadline = clock.getAsLong() + PERIOD_NANOS;
            schedule();
        }
    }

    /** {@code group} ticks no more; with no room left, neither does the timer. The loop. */
    public void stop(Room group) {
        assert loop.inEventLoop();
        for (int i = 0; i < count; i++) {
            if (groups[i] == group) {
                groups[i] = null;
                if (waking) {
                    stoppedWhileWaking = true;
                } else {
                    compact();
                }
                break;
            }
        }
        if (count == 0) {
            busyNanos = 0;
            if (scheduled != null) {
                scheduled.cancel(false);
                scheduled = null;
            }
        }
    }

    /** Rooms ticking on this loop. */
    int rooms() {
        return count;
    }

    /** The share of the 20 ms period the loop's wake-ups take, smoothed. Any thread. */
    public double busyShare() {
        return (double) busyNanos / PERIOD_NANOS;
    }

    /** Wake-ups so far (for tests). */
    public long wakeUps() {
        return wakeUps;
    }

    private void wake() {
        wakeUps++;
        scheduled = null;
        waking = true;
        // The loop's lateness, not each room's: rooms later in the wake-up follow the earlier
        // ones at a steady offset, which moves no packet from its 20 ms rhythm.
        long wokeAt = clock.getAsLong();
        long lateness = Math.max(0, wokeAt - deadline);
        // A catch-up tick after a late wake-up is late from the start; what the platform added to
        // it is only the time since it could run (cyclictest's measure, to compare with it).
        long delay = Math.max(0, wokeAt - Math.max(deadline, requestedAt));
        try {
            metrics.wokeLate(lateness, delay);
            if (ring != null) {
                ring.beginWakeUp();
                eachRoom(QUEUE_READS, "queueing reads");
                ring.submitReads(); // every room's first reads of this wake-up, in one system call
            }
            eachRoom(TICK, "tick");
        } finally {
            if (ring != null) {
                ring.endWakeUp(); // every room's packets of this wake-up, in one system call
            }
            waking = false;
            if (stoppedWhileWaking) {
                stoppedWhileWaking = false;
                compact();
            }
            // Whatever happened above, the loop keeps its clock: a wake-up not scheduled again
            // would silence every room on it for good.
            long now = clock.getAsLong();
            // An idle loop (its last room gone) is not busy, though nothing wakes it to say so.
            busyNanos = count > 0 ? busyNanos + (now - wokeAt - busyNanos) / 64 : 0;
            if (count > 0) {
                deadline += PERIOD_NANOS;
                long behind = now - deadline;
                if (behind > MAX_CATCH_UP_TICKS * PERIOD_NANOS) {
                    int skipped = (int) (behind / PERIOD_NANOS);
                    deadline += (long) skipped * PERIOD_NANOS;
                    metrics.ticksSkipped(skipped * count);
                }
                schedule();
            }
        }
    }

    /** {@code step} for every room on the loop, in order; one room's failure does not stop the others. */
    private void eachRoom(Consumer<Room> step, String what) {
        for (int i = 0; i < count; i++) {
            Room group = groups[i];
            if (group == null) {
                continue;
            }
            try {
                step.accept(group);
            } catch (RuntimeException | AssertionError e) {
                // A room's own failures are caught in its tick; this one is a bug in the room's part.
                log.error("room {}: {} failed", group.name(), what, e);
            }
        }
    }

    private void schedule() {
        requestedAt = clock.getAsLong();
        scheduled = timer.schedule(loop, wake, Math.max(0, deadline - requestedAt));
    }

    private void compact() {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (groups[i] != null) {
                groups[kept++] = groups[i];
            }
        }
        Arrays.fill(groups, kept, count, null);
        count = kept;
    }
}
