package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PIN admission end to end: one caller types the PIN as SIP INFO, another as RFC 4733 events;
 * the lobby hears prompts and not the room; both then hear each other; the room records, and the
 * session record names both. Three wrong PINs end with the bridge's BYE.
 */
class PinAdmissionIT {
    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of(
                "1000", "name = Beratung\npin = 1234\nmoderatorPin = 4321\nrecord = always\nlanguage = en\n",
                "3000", "pin = 1234\n"), Map.of());

    @Test
    void pinByInfoAndByRtpAdmitsAndTheSessionIsRecorded() throws Exception {
        Path tone = BRIDGE.dir().resolve("tone440.wav");
        Sox.tone(tone, 440, 20, "u-law");
        Sipp streamer = Sipp.start(BRIDGE.dir(), "info-pin", "uac_stream_info_pin.xml", Map.of("FILE", tone.toString(),
                "HOLD_MS", "9000", "K1", "1", "K2", "2", "K3", "3", "K4", "4"), BRIDGE.process(), "1000");
        BRIDGE.process().awaitLog("joined room 1000 as participant", Duration.ofSeconds(15));

        try (RtpPeer peer = new RtpPeer()) {
            Sipp listener = Sipp.start(BRIDGE.dir(), "rtp-pin", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(peer.port()), "DTMF_PT", "101", "HOLD_MS", "7000"),
                    BRIDGE.process(), "1000");
            InetSocketAddress bridgeRtp = new InetSocketAddress("127.0.0.1", listener.answeredMediaPort(Duration.ofSeconds(10)));
            peer.sendTone(bridgeRtp, 1000, 8000);
            Thread.sleep(2000);
            short[] lobby = peer.received();
            assertTrue(lobby.length > 8000, "lobby audio received: " + lobby.length);
            double lobbyRoom = ToneMeter.level(lobby, 0, lobby.length, 440, 8000);
            double lobbyPrompt = ToneMeter.rms(lobby, 0, lobby.length);
            assertTrue(lobbyPrompt > 500, "the lobby hears the PIN prompt: rms " + lobbyPrompt);
            assertTrue(lobbyRoom < 300, "the lobby does not hear the room: 440 Hz at " + lobbyRoom);

            peer.sendDigits(bridgeRtp, "1234#", 101);
            BRIDGE.process().awaitLogCount("joined room 1000 as participant", 2, Duration.ofSeconds(20));
            int admittedAt = peer.received().length;
            Thread.sleep(3000);
            short[] heard = peer.received();
            double room = ToneMeter.level(heard, admittedAt + 4000, heard.length, 440, 8000);
            assertTrue(room > 5000, "admitted, the caller hears the other participant: 440 Hz at " + room);
            assertEquals(0, listener.await(Duration.ofSeconds(20)), listener.report());
        }
        assertEquals(0, streamer.await(Duration.ofSeconds(30)), streamer.report());
        BRIDGE.process().awaitLog("room 1000 closed", Duration.ofSeconds(10));
        // Both callers came through the lobby (a room of its own, perhaps on another loop): what
        // read their sockets there let them go, and every port is free for others.
        BRIDGE.process().assertRtpPortsFree(Duration.ofSeconds(2));

        JsonNode session = awaitFinalSession("1000");
        assertEquals("1000", session.get("room").asText());
        JsonNode participants = session.get("participants");
        assertEquals(2, participants.size(), session.toPrettyString());
        for (JsonNode p : participants) {
            for (String field : List.of("leg", "callerId", "displayName", "role", "codec", "joined", "left", "talkSeconds")) {
                assertTrue(p.has(field), field + " in " + p);
            }
            assertEquals("participant", p.get("role").asText());
            assertEquals("PCMU", p.get("codec").asText());
            assertTrue(!p.get("left").isNull(), "left time recorded: " + p);
            assertTrue(p.get("talkSeconds").asDouble() > 1.0, "talk time counted: " + p);
            JsonNode talk = p.get("talk");
            assertTrue(talk.size() >= 1, "when they talked: " + p);
            for (JsonNode turn : talk) {
                assertTrue(turn.get(1).asDouble() > turn.get(0).asDouble() && turn.get(0).asDouble() >= 0, "turn " + turn);
            }
        }
        assertTrue(participants.get(0).get("callerId").asText().startsWith("sip:streamer@"));
        assertTrue(participants.get(1).get("callerId").asText().startsWith("sip:peer@"));
        long joins = Stream.of(session.get("events")).flatMap(e -> stream(e)).filter(e -> e.get("type").asText().equals("join")).count();
        assertEquals(2, joins);
        JsonNode rec = session.get("recordings").get(0);
        assertEquals("mix.wav", rec.get("file").asText());
        assertEquals(64, rec.get("sha256").asText().length());

        Path mix = sessionDir("1000").resolve("mix.wav");
        ToneMeter.Wav wav = ToneMeter.readWav(mix);
        assertEquals(16000, wav.rate());
        assertEquals(rec.get("seconds").asDouble(), wav.samples().length / 16000.0, 0.05);
        boolean both = false;
        short[] s = wav.samples();
        for (int from = 0; from + 16000 <= s.length; from += 8000) {
            double a = ToneMeter.level(s, from, from + 16000, 440, 16000);
            double b = ToneMeter.level(s, from, from + 16000, 1000, 16000);
            both |= a > 3000 && b > 3000;
        }
        assertTrue(both, "mix.wav holds both callers' voices at once");
    }

    @Test
    void threeWrongPinsAreAnsweredWithGoodbyeAndBye() throws Exception {
        try (RtpPeer peer = new RtpPeer()) {
            Sipp caller = Sipp.start(BRIDGE.dir(), "wrong-pin", "uac_media_elsewhere_wait_bye.xml",
                    Map.of("PEER_PORT", String.valueOf(peer.port()), "DTMF_PT", "96", "WAIT_MS", "25000"),
                    BRIDGE.process(), "3000");
            InetSocketAddress bridgeRtp = new InetSocketAddress("127.0.0.1", caller.answeredMediaPort(Duration.ofSeconds(10)));
            peer.sendTone(bridgeRtp, 300, 100);
            Thread.sleep(500);
            for (int i = 0; i < 3; i++) {
                peer.sendDigits(bridgeRtp, "999#", 96);
                Thread.sleep(300);
            }
            assertEquals(0, caller.await(Duration.ofSeconds(30)), "the bridge hung up with BYE\n" + caller.report());
        }
        BRIDGE.process().awaitLog("room 3000 closed", Duration.ofSeconds(10));
        JsonNode session = awaitFinalSession("3000");
        long failed = stream(session.get("events")).filter(e -> e.get("type").asText().equals("pin-failed")).count();
        assertEquals(3, failed, session.toPrettyString());
        assertEquals(0, session.get("participants").size());
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }


    private static Path sessionDir(String room) throws IOException {
        try (Stream<Path> s = Files.list(BRIDGE.dir().resolve("recordings").resolve(room))) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    /** session.json once its end is written (the recording is finalised first). */
    private static JsonNode awaitFinalSession(String room) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Path f = sessionDir(room).resolve("session.json");
            if (Files.exists(f)) {
                last = new ObjectMapper().readTree(f.toFile());
                if (!last.get("end").isNull()) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        assertNotNull(last, "no session.json for room " + room);
        throw new AssertionError("session.json never got its end: " + last.toPrettyString());
    }
}
