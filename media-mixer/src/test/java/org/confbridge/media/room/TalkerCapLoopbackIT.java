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
 * A room that mixes only its loudest talkers, on real sockets: who is heard, who keeps a place,
 * and who is let in when louder.
 */
class TalkerCapLoopbackIT {
    /**
     * Three talk at once in a room that mixes two ({@code mixer.maxTalkers = 2}). The two who
     * started first are heard; a third a little louder joining later is not (a voice heard keeps
     * its place), and hears the two like any listener. Once the third gets much louder (+14 dB over
     * the quietest heard), it takes the quietest one's place, and that one now hears the others.
     * Without in-band key detection a left-out G.711 talker is not decoded until chosen; with it,
     * every leg is.
     */
    @ParameterizedTest(name = "in-band keys detected: {0}")
    @ValueSource(booleans = {false, true})
    void theLoudestTalkersAreMixedAndAVoiceHeardKeepsItsPlace(boolean inbandDtmf) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MediaEngine engine = engine("127.0.0.1", 1, 2, inbandDtmf, true, registry);
             DatagramSocket a = socket(); DatagramSocket b = socket(); DatagramSocket c = socket();
             DatagramSocket listener = socket()) {
            MixGroup group = spreadRoom(engine);
            MediaLeg legA = open(group, "a", a);
            MediaLeg legB = open(group, "b", b);
            MediaLeg legC = open(group, "c", c);
            MediaLeg legL = open(group, "l", listener);
            short[] toneA = Tone.sine(500, 8000, 8000 * 6, 3000);
            short[] toneB = Tone.sine(1000, 8000, 8000 * 6, 5000);
            short[] toneC = Tone.sine(1500, 8000, 8000 * 6, 5000);
            short[] loudC = Tone.sine(1500, 8000, 8000 * 6, 16000);
            List<List<byte[]>> heardL = List.of(new ArrayList<>(), new ArrayList<>());
            List<List<byte[]>> heardA = List.of(new ArrayList<>(), new ArrayList<>());
            List<List<byte[]>> heardC = List.of(new ArrayList<>(), new ArrayList<>());
            boolean cTalkingUnheard = false;
            for (int i = 0; i < 240; i++) {
                int phase = i < 120 ? 0 : 1;
                a.send(new DatagramPacket(rtp(i, 1, toneA, i * 160), 172, new InetSocketAddress("127.0.0.1", legA.localPort())));
                b.send(new DatagramPacket(rtp(i, 2, toneB, i * 160), 172, new InetSocketAddress("127.0.0.1", legB.localPort())));
                if (i >= 20) {
                    c.send(new DatagramPacket(rtp(i, 3, phase == 0 ? toneC : loudC, i * 160), 172,
                            new InetSocketAddress("127.0.0.1", legC.localPort())));
                }
                Thread.sleep(20);
                // Only what arrived well inside a phase counts: the mix changes a few ticks after the talk does.
                boolean settled = i % 120 >= 50 && i % 120 < 110;
                takeAvailable(listener, settled ? heardL.get(phase) : null);
                takeAvailable(a, settled ? heardA.get(phase) : null);
                takeAvailable(c, settled ? heardC.get(phase) : null);
                if (phase == 0 && settled) {
                    cTalkingUnheard |= legC.talking();
                }
            }
            short[] l1 = decode(concatPayloads(heardL.get(0)));
            assertTrue(heard(l1, 500) > 1500 && heard(l1, 1000) > 2500, "the first two are heard: " + levels(l1));
            assertTrue(level(l1, 1500) < 150, "the third, a little louder, is not: " + levels(l1));
            assertTrue(cTalkingUnheard, "the third counts as talking all the same (the dashboard shows it)");
            short[] c1 = decode(concatPayloads(heardC.get(0)));
            assertTrue(heard(c1, 500) > 1500 && heard(c1, 1000) > 2500, "the third hears the two: " + levels(c1));

            short[] l2 = decode(concatPayloads(heardL.get(1)));
            assertTrue(heard(l2, 1500) > 8000 && heard(l2, 1000) > 2500, "much louder, the third is heard: " + levels(l2));
            assertTrue(level(l2, 500) < 150, "in the place of the quietest: " + levels(l2));
            short[] a2 = decode(concatPayloads(heardA.get(1)));
            assertTrue(heard(a2, 1500) > 8000 && heard(a2, 1000) > 2500, "who left the mix hears it: " + levels(a2));
            closeAndCheckPorts(engine, group, legA, legB, legC, legL);
        }
    }
}
