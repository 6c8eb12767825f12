package org.confbridge.media.room;

import org.confbridge.media.MediaEngine;
import org.confbridge.media.MediaSettings;

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
import org.confbridge.media.codec.G711;
import org.confbridge.media.codec.OpusLibrary;
import org.confbridge.media.net.MemorySocket;
import org.confbridge.media.rtp.RtpHeader;
import org.confbridge.media.rtp.TelephoneEvent;
import org.confbridge.media.srtp.SrtpKeying;
import org.confbridge.media.srtp.SrtpProtection;
import org.confbridge.media.srtp.SrtpSuite;
import org.confbridge.media.testing.Tone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The room's tick on in-memory sockets: each test steps the clock 20 ms per tick and calls the
 * tick itself, so what a caller hears is checked packet by packet, without sockets or sleeping.
 */
class MixGroupTickTest {
    private long now;
    private MediaEngine engine;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private MixGroup group;
    private final List<Caller> callers = new ArrayList<>();
    private final List<Character> digits = new ArrayList<>();

    /** One caller: its socket, its leg, and the stream it sends. */
    private final class Caller {
        final MemorySocket socket;
        final MediaLeg leg;
        final InetSocketAddress address;
        final short[] heard = new short[160 * 500];
        int heardSamples;
        int seq;
        long sentBefore;

        Caller(int n) {
            address = new InetSocketAddress("192.0.2." + (10 + n), 40000);
            socket = new MemorySocket(20000 + 2 * n);
            CompletableFuture<MediaLeg> made = new CompletableFuture<>();
            group.execute(() -> group.add("L" + n, new LegSpec("PCMU", 0, 101, 20, address, "caller " + n),
                    (leg, digit) -> digits.add(digit), socket, null, made));
            leg = made.join();
            leg.setMixed(true);
        }

        /** Sends 20 ms of a tone ({@code hz} 0: silence) from {@code from}. */
        void send(double hz, InetSocketAddress from) {
            byte[] p = new byte[12 + 160];
            RtpHeader.write(p, 0, false, 0, seq & 0xFFFF, seq * 160L, 1000 + address.hashCode());
            for (int i = 0; i < 160; i++) {
                p[12 + i] = G711.encodeUlaw((short) (hz == 0 ? 0 : 8000 * Math.sin(2 * Math.PI * hz * (seq * 160 + i) / 8000)));
            }
            seq++;
            socket.deliver(p, 0, p.length, from);
        }

        /** Keeps what the tick just sent to this caller (decoded), when it sent something. */
        void listen() {
            if (socket.sent() == sentBefore) {
                return;
            }
            sentBefore = socket.sent();
            byte[] p = socket.lastSent();
            int off = RtpHeader.payloadOffset(p, 0, p.length);
            for (int i = off; i < p.length && heardSamples < heard.length; i++) {
                heard[heardSamples++] = G711.decodeUlaw(p[i]);
            }
        }

        /** The level of {@code hz} in the last second this caller heard. */
        double level(double hz) {
            return Tone.goertzel(heard, heardSamples - 8000, 8000, hz, 8000);
        }
    }

    @BeforeEach
    void start() throws Exception {
        engine = new MediaEngine(new MediaSettings("127.0.0.1", 30000, 30100, 16000, 0, 20, 200, 1, 60, false, 0,
                OpusLibrary.CONCENTUS, false), registry, () -> now, TickTimer.CALLER);
        group = engine.createGroup("tick-test");
        for (int n = 0; n < 3; n++) {
            callers.add(new Caller(n));
        }
        settle();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    /** Lets the room's loop apply what was handed to it (setMixed and the like). */
    private void settle() throws Exception {
        group.loop().submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    /** One tick: every caller sends its 20 ms (the first a tone of {@code hz}), the room mixes, each listens. */
    private void ticks(int count, double hz) {
        for (int t = 0; t < count; t++) {
            for (int i = 0; i < callers.size(); i++) {
                Caller c = callers.get(i);
                c.send(i == 0 ? hz : 0, c.address);
            }
            now += 20_000_000L;
            group.mixOnce();
            callers.forEach(Caller::listen);
        }
    }

    @Test
    void othersHearTheTalkerAndTheTalkerHearsNoEcho() {
        ticks(100, 1000);
        Caller talker = callers.get(0);
        for (int i = 1; i < 3; i++) {
            assertTrue(callers.get(i).level(1000) > 1000, "caller " + i + " hears the talker: " + callers.get(i).level(1000));
        }
        assertTrue(talker.level(1000) < 50, "no echo: " + talker.level(1000));
        assertEquals(talker.address, talker.socket.connectedTo(), "the SDP source latched and the socket connected");
    }

    @Test
    void aStrangersToneReachesNobody() {
        Caller victim = callers.get(1);
        InetSocketAddress sprayer = new InetSocketAddress("203.0.113.66", 5004);
        for (int t = 0; t < 100; t++) {
            for (Caller c : callers) {
                c.send(0, c.address);
            }
            victim.send(2000, sprayer);
            now += 20_000_000L;
            group.mixOnce();
            callers.forEach(Caller::listen);
        }
        for (Caller c : callers) {
            assertTrue(c.level(2000) < 50, "the sprayer's tone is not heard: " + c.level(2000));
        }
        assertEquals(victim.address, victim.socket.lastDestination(), "media still goes to the caller");
    }

    @Test
    void onHoldTheCallerIsNotHeardAndSentNothing() throws Exception {
        ticks(50, 1000);
        Caller held = callers.get(0);
        held.leg.setDirection(false, false, true, null);
        settle();
        long sentBefore = held.socket.sent();
        ticks(100, 1000);
        assertEquals(sentBefore, held.socket.sent(), "nothing is sent to a caller on hold");
        assertTrue(callers.get(1).level(1000) < 50, "its music on hold reaches nobody: " + callers.get(1).level(1000));
        held.leg.setDirection(true, true, false, null);
        settle();
        ticks(100, 1000);
        assertTrue(held.socket.sent() > sentBefore);
        assertTrue(callers.get(1).level(1000) > 1000, "heard again after resuming");
    }

    @Test
    void aCodecChangeKeepsTheStreamAndTheCallerHearsInTheNewCodec() throws Exception {
        ticks(50, 1000);
        Caller changer = callers.get(1);
        byte[] before = changer.socket.lastSent();
        changer.leg.changeCodec(changer.leg.spec().withCodec("PCMA", 8, 101, 20));
        settle();
        ticks(50, 1000);
        byte[] after = changer.socket.lastSent();
        assertEquals(8, RtpHeader.payloadType(after, 0), "PCMA is sent");
        assertEquals(RtpHeader.ssrc(before, 0), RtpHeader.ssrc(after, 0), "the same stream");
        assertEquals((RtpHeader.sequence(before, 0) + 50) & 0xFFFF, RtpHeader.sequence(after, 0), "numbered on");
        short[] decoded = new short[160];
        for (int i = 0; i < 160; i++) {
            decoded[i] = G711.decodeAlaw(after[12 + i]);
        }
        assertTrue(Tone.goertzel(decoded, 0, 160, 1000, 8000) > 1000, "the talker, in A-law");
        assertEquals("PCMA", changer.leg.spec().codec());
    }

    @Test
    void srtpCallersAreHeardAndTamperedPacketsAreDroppedAndCounted() throws Exception {
        SrtpSuite suite = SrtpSuite.AES_CM_128_HMAC_SHA1_80;
        byte[] phoneKey = new byte[suite.keySaltLength()];
        byte[] bridgeKey = new byte[suite.keySaltLength()];
        new java.security.SecureRandom().nextBytes(phoneKey);
        new java.security.SecureRandom().nextBytes(bridgeKey);
        SrtpProtection phone = new SrtpProtection(suite, bridgeKey, phoneKey);
        InetSocketAddress address = new InetSocketAddress("192.0.2.50", 40000);
        MemorySocket socket = new MemorySocket(20100);
        CompletableFuture<MediaLeg> made = new CompletableFuture<>();
        group.execute(() -> group.add("S", new LegSpec("PCMU", 0, 101, 20, address, "srtp caller", address.getAddress(),
                true, new SrtpKeying(suite, phoneKey, bridgeKey)), (leg, digit) -> { }, socket, null, made));
        made.join().setMixed(true);
        settle();
        Caller listener = callers.get(1);
        byte[] buf = new byte[2048];
        for (int t = 0; t < 150; t++) {
            // The SRTP caller talks (1000 Hz); from tick 100 on every packet is tampered with.
            RtpHeader.write(buf, 0, false, 0, t, t * 160L, 0xABCDEFL);
            for (int i = 0; i < 160; i++) {
                buf[12 + i] = G711.encodeUlaw((short) (8000 * Math.sin(2 * Math.PI * 1000 * (t * 160 + i) / 8000)));
            }
            int n = phone.protectRtp(buf, 0, 12 + 160);
            if (t >= 100) {
                buf[40] ^= 0x5A;
            }
            socket.deliver(buf, 0, n, address);
            for (Caller c : callers) {
                c.send(0, c.address);
            }
            now += 20_000_000L;
            group.mixOnce();
            callers.forEach(Caller::listen);
            if (t == 99) {
                assertTrue(listener.level(1000) > 1000, "the SRTP caller is heard: " + listener.level(1000));
            }
        }
        assertTrue(listener.level(1000) < 50, "tampered packets are never decoded: " + listener.level(1000));
        assertEquals(50, registry.get(MediaMetrics.PACKETS_DROPPED).tag("reason", "srtp-auth").functionCounter().count());
        byte[] sent = socket.lastSent();
        assertEquals(12 + 160 + 10, sent.length, "what the bridge sends it is SRTP (an 80-bit tag)");
        assertEquals(12 + 160, phone.unprotectRtp(sent, 0, sent.length), "and the caller can decrypt it");
    }

    @Test
    void keyPressesReachTheListener() {
        Caller c = callers.get(2);
        int event = TelephoneEvent.eventOf('7');
        for (int d = 160; d <= 800; d += 160) {
            byte[] p = new byte[16];
            RtpHeader.write(p, 0, d == 160, 101, 500 + d / 160, 8000, 77);
            TelephoneEvent.write(p, 12, event, d == 800, 10, d);
            c.socket.deliver(p, 0, p.length, c.address);
            now += 20_000_000L;
            group.mixOnce();
        }
        assertEquals(List.of('7'), digits);
    }
}
