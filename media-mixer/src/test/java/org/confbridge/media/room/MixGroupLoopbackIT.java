package org.confbridge.media.room;

import org.confbridge.media.MediaEngine;
import org.confbridge.media.MediaSettings;

import org.confbridge.media.loop.LoopTicker;
import org.confbridge.media.metrics.MediaMetrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.confbridge.media.room.LoopbackLegs.*;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.confbridge.media.codec.G711;
import io.netty.channel.EventLoop;
import org.confbridge.media.codec.OpusLibrary;
import org.confbridge.media.net.LoopRing;
import org.confbridge.media.rtp.RtpHeader;
import org.confbridge.media.rtp.TelephoneEvent;
import org.confbridge.media.testing.Tone;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One room on a real event loop with real UDP sockets on loopback: a talker and two listeners.
 * The listeners get the same encoded packets (the full mix is encoded once per codec), the talker
 * gets no echo of itself, and closing the legs returns their ports.
 */
class MixGroupLoopbackIT {
    /**
     * One loop; then three loops with every socket spread from the first, so the legs' packets
     * cross between the socket loops and the room's loop both ways (ring in, batch out).
     */
    @ParameterizedTest(name = "{0} loop(s), sends through io_uring: {1}")
    @CsvSource({"1, true", "3, true", "1, false", "3, false"})
    void listenersShareOneEncodingAndTalkerHearsNoEcho(int loops, boolean ioUring) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MediaEngine engine = engine("127.0.0.1", loops, 0, true, ioUring, registry);
             DatagramSocket talker = socket(); DatagramSocket l1 = socket(); DatagramSocket l2 = socket()) {
            assertEquals(ioUring && ioUringAllowed(), engine.batchesIo());
            MixGroup group = spreadRoom(engine);
            MediaLeg talkerLeg = open(group, "t", talker);
            MediaLeg leg1 = open(group, "l1", l1);
            MediaLeg leg2 = open(group, "l2", l2);
            short[] tone = Tone.sine(440, 8000, 8000 * 3, 12000);
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", talkerLeg.localPort());
            for (int i = 0; i < 100; i++) {
                talker.send(new DatagramPacket(rtp(i, 77, tone, i * 160), 172, target));
                Thread.sleep(20);
            }
            List<byte[]> got1 = drain(l1);
            List<byte[]> got2 = drain(l2);
            List<byte[]> echo = drain(talker);
            assertTrue(got1.size() > 50, "listener 1 got " + got1.size() + " packets");
            // Same payload bytes, packet for packet: the two listeners get one and the same mix. The
            // sockets were drained one after the other, so align the packet streams first.
            byte[] a = concatPayloads(got1.subList(got1.size() - 60, got1.size() - 10));
            byte[] b = null;
            for (int shift = -30; shift <= 30; shift++) {
                int end = Math.min(got2.size(), Math.max(50, got2.size() - 10 + shift));
                byte[] candidate = concatPayloads(got2.subList(end - 50, end));
                if (java.util.Arrays.equals(a, candidate)) {
                    b = candidate;
                }
            }
            assertArrayEquals(a, b, "both listeners receive the identical encoded mix");
            short[] heard = decode(a);
            double level = Tone.goertzel(heard, 0, heard.length, 440, 8000);
            // Part of the window may already be after the talker stopped: require a clear tone, not all of it.
            assertTrue(level > 3000, "listeners hear the talker: 440 Hz at " + level + ", rms " + Tone.rms(heard, 0, heard.length));
            short[] self = decode(concatPayloads(echo.subList(echo.size() - 50, echo.size())));
            assertTrue(Tone.rms(self, 0, self.length) < 50, "the talker hears no echo of itself");
            // The meters count every packet, though they are added up once per tick (and per batch).
            assertEquals(100, registry.find(MediaMetrics.PACKETS_IN).functionCounter().count(), "packets in");
            double out = registry.find(MediaMetrics.PACKETS_OUT).functionCounter().count();
            int received = got1.size() + got2.size() + echo.size();
            assertTrue(out >= received && out <= received + 3 * 40, received + " received, " + out + " counted out");
            if (loops > 1) {
                long away = List.of(talkerLeg, leg1, leg2).stream()
                        .filter(MediaLeg::sentByAnotherLoop).count();
                assertTrue(away >= 2, away + " of 3 sockets live on another loop than the room's");
            }

            closeAndCheckPorts(engine, group, talkerLeg, leg1, leg2);
        }
    }
}
