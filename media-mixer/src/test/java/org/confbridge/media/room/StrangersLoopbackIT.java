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
 * Strict RTP on real sockets and loops: a stranger sending to a leg's port is never heard, and a
 * caller that vanished (its port closed, ICMP unreachable coming back) costs only counted errors.
 */
class StrangersLoopbackIT {
    /**
     * After the first packet a leg's socket answers only its caller: a stranger's tone sent to that
     * port never reaches the room. When the caller goes away (its port closed, ICMP unreachable
     * coming back), the errors are counted and the room plays on for the others.
     */
    @ParameterizedTest(name = "{0} loop(s), sends through io_uring: {1}")
    @CsvSource({"1, true", "3, true", "1, false", "3, false"})
    void strangersAreNotHeardAndAVanishedCallerCostsOnlyErrors(int loops, boolean ioUring) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MediaEngine engine = engine("127.0.0.1", loops, 0, true, ioUring, registry);
             DatagramSocket caller = socket(); DatagramSocket stranger = socket(); DatagramSocket listener = socket()) {
            MixGroup group = spreadRoom(engine);
            MediaLeg callerLeg = open(group, "c", caller);
            MediaLeg listenerLeg = open(group, "l", listener);
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", callerLeg.localPort());
            short[] silence = new short[160];
            short[] tone = Tone.sine(1000, 8000, 160 * 60, 12000);
            for (int i = 0; i < 60; i++) {
                // The caller sends silence (and so latches the port); the stranger a loud tone to the same port.
                caller.send(new DatagramPacket(rtp(i, 77, silence, 0), 172, target));
                stranger.send(new DatagramPacket(rtp(i, 99, tone, i * 160), 172, target));
                Thread.sleep(20);
            }
            List<byte[]> heard = drain(listener);
            assertTrue(heard.size() > 30, "listener got " + heard.size() + " packets");
            short[] audio = decode(concatPayloads(heard.subList(heard.size() - 30, heard.size())));
            double strangerLevel = Tone.goertzel(audio, 0, audio.length, 1000, 8000);
            assertTrue(strangerLevel < 300, "the stranger's tone is not in the mix: " + strangerLevel);

            double errorsBefore = registry.find(MediaMetrics.SOCKET_ERRORS).functionCounter().count();
            caller.close(); // gone without a word: the bridge keeps sending into a closed port
            Thread.sleep(300);
            drain(listener);
            Thread.sleep(200);
            List<byte[]> after = drain(listener);
            assertTrue(after.size() >= 5, "the room plays on for the others: " + after.size() + " packets");
            double errors = registry.find(MediaMetrics.SOCKET_ERRORS).functionCounter().count() - errorsBefore;
            assertTrue(errors > 0, "ICMP unreachable counted as socket errors: " + errors);
            closeAndCheckPorts(engine, group, callerLeg, listenerLeg);
        }
    }
}
