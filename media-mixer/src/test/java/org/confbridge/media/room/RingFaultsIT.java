package org.confbridge.media.room;

import static org.confbridge.media.room.LoopbackLegs.concatPayloads;
import static org.confbridge.media.room.LoopbackLegs.decode;
import static org.confbridge.media.room.LoopbackLegs.heard;
import static org.confbridge.media.room.LoopbackLegs.engine;
import static org.confbridge.media.room.LoopbackLegs.ioUringAllowed;
import static org.confbridge.media.room.LoopbackLegs.level;
import static org.confbridge.media.room.LoopbackLegs.open;
import static org.confbridge.media.room.LoopbackLegs.rtp;
import static org.confbridge.media.room.LoopbackLegs.socket;
import static org.confbridge.media.room.LoopbackLegs.takeAvailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.epoll.Epoll;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.confbridge.media.MediaEngine;
import org.confbridge.media.metrics.MediaMetrics;
import org.confbridge.media.net.LegSocket;
import org.confbridge.media.net.LoopRing;
import org.confbridge.media.net.TickIo;
import org.confbridge.media.loop.RoomLoops;
import org.confbridge.media.testing.FaultyKernel;
import org.confbridge.media.testing.Tone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * A room on a loop whose io_uring misbehaves as kernels and busy machines can: callers keep hearing
 * each other with no packet lost, and the meters and the log say what happened. And a room whose
 * read queueing throws never touches another room's reads on the same loop.
 */
class RingFaultsIT {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<Logger> watched = List.of((Logger) LoggerFactory.getLogger(LoopRing.class),
            (Logger) LoggerFactory.getLogger(RoomLoops.class));

    @BeforeEach
    void watchLog() {
        assumeTrue(Epoll.isAvailable(), "Linux native transport");
        assumeTrue(ioUringAllowed(), "this kernel refuses io_uring");
        log.start();
        watched.forEach(l -> l.addAppender(log));
    }

    @AfterEach
    void stopWatching() {
        watched.forEach(l -> l.detachAppender(log));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sends refused (-EINVAL)", "short submits", "EBUSY", "fails for good mid-call",
        "refused at set-up"})
    void callersKeepHearingEachOtherWithNothingLost(String fault) throws Exception {
        FaultyKernel kernel = switch (fault) {
            case "sends refused (-EINVAL)" -> new FaultyKernel().sendsRefused(true);
            case "short submits" -> new FaultyKernel().shortSubmits();
            case "EBUSY" -> new FaultyKernel().busyEvery(3);
            case "fails for good mid-call" -> new FaultyKernel().failAfter(60);
            default -> new FaultyKernel().refuseSetup();
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MediaEngine engine = engine("127.0.0.1", 1, 0, false, true, registry, kernel);
             DatagramSocket talker = socket(); DatagramSocket listener = socket()) {
            assertEquals(!fault.equals("refused at set-up"), engine.batchesIo());
            MixGroup group = engine.createGroup("faults");
            MediaLeg talkerLeg = open(group, "t", talker);
            MediaLeg listenerLeg = open(group, "l", listener);
            short[] tone = Tone.sine(440, 8000, 8000 * 3, 12000);
            short[] silence = new short[160];
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", talkerLeg.localPort());
            InetSocketAddress listenerTarget = new InetSocketAddress("127.0.0.1", listenerLeg.localPort());
            List<byte[]> heard = new ArrayList<>();
            List<byte[]> echo = new ArrayList<>();
            long next = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                talker.send(new DatagramPacket(rtp(i, 77, tone, i * 160), 172, target));
                // The listener sends silence: both sockets latch, and both legs' reads and sends use the ring.
                listener.send(new DatagramPacket(rtp(i, 78, silence, 0), 172, listenerTarget));
                next += 20_000_000L;
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                takeAvailable(listener, heard);
                takeAvailable(talker, echo);
            }
            talkerLeg.close();
            listenerLeg.close();
            group.close();
            Thread.sleep(100);
            takeAvailable(listener, heard);
            takeAvailable(talker, echo);

            double level = LoopbackLegs.heardLevel(heard.subList(20, 100), 440);
            assertTrue(level > 3000, "the listener hears the talker: " + level);
            assertEquals(200, count(registry, MediaMetrics.PACKETS_IN), "every packet the callers sent was read");
            assertEquals(count(registry, MediaMetrics.PACKETS_OUT), heard.size() + echo.size(),
                    "every packet the bridge made arrived");
            assertEquals(0, count(registry, MediaMetrics.SOCKET_ERRORS) + count(registry, MediaMetrics.PACKETS_UNSENT));
            String warnings = log.list.stream().map(ILoggingEvent::getFormattedMessage).reduce("", String::concat);
            switch (fault) {
                case "sends refused (-EINVAL)" -> {
                    assertEquals(1, count(registry, MediaMetrics.RING_STOPPED));
                    assertTrue(count(registry, MediaMetrics.RING_HANDED_BACK) > 0, "the refused sends went out another way");
                    assertTrue(warnings.contains("io_uring stopped on this loop (the kernel refused an operation"), warnings);
                }
                case "fails for good mid-call" -> {
                    // Whether that submission held sends (handed back) or reads (left to the sockets)
                    // depends on the timing; LoopRingTest checks each.
                    assertEquals(1, count(registry, MediaMetrics.RING_STOPPED));
                    assertTrue(warnings.contains("io_uring stopped on this loop (io_uring_enter: errno 14)"), warnings);
                }
                case "short submits", "EBUSY" -> {
                    assertTrue(count(registry, MediaMetrics.RING_RETRIES) > 0, "retried");
                    assertEquals(0, count(registry, MediaMetrics.RING_STOPPED));
                }
                default -> assertTrue(warnings.contains("io_uring not available (not permitted"), warnings);
            }
        }
    }

    /**
     * Two rooms on one loop. In the first, one caller's socket throws every other time the loop
     * queues its read; the other room's caller is heard in its own room only, and the first room's
     * caller is still heard in the first room.
     */
    @Test
    void aRoomWhoseReadQueueingThrowsTouchesNoOtherRoomsReads() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MediaEngine engine = engine("127.0.0.1", 1, 0, false, true, registry);
             DatagramSocket xTalker = socket(); DatagramSocket xListener = socket();
             DatagramSocket yTalker = socket(); DatagramSocket yListener = socket()) {
            MixGroup x = engine.createGroup("x");
            MixGroup y = engine.createGroup("y");
            assertTrue(x.loop() == y.loop(), "both rooms on the one loop");
            MediaLeg xTalkerLeg = openFlaky(x, "xt", xTalker);
            MediaLeg xListenerLeg = open(x, "xl", xListener);
            MediaLeg yTalkerLeg = open(y, "yt", yTalker);
            MediaLeg yListenerLeg = open(y, "yl", yListener);
            short[] toneX = Tone.sine(1000, 8000, 8000 * 3, 12000);
            short[] toneY = Tone.sine(500, 8000, 8000 * 3, 12000);
            List<byte[]> heardX = new ArrayList<>();
            List<byte[]> heardY = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                xTalker.send(new DatagramPacket(rtp(i, 1, toneX, i * 160), 172,
                        new InetSocketAddress("127.0.0.1", xTalkerLeg.localPort())));
                yTalker.send(new DatagramPacket(rtp(i, 2, toneY, i * 160), 172,
                        new InetSocketAddress("127.0.0.1", yTalkerLeg.localPort())));
                Thread.sleep(20);
                takeAvailable(xListener, i >= 30 ? heardX : null);
                takeAvailable(yListener, i >= 30 ? heardY : null);
                takeAvailable(xTalker, null);
                takeAvailable(yTalker, null);
            }
            short[] inY = decode(concatPayloads(heardY));
            short[] inX = decode(concatPayloads(heardX));
            assertTrue(heard(inY, 500) > 3000, "room y hears its own caller: " + heard(inY, 500));
            assertTrue(level(inY, 1000) < 150, "room y never hears room x's caller: " + level(inY, 1000));
            assertTrue(heard(inX, 1000) > 3000, "room x's caller is still heard in room x: " + heard(inX, 1000));
            assertTrue(level(inX, 500) < 150, "room x never hears room y's caller: " + level(inX, 500));
            for (MediaLeg leg : List.of(xTalkerLeg, xListenerLeg, yTalkerLeg, yListenerLeg)) {
                leg.close();
            }
            x.close();
            y.close();
        }
    }

    /** A mixed PCMU leg whose socket throws every other time its read is queued. */
    private static MediaLeg openFlaky(MixGroup group, String id, DatagramSocket peer) throws Exception {
        InetSocketAddress caller = new InetSocketAddress(peer.getLocalAddress(), peer.getLocalPort());
        ReservedSockets sockets = group.reserveSockets(caller).get(5, TimeUnit.SECONDS);
        LegSocket flaky = new FlakySocket(sockets.rtp());
        CompletableFuture<MediaLeg> made = new CompletableFuture<>();
        group.execute(() -> group.add(id, new LegSpec("PCMU", 0, 101, 20, caller, id), (l, digit) -> { }, flaky,
                sockets.rtcp(), made));
        MediaLeg leg = made.get(5, TimeUnit.SECONDS);
        leg.setMixed(true);
        return leg;
    }

    private static double count(SimpleMeterRegistry registry, String name) {
        return registry.find(name).functionCounters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** A real socket whose read queueing throws every other time. */
    private static final class FlakySocket implements LegSocket {
        private final LegSocket real;
        private int queued;

        FlakySocket(LegSocket real) {
            this.real = real;
        }

        @Override
        public void queueRead(TickIo io) {
            if (queued++ % 2 == 0) {
                throw new IllegalStateException("injected: queueing this read failed");
            }
            real.queueRead(io);
        }

        @Override
        public int localPort() {
            return real.localPort();
        }

        @Override
        public void read(Receiver receiver, TickIo io) {
            real.read(receiver, io);
        }

        @Override
        public boolean send(byte[] buf, int off, int len, InetSocketAddress to, TickIo io) {
            return real.send(buf, off, len, to, io);
        }

        @Override
        public void flush() {
            real.flush();
        }

        @Override
        public void connect(InetSocketAddress source) {
            real.connect(source);
        }

        @Override
        public void disconnect() {
            real.disconnect();
        }

        @Override
        public void close(TickIo io) {
            real.close(io);
        }
    }
}
