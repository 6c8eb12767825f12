package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real bridge driven by SIPp: answering, refusing, streaming and mixing, over UDP and TCP. */
class SippCallIT {
    // SIPp's load runs from 127.0.0.1 at 100 calls/s, as a trunk would: a trusted source.
    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "name = SIPp room\n", "2000", "name = Other room\n"),
                Map.of("security.trustedSources", "127.0.0.1"));

    @Test
    void opusRunsOnTheSystemsLibopusByDefault() {
        // scripts/install-test-tools.sh installs libopus0; codecs.opusLibrary = auto then takes it.
        assertTrue(BRIDGE.process().log().contains("media: Opus through libopus"), BRIDGE.process().log());
        assertTrue(BRIDGE.process().log().contains("(codecs.opusLibrary = auto)"));
    }

    @Test
    void optionsIsAnsweredWithAllow() throws Exception {
        Sipp sipp = Sipp.start(BRIDGE.dir(), "options", "options.xml", Map.of(), BRIDGE.process(), "1000");
        assertEquals(0, sipp.await(Duration.ofSeconds(20)), sipp.report());
        assertTrue(sipp.messages().contains("Accept: application/sdp"), sipp.messages());
    }

    @Test
    void unknownRoomIsRefusedWith404() throws Exception {
        Sipp sipp = Sipp.start(BRIDGE.dir(), "unknown-room", "uac_rejected.xml", Map.of("CODE", "404", "PAYLOAD", "0"), BRIDGE.process(), "9999");
        assertEquals(0, sipp.await(Duration.ofSeconds(20)), sipp.report());
    }

    @Test
    void offerWithoutCommonCodecIsRefusedWith488() throws Exception {
        Sipp sipp = Sipp.start(BRIDGE.dir(), "no-codec", "uac_rejected.xml", Map.of("CODE", "488", "PAYLOAD", "18"), BRIDGE.process(), "1000");
        assertEquals(0, sipp.await(Duration.ofSeconds(20)), sipp.report());
        assertTrue(sipp.messages().contains("no common codec"), "488 carries a Warning that says why");
    }

    @Test
    void callerHearsTheOtherCallerButNotItself() throws Exception {
        Path tone = BRIDGE.dir().resolve("tone440.wav");
        Sox.tone(tone, 440, 12, "u-law");
        try (RtpPeer peer = new RtpPeer()) {
            Sipp streamer = Sipp.start(BRIDGE.dir(), "streamer", "uac_stream.xml",
                    Map.of("FILE", tone.toString(), "HOLD_MS", "7000"), BRIDGE.process(), "1000");
            Sipp listener = Sipp.start(BRIDGE.dir(), "listener", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(peer.port()), "DTMF_PT", "101", "HOLD_MS", "6000"), BRIDGE.process(), "1000");
            int bridgePort = listener.answeredMediaPort(Duration.ofSeconds(10));
            InetSocketAddress bridgeRtp = new InetSocketAddress("127.0.0.1", bridgePort);
            peer.sendTone(bridgeRtp, 1000, 8000);
            Thread.sleep(1000);
            peer.sendDigits(bridgeRtp, "12#", 101);
            Thread.sleep(2500);
            short[] heard = peer.received();
            assertEquals(0, listener.await(Duration.ofSeconds(20)), listener.report());
            assertEquals(0, streamer.await(Duration.ofSeconds(20)), streamer.report());

            assertTrue(heard.length > 8000 * 3, "at least 3 s of audio received, got " + heard.length + " samples");
            // sox "vol 0.5" µ-law sine: ~16000 peak at the source; the bridge passes it at unity gain.
            Heard.last("the second caller", heard, 2).hearsOtherNotOwn(440, 8000, 1000);
        }
        assertEquals(3.0, BRIDGE.process().metric("bridge_dtmf_digits_total{method=\"rfc4733\"}"),
                "1, 2 and # each reported once");
    }

    @Test
    void callOverTcpIsAnswered() throws Exception {
        Path tone = BRIDGE.dir().resolve("tone300.wav");
        Sox.tone(tone, 300, 3, "u-law");
        Sipp sipp = Sipp.start(BRIDGE.dir(), "tcp", "uac_stream.xml", Map.of("FILE", tone.toString(), "HOLD_MS", "1500"),
                BRIDGE.process(), "2000", "-t", "t1");
        assertEquals(0, sipp.await(Duration.ofSeconds(20)), sipp.report());
        assertTrue(sipp.messages().contains("SIP/2.0/TCP"), "the call went over TCP");
    }

    @Test
    void aThousandCallsLeakNoPorts() throws Exception {
        // SIPp's built-in UAC: INVITE, ACK, 100 ms of call, BYE; 1000 calls at 100 calls/s.
        Sipp load = Sipp.builtin(BRIDGE.dir(), "thousand", "uac", BRIDGE.process(), "2000", "-m", "1000", "-r", "100", "-l", "40",
                "-d", "100");
        assertEquals(0, load.await(Duration.ofSeconds(90)), "all 1000 calls succeeded\n" + load.report());
        awaitNoLegs();
        assertEquals(200.0, BRIDGE.process().metric("bridge_rtp_ports_free"), "every RTP port is back in the pool");
        assertEquals(0.0, BRIDGE.process().metric("bridge_sip_calls_active"));
    }

    private static void awaitNoLegs() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (BRIDGE.process().metric("bridge_media_legs_active") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0.0, BRIDGE.process().metric("bridge_media_legs_active"));
    }

    @Test
    void portsAndRoomsAreReleasedAfterCalls() throws Exception {
        Path tone = BRIDGE.dir().resolve("tone500.wav");
        Sox.tone(tone, 500, 3, "u-law");
        for (int i = 0; i < 5; i++) {
            Sipp sipp = Sipp.start(BRIDGE.dir(), "short-" + i, "uac_stream.xml",
                    Map.of("FILE", tone.toString(), "HOLD_MS", "300"), BRIDGE.process(), "2000");
            assertEquals(0, sipp.await(Duration.ofSeconds(20)), sipp.report());
        }
        awaitNoLegs();
        assertEquals(200.0, BRIDGE.process().metric("bridge_rtp_ports_free"), "every RTP port is back in the pool");
        assertTrue(Files.readString(BRIDGE.dir().resolve("bridge.log")).contains("room 2000 closed"));
    }
}
