package org.confbridge.media.room;

import org.confbridge.media.MediaEngine;
import org.confbridge.media.MediaSettings;
import org.confbridge.media.loop.LoopTicker;
import org.confbridge.media.loop.TickTimer;

import org.confbridge.media.metrics.MediaMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.confbridge.media.codec.OpusLibrary;
import org.confbridge.media.net.MemorySocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rooms on one loop tick in one wake-up of one timer: the test's timer only records what the
 * ticker asks for, and the test runs each wake-up itself on the loop with the clock stepped.
 */
class LoopTickerTest {
    private static final long PERIOD = 20_000_000L;

    /** One wake-up the ticker asked for. */
    private record Wake(Runnable task, long delay, CompletableFuture<Void> future) {
    }

    private volatile long now = 1_000_000_000L;
    /** How far the clock moves each time it is read: work that takes time. */
    private volatile long readStep;
    private final List<Wake> asked = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private MediaEngine engine;
    private final List<MixGroup> rooms = new ArrayList<>();
    private final List<MediaLeg> legs = new ArrayList<>();
    private final List<MemorySocket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        TickTimer recording = (loop, task, delay) -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            synchronized (asked) {
                asked.add(new Wake(task, delay, f));
            }
            return f;
        };
        // One loop, so every room lives on it.
        engine = new MediaEngine(new MediaSettings("127.0.0.1", 30000, 30100, 16000, 0, 20, 200, 1, 60, false, 0,
                OpusLibrary.CONCENTUS, true), registry, this::read, recording);
        for (int r = 0; r < 3; r++) {
            MixGroup room = engine.createGroup("room-" + r);
            rooms.add(room);
            MemorySocket socket = new MemorySocket(20000 + 2 * r);
            sockets.add(socket);
            legs.add(join(room, "L" + r, socket, "192.0.2." + (10 + r)));
        }
        settle();
    }

    private long read() {
        long t = now;
        now = t + readStep;
        return t;
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    /** A caller at {@code ip} joins {@code room} on {@code socket} (on the room's loop, as the engine does). */
    private static MediaLeg join(MixGroup room, String id, MemorySocket socket, String ip) {
        CompletableFuture<MediaLeg> made = new CompletableFuture<>();
        room.execute(() -> room.add(id, new LegSpec("PCMU", 0, 101, 20, new InetSocketAddress(ip, 40000), id),
                (leg, digit) -> { }, socket, null, made));
        return made.join();
    }

    private void settle() throws Exception {
        rooms.get(0).loop().submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    /** The wake-ups asked for and not cancelled. */
    private List<Wake> pending() {
        synchronized (asked) {
            return asked.stream().filter(w -> !w.future().isCancelled() && !w.future().isDone()).toList();
        }
    }

    /** Runs the one pending wake-up on the loop at {@code at}. */
    private void wakeAt(long at) throws Exception {
        List<Wake> pending = pending();
        assertEquals(1, pending.size(), "one timer for the loop");
        Wake w = pending.get(0);
        w.future().complete(null);
        now = at;
        rooms.get(0).loop().submit(w.task()).get(5, TimeUnit.SECONDS);
    }

    private double skipped() {
        return registry.counter(MediaMetrics.TICKS_SKIPPED).count();
    }

    @Test
    void threeRoomsTickInOneWakeUpOfOneTimer() throws Exception {
        assertEquals(1, pending().size(), "three rooms started, one wake-up asked for");
        assertTrue(pending().get(0).delay() <= PERIOD);
        long deadline = now + PERIOD;
        for (int t = 1; t <= 5; t++) {
            wakeAt(deadline);
            for (int r = 0; r < 3; r++) {
                assertEquals(t, sockets.get(r).sent(), "room " + r + " sent its caller one packet per tick");
            }
            assertEquals(PERIOD, pending().get(0).delay(), "the next deadline is one period on");
            deadline += PERIOD;
        }
        assertEquals(0, skipped());
    }

    @Test
    void aRoomWhoseLastCallerLeftTicksNoMoreAndTheTimerStopsWithTheLast() throws Exception {
        long deadline = now + PERIOD;
        wakeAt(deadline);
        legs.get(1).close();
        settle();
        deadline += PERIOD;
        wakeAt(deadline);
        assertEquals(2, sockets.get(0).sent());
        assertEquals(1, sockets.get(1).sent(), "the empty room was not ticked");
        assertEquals(2, sockets.get(2).sent());
        legs.get(0).close();
        legs.get(2).close();
        settle();
        assertEquals(0, pending().size(), "no room left: the timer was cancelled");
        // A caller in a room again: the loop's clock starts again.
        MemorySocket socket = new MemorySocket(20010);
        join(rooms.get(1), "again", socket, "192.0.2.30");
        settle();
        wakeAt(now + PERIOD);
        assertEquals(1, socket.sent());
    }

    /** How busy the loop is, which decides whether it takes another room, follows what its wake-ups take. */
    @Test
    void theLoopsBusyShareFollowsItsWakeUpsAndIsNoneWhenItsRoomsHaveGone() throws Exception {
        LoopTicker ticker = engine.loops().ticker(rooms.get(0).loop());
        assertEquals(0, ticker.busyShare());
        readStep = 1_000_000L; // every look at the clock in a wake-up finds a millisecond gone
        long deadline = now + PERIOD;
        for (int t = 0; t < 300; t++) {
            wakeAt(deadline);
            deadline = now + PERIOD;
        }
        double share = ticker.busyShare();
        assertTrue(share > 0.25 && share < 1, "three rooms' ticks at a millisecond per clock read: " + share);
        readStep = 0;
        for (MediaLeg leg : legs) {
            leg.close();
        }
        settle();
        assertEquals(0, ticker.busyShare(), "no room left, nothing to do");
    }

    @Test
    void aLoopFarBehindSkipsTicksForEveryRoomAndKeepsItsGrid() throws Exception {
        long deadline = now + PERIOD;
        wakeAt(deadline + 10 * PERIOD);
        // Each room ticked once; the loop gave up catching up on the ticks it was behind.
        for (MemorySocket socket : sockets) {
            assertEquals(1, socket.sent());
        }
        assertEquals(9 * 3, skipped(), "nine ticks skipped, in each of three rooms");
        var lateness = registry.timer(MediaMetrics.TICK_LATENESS);
        assertEquals(1, lateness.count(), "one lateness for the wake-up that ticked three rooms");
        assertEquals(10 * PERIOD, lateness.max(TimeUnit.NANOSECONDS), 1e3, "the loop's: how late the wake-up came");
        assertEquals(0, pending().get(0).delay(), "the next deadline is due at once, on the grid");
        wakeAt(now);
        assertEquals(PERIOD, pending().get(0).delay());
    }

    /**
     * A wake-up 50 ms late is followed by catch-up ticks, due at once: they are late (30, 10 ms)
     * though the platform delayed only the first. The delay meter, cyclictest's measure, counts it once.
     */
    @Test
    void catchUpTicksInheritLatenessNotDelay() throws Exception {
        long deadline = now + PERIOD;
        wakeAt(deadline + 50_000_000L);
        assertEquals(0, pending().get(0).delay(), "a catch-up tick is due at once");
        wakeAt(now);
        wakeAt(now);
        assertEquals(PERIOD - 10_000_000L, pending().get(0).delay(), "back on the grid");
        var lateness = registry.timer(MediaMetrics.TICK_LATENESS);
        var delay = registry.timer(MediaMetrics.WAKE_UP_DELAY);
        assertEquals(3, lateness.count());
        assertEquals(3, delay.count());
        assertEquals(50e6 + 30e6 + 10e6, lateness.totalTime(TimeUnit.NANOSECONDS), 1e3, "each tick as late as it was");
        assertEquals(50e6, delay.totalTime(TimeUnit.NANOSECONDS), 1e3, "only the first wake-up was held back");
    }
}
