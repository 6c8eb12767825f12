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
 * Rooms and legs sharing real event loops on loopback: small rooms on one loop hear only their
 * own, a burst from a socket another loop sends on arrives whole, a caller changing its packet
 * length or a leg whose handling throws costs the room nothing, IPv4 and IPv6 callers meet.
 */
class LoopSharingIT {
    /**
     * Bound to every address, a room takes an IPv6 caller and an IPv4 one: the IPv4 caller's leg
     * gets an IPv4 socket (cheaper per packet), the IPv6 caller's a dual-stack one, and each hears
     * the other.
     */
    @ParameterizedTest(name = "{0} loop(s)")
    @ValueSource(ints = {1, 3})
    void ipv4AndIpv6CallersHearEachOther(int loops) throws Exception {
        try (MediaEngine engine = engine("0.0.0.0", loops, new SimpleMeterRegistry());
             DatagramSocket v4 = socket(); DatagramSocket v6 = new DatagramSocket(new InetSocketAddress("::1", 0))) {
            v6.setSoTimeout(100);
            MixGroup group = spreadRoom(engine);
            MediaLeg v4Leg = open(group, "v4", v4);
            MediaLeg v6Leg = open(group, "v6", v6);
            short[] low = Tone.sine(500, 8000, 160 * 60, 12000);
            short[] high = Tone.sine(1500, 8000, 160 * 60, 12000);
            for (int i = 0; i < 60; i++) {
                v4.send(new DatagramPacket(rtp(i, 4, low, i * 160), 172, new InetSocketAddress("127.0.0.1", v4Leg.localPort())));
                v6.send(new DatagramPacket(rtp(i, 6, high, i * 160), 172, new InetSocketAddress("::1", v6Leg.localPort())));
                Thread.sleep(20);
            }
            // Packets 10-40 of each: well inside the 60 the other side talked (the sockets are drained
            // one after the other, so their last packets may already be silence).
            short[] atV4 = packets(drain(v4), 10, 40);
            short[] atV6 = packets(drain(v6), 10, 40);
            assertTrue(Tone.goertzel(atV4, 0, atV4.length, 1500, 8000) > 3000, "the IPv4 caller hears the IPv6 one");
            assertTrue(Tone.goertzel(atV6, 0, atV6.length, 500, 8000) > 3000, "the IPv6 caller hears the IPv4 one");
            closeAndCheckPorts(engine, group, v4Leg, v6Leg);
        }
    }

    /**
     * The consulting workload: small rooms side by side on one loop. Each listener hears its own
     * room's talker and no other room's; and with io_uring the loop's wake-up hands every room's
     * reads to the kernel in one system call and their sends in another, not one of each per room.
     */
    @org.junit.jupiter.api.Test
    void smallRoomsOnOneLoopHearOnlyTheirOwnAndShareEachWakeUpsSystemCalls() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ioUringAllowed(), "this kernel refuses io_uring");
        int rooms = 4;
        int[] hz = {500, 1000, 1500, 2000};
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<DatagramSocket> sockets = new ArrayList<>();
        try (MediaEngine engine = engine("127.0.0.1", 1, 0, true, true, registry)) {
            MixGroup[] groups = new MixGroup[rooms];
            DatagramSocket[] talkers = new DatagramSocket[rooms];
            DatagramSocket[] listeners = new DatagramSocket[rooms];
            InetSocketAddress[] targets = new InetSocketAddress[rooms];
            List<List<MediaLeg>> legs = new ArrayList<>();
            for (int r = 0; r < rooms; r++) {
                groups[r] = engine.createGroup("room" + r);
                talkers[r] = socket();
                listeners[r] = socket();
                sockets.add(talkers[r]);
                sockets.add(listeners[r]);
                MediaLeg talker = open(groups[r], "t" + r, talkers[r]);
                legs.add(List.of(talker, open(groups[r], "l" + r, listeners[r])));
                targets[r] = new InetSocketAddress("127.0.0.1", talker.localPort());
            }
            EventLoop loop = groups[0].loop();
            LoopTicker ticker = engine.loops().ticker(loop);
            LoopRing ring = engine.loops().ring(loop);
            long[] before = null;
            List<List<byte[]>> heard = new ArrayList<>();
            for (int r = 0; r < rooms; r++) {
                heard.add(new ArrayList<>());
            }
            for (int i = 0; i < 80; i++) {
                for (int r = 0; r < rooms; r++) {
                    short[] tone = Tone.sine(hz[r], 8000, 160, 12000);
                    talkers[r].send(new DatagramPacket(rtp(i, 10 + r, tone, 0), 172, targets[r]));
                    // What each listener hears while its talker talks (the first ticks are the jitter buffer's).
                    takeAvailable(listeners[r], i < 20 ? null : heard.get(r));
                }
                if (i == 20) {
                    before = loop.submit(() -> new long[] {ticker.wakeUps(), ring.submissions()}).get();
                }
                Thread.sleep(20);
            }
            long[] after = loop.submit(() -> new long[] {ticker.wakeUps(), ring.submissions()}).get();
            long wakeUps = after[0] - before[0];
            long calls = after[1] - before[1];
            assertTrue(wakeUps > 30, wakeUps + " wake-ups");
            // One call for the reads and one for the sends per wake-up, and a few for the rare
            // packet sent outside a wake-up; one call per room would be 5 per wake-up.
            assertTrue(calls <= 2 * wakeUps + 10, calls + " io_uring calls in " + wakeUps + " wake-ups of " + rooms + " rooms");
            for (int r = 0; r < rooms; r++) {
                List<byte[]> got = heard.get(r);
                short[] pcm = packets(got, 5, got.size());
                for (int other = 0; other < rooms; other++) {
                    double level = Tone.goertzel(pcm, 0, pcm.length, hz[other], 8000);
                    if (other == r) {
                        assertTrue(level > 3000, "room " + r + " hears its talker: " + level);
                    } else {
                        assertTrue(level < 300, "room " + r + " does not hear room " + other + ": " + level);
                    }
                }
            }
            for (int r = 0; r < rooms; r++) {
                closeAndCheckPorts(engine, groups[r], legs.get(r).toArray(new MediaLeg[0]));
            }
        } finally {
            sockets.forEach(DatagramSocket::close);
        }
    }

    /**
     * A caller whose network stalled sends what it held in one burst. A leg of a large room, whose
     * packets another loop sends, takes all of it in (here twelve packets at once); none is cut
     * off on the way.
     */
    @org.junit.jupiter.api.Test
    void aBurstFromAFarSocketReachesTheRoomWhole() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MediaEngine engine = engine(3, registry); DatagramSocket a = socket(); DatagramSocket b = socket()) {
            MixGroup group = spreadRoom(engine);
            MediaLeg legA = open(group, "a", a);
            MediaLeg legB = open(group, "b", b);
            // The caller is a leg whose socket another loop sends on (sockets are spread over the loops).
            boolean aFar = legA.sentByAnotherLoop();
            MediaLeg callerLeg = aFar ? legA : legB;
            MediaLeg listenerLeg = aFar ? legB : legA;
            DatagramSocket caller = aFar ? a : b;
            assertTrue(callerLeg.sentByAnotherLoop(), "the caller's socket is sent on by another loop");
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", callerLeg.localPort());
            short[] silence = new short[160];
            for (int i = 0; i < 12; i++) {
                caller.send(new DatagramPacket(rtp(i, 5, silence, 0), 172, target));
            }
            Thread.sleep(200);
            double overrun = registry.get(MediaMetrics.PACKETS_DROPPED).tag("reason", "overrun").functionCounter().count();
            assertEquals(0, overrun, "packets cut off between the loops");
            assertEquals(12, registry.find(MediaMetrics.PACKETS_IN).functionCounter().count(), "packets the room took in");
            closeAndCheckPorts(engine, group, callerLeg, listenerLeg);
        }
    }

    /**
     * A caller whose phone changes its packet length from packet to packet, 10 to 120 ms, while
     * another talks: the listener hears both. (The jitter buffer's own test drives the bursts that
     * once overran its decoded store.)
     */
    @org.junit.jupiter.api.Test
    void aCallerChangingItsPacketLengthCostsTheRoomNothing() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MediaEngine engine = engine(1, registry);
             DatagramSocket talker = socket(); DatagramSocket odd = socket(); DatagramSocket listener = socket()) {
            MixGroup group = spreadRoom(engine);
            MediaLeg talkerLeg = open(group, "t", talker);
            MediaLeg oddLeg = open(group, "odd", odd);
            MediaLeg listenerLeg = open(group, "l", listener);
            short[] low = Tone.sine(500, 8000, 8000 * 4, 12000);
            short[] high = Tone.sine(1500, 8000, 8000 * 4, 12000);
            int[] lengthsMs = {20, 120, 60, 10, 40, 120, 30, 100, 20};
            InetSocketAddress toTalker = new InetSocketAddress("127.0.0.1", talkerLeg.localPort());
            InetSocketAddress toOdd = new InetSocketAddress("127.0.0.1", oddLeg.localPort());
            int oddSent = 0;
            int oddSeq = 0;
            for (int i = 0; i < 150; i++) {
                talker.send(new DatagramPacket(rtp(i, 1, low, i * 160), 172, toTalker));
                // The odd caller sends each packet when its audio is complete, like a real phone.
                int n = 8 * lengthsMs[oddSeq % lengthsMs.length];
                if (oddSent + n <= (i + 1) * 160) {
                    odd.send(new DatagramPacket(rtp(oddSeq++, oddSent, 2, high, oddSent, n), 12 + n, toOdd));
                    oddSent += n;
                }
                Thread.sleep(20);
            }
            short[] heard = packets(drain(listener), 60, 140);
            assertTrue(Tone.goertzel(heard, 0, heard.length, 500, 8000) > 3000, "the listener hears the talker");
            assertTrue(Tone.goertzel(heard, 0, heard.length, 1500, 8000) > 2000, "and the caller of odd packets");
            closeAndCheckPorts(engine, group, talkerLeg, oddLeg, listenerLeg);
        }
    }

    /**
     * The code that handles a caller's key presses throws at every key (a bug, here on purpose)
     * while another caller talks: only the pressing caller's part of each tick is lost, counted in
     * {@code bridge_mixer_leg_failures}; the listener gets a packet every tick, as before.
     */
    @org.junit.jupiter.api.Test
    void aLegWhoseHandlingThrowsCostsOnlyThatLeg() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MediaEngine engine = engine(1, registry);
             DatagramSocket talker = socket(); DatagramSocket presser = socket(); DatagramSocket listener = socket()) {
            MixGroup group = spreadRoom(engine);
            MediaLeg talkerLeg = open(group, "t", talker);
            MediaLeg presserLeg = open(group, "p", presser, (leg, digit) -> {
                throw new IllegalStateException("a bug in the key handling");
            });
            MediaLeg listenerLeg = open(group, "l", listener);
            short[] tone = Tone.sine(500, 8000, 8000 * 3, 12000);
            InetSocketAddress toTalker = new InetSocketAddress("127.0.0.1", talkerLeg.localPort());
            InetSocketAddress toPresser = new InetSocketAddress("127.0.0.1", presserLeg.localPort());
            List<Long> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread receiver = new Thread(() -> {
                byte[] buf = new byte[2048];
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2600);
                while (System.nanoTime() < end) {
                    try {
                        listener.receive(new DatagramPacket(buf, buf.length));
                        arrivals.add(System.nanoTime());
                    } catch (java.io.IOException e) {
                        // timeout: look at the clock again
                    }
                }
            });
            receiver.start();
            byte[] event = new byte[16];
            long start = System.nanoTime();
            for (int i = 0; i < 120; i++) {
                talker.send(new DatagramPacket(rtp(i, 1, tone, i * 160), 172, toTalker));
                if (i >= 20 && i < 100) {
                    // A new key press every tick: each is a new event (timestamp), reported once.
                    RtpHeader.write(event, 0, true, 101, i, i * 160L, 3);
                    TelephoneEvent.write(event, 12, i % 10, false, 10, 160);
                    presser.send(new DatagramPacket(event, 16, toPresser));
                }
                Thread.sleep(20);
            }
            receiver.join();
            // While the keys were pressed (a second, from 0.5 s to 1.5 s): a packet every tick. When
            // the whole tick failed with the presser, nobody got anything in that second.
            long from = start + TimeUnit.MILLISECONDS.toNanos(500);
            long to = start + TimeUnit.MILLISECONDS.toNanos(1500);
            long during = arrivals.stream().filter(t -> t >= from && t < to).count();
            assertTrue(during >= 45, during + " of 50 packets reached the listener while keys were pressed");
            double failures = registry.find(MediaMetrics.LEG_FAILURES).functionCounter().count();
            assertTrue(failures >= 70, "each key press cost the presser's part of a tick: " + failures);
            closeAndCheckPorts(engine, group, talkerLeg, presserLeg, listenerLeg);
        }
    }
}
