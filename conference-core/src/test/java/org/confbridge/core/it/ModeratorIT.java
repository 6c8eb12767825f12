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
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles and the keypad menu with real signalling (SIPp) and test-side RTP peers that talk a tone
 * each and type keys as RFC 4733: participants wait for the moderator without hearing each other,
 * a listener is heard by nobody, the moderator's *7 silences the participants, *8 records, *5 locks
 * (a participant's PIN is then refused, a second moderator still gets in).
 */
class ModeratorIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    /** One caller: SIPp for signalling, an RTP peer that talks {@code toneHz} and types keys. */
    private final class Phone implements AutoCloseable {
        final RtpPeer peer = new RtpPeer();
        final Sipp sipp;
        final InetSocketAddress bridgeRtp;

        Phone(BridgeProcess bridge, String name, double toneHz, String pin, int holdMs) throws Exception {
            sipp = Sipp.start(dir, name, "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(peer.port()), "DTMF_PT", "101", "HOLD_MS", String.valueOf(holdMs)),
                    bridge, "4000");
            bridgeRtp = new InetSocketAddress("127.0.0.1", sipp.answeredMediaPort(Duration.ofSeconds(10)));
            peer.sendTone(bridgeRtp, toneHz, 6000);
            Thread.sleep(300);
            peer.sendDigits(bridgeRtp, pin + "#", 101);
        }

        void keys(String keys) throws InterruptedException {
            peer.sendDigits(bridgeRtp, keys, 101);
        }

        /** Level of a frequency in what this phone heard in the last second. */
        double hears(double hz) {
            short[] s = peer.received();
            return ToneMeter.level(s, Math.max(0, s.length - 8000), s.length, hz, 8000);
        }

        @Override
        public void close() {
            peer.close();
        }
    }

    @Test
    void moderatorRunsTheRoomFromTheKeypad() throws Exception {
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("4000", String.join("\n", "pin = 1111",
                "moderatorPin = 9999", "listenerPin = 5555", "waitForModerator = true", "record = on-demand",
                "language = en", "")), Map.of());
             Phone alice = new Phone(bridge, "alice", 440, "1111", 30000);
             Phone bob = new Phone(bridge, "bob", 1000, "1111", 30000)) {
            bridge.awaitLogCount("waiting for a moderator", 2, Duration.ofSeconds(15));
            Thread.sleep(2500);
            assertTrue(bob.hears(440) < 300, "waiting participants do not hear each other: " + bob.hears(440));
            assertTrue(alice.hears(1000) < 300, "nor the other way: " + alice.hears(1000));

            try (Phone mod = new Phone(bridge, "mod", 700, "9999", 26000);
                 Phone listener = new Phone(bridge, "listener", 1500, "5555", 24000)) {
                bridge.awaitLog("joined room 4000 as moderator", Duration.ofSeconds(15));
                bridge.awaitLog("joined room 4000 as listener", Duration.ofSeconds(15));
                Thread.sleep(4000);
                assertTrue(bob.hears(440) > 3000, "with the moderator, bob hears alice: " + bob.hears(440));
                assertTrue(bob.hears(700) > 3000, "and the moderator: " + bob.hears(700));
                assertTrue(bob.hears(1500) < 300, "the listener is heard by nobody: " + bob.hears(1500));
                assertTrue(mod.hears(1500) < 300, "not even by the moderator: " + mod.hears(1500));

                mod.keys("*7");
                bridge.awaitLog("keypad MUTE_ALL", Duration.ofSeconds(5));
                Thread.sleep(2500);
                assertTrue(mod.hears(440) < 300, "after *7 alice is silent: " + mod.hears(440));
                assertTrue(mod.hears(1000) < 300, "and bob: " + mod.hears(1000));
                assertTrue(bob.hears(700) > 3000, "the moderator still speaks: " + bob.hears(700));

                mod.keys("*8");
                bridge.awaitLog("recording to", Duration.ofSeconds(5));
                Thread.sleep(1500);
                mod.keys("*8");
                bridge.awaitLog("recording stopped by keypad", Duration.ofSeconds(5));

                mod.keys("*5");
                bridge.awaitLog("room 4000 locked by keypad", Duration.ofSeconds(5));
                try (RtpPeer late = new RtpPeer()) {
                    Sipp refused = Sipp.start(dir, "late", "uac_media_elsewhere_wait_bye.xml",
                            Map.of("PEER_PORT", String.valueOf(late.port()), "DTMF_PT", "101", "WAIT_MS", "15000"),
                            bridge, "4000");
                    InetSocketAddress rtp = new InetSocketAddress("127.0.0.1",
                            refused.answeredMediaPort(Duration.ofSeconds(10)));
                    late.sendTone(rtp, 300, 100);
                    Thread.sleep(300);
                    late.sendDigits(rtp, "1111#", 101);
                    assertEquals(0, refused.await(Duration.ofSeconds(20)),
                            "locked: a participant's PIN is told so and hung up\n" + refused.report());
                }
                bridge.awaitLog("room 4000 is locked", Duration.ofSeconds(5));
                try (Phone lateModerator = new Phone(bridge, "mod2", 800, "9999", 2000)) {
                    bridge.awaitLogCount("joined room 4000 as moderator", 2, Duration.ofSeconds(15));
                    assertEquals(0, lateModerator.sipp.await(Duration.ofSeconds(20)), lateModerator.sipp.report());
                }
                assertEquals(0, listener.sipp.await(Duration.ofSeconds(40)), listener.sipp.report());
                assertEquals(0, mod.sipp.await(Duration.ofSeconds(40)), mod.sipp.report());
            }
            assertEquals(0, alice.sipp.await(Duration.ofSeconds(40)), alice.sipp.report());
            assertEquals(0, bob.sipp.await(Duration.ofSeconds(40)), bob.sipp.report());
            bridge.awaitLog("room 4000 closed", Duration.ofSeconds(10));
            bridge.awaitLog("mix.wav closed", Duration.ofSeconds(10));
        }
        Path sessionDir;
        try (var dirs = Files.list(dir.resolve("recordings").resolve("4000"))) {
            sessionDir = dirs.findFirst().orElseThrow();
        }
        assertTrue(Files.size(sessionDir.resolve("mix.wav")) > 44 + 16000, "*8 recorded the room");
        String session = Files.readString(sessionDir.resolve("session.json"));
        for (String event : new String[] {"\"mute\"", "\"lock\"", "\"recording-start\"", "\"recording-stop\""}) {
            assertTrue(session.contains("\"type\" : " + event), event + " in session.json");
        }
        assertTrue(session.contains("\"by\" : \"keypad:"), "the acting leg is named: " + session);
        assertTrue(session.contains("\"role\" : \"moderator\"") && session.contains("\"role\" : \"listener\""));
    }
}
