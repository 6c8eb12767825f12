package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted calls (SRTP keyed by SDES) with real softphones: baresip's {@code srtp} module with
 * {@code mediaenc=srtp-mand} offers {@code RTP/SAVP} with {@code a=crypto} lines. What the
 * callers hear is measured in what they decoded; what an eavesdropper on loopback sees of the
 * bridge's packets is measured too (tcpdump): ciphertext is near 8 bits of entropy per byte,
 * G.711 audio far below.
 */
class SrtpIT {
    private static final String PIN_ROOM = "pin = 1234\n";
    /** Plain G.711 tones carry far less than this; ciphertext comes within a few hundredths of 8. */
    private static final double CIPHERTEXT_BITS = 7.9;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void twoSrtpSoftphonesInAConfidentialRoomHearEachOtherAndTheWireShowsCiphertext() throws Exception {
        try (BridgeProcess bridge = BridgeProcess.start(dir,
                Map.of("2000", PIN_ROOM + "srtp = required\nrecord = always\n"), Map.of())) {
            Heard aliceHeard;
            Heard bobHeard;
            Map<Integer, List<byte[]>> wire;
            try (LoopbackCapture capture = LoopbackCapture.udpFromPorts(dir, bridge.rtpBase, bridge.rtpBase + 399);
                 Baresip alice = Baresip.dial(dir, "alice", 440, "PCMU", bridge, "2000", ";mediaenc=srtp-mand");
                 Baresip bob = Baresip.dial(dir, "bob", 1000, "PCMU", bridge, "2000", ";mediaenc=srtp-mand")) {
                Baresip.joinAndTalk(bridge, "2000", "1234", alice, bob);
                JsonNode room = new ObjectMapper().readTree(bridge.get("/api/rooms/2000").body());
                for (JsonNode p : room.get("participants")) {
                    assertTrue(p.get("srtp").asBoolean(), "the API shows SRTP: " + p);
                    assertEquals("udp", p.get("transport").asText());
                }
                alice.close();
                bob.close();
                aliceHeard = alice.conversation("alice");
                bobHeard = bob.conversation("bob");
                wire = capture.rtpPayloadsByDestination();
            }
            aliceHeard.hearsOtherNotOwn(1000, 8000, 440);
            bobHeard.hearsOtherNotOwn(440, 8000, 1000);
            // Audio went to two ports; the reports (SRTCP, a few) to the ports above them.
            Map<Integer, List<byte[]>> audio = new java.util.TreeMap<>(wire);
            audio.values().removeIf(packets -> packets.size() < 100);
            assertEquals(2, audio.size(), "the bridge sent audio to two phones: " + wire.keySet());
            for (Map.Entry<Integer, List<byte[]>> e : audio.entrySet()) {
                double bits = LoopbackCapture.entropy(e.getValue());
                System.out.printf("SRTP on the wire: %d packets to port %d, %.3f bits per payload byte%n",
                        e.getValue().size(), e.getKey(), bits);
                assertTrue(bits > CIPHERTEXT_BITS,
                        "to port " + e.getKey() + ": " + e.getValue().size() + " packets, " + bits + " bits per byte");
            }
            assertTrue(bridge.log().contains("SRTP keys (SDES) travelled over unencrypted SIP"),
                    "the key in clear is said once per call");
            bridge.awaitLog("room 2000 closed", Duration.ofSeconds(10));
            JsonNode session = sessionJson(dir, "2000");
            for (JsonNode p : session.get("participants")) {
                assertTrue(p.get("srtp").asBoolean(), "session.json records SRTP: " + p);
            }
        }
    }

    @Test
    void aPlainOfferToAConfidentialRoomGets488AndAnOptionalRoomMixesSrtpAndPlain() throws Exception {
        try (BridgeProcess bridge = BridgeProcess.start(dir,
                Map.of("2000", PIN_ROOM + "srtp = required\n", "1000", PIN_ROOM), Map.of())) {
            String plain = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
            String refused = SipProbe.invite(bridge, "2000", plain);
            assertNotNull(refused, "an answer to the plain INVITE");
            assertTrue(refused.startsWith("SIP/2.0 488"), refused);
            assertTrue(refused.contains("Warning: 399") && refused.contains("SRTP is required"), refused);

            Heard secretHeard;
            Heard openHeard;
            Map<Integer, List<byte[]>> wire;
            try (LoopbackCapture capture = LoopbackCapture.udpFromPorts(dir, bridge.rtpBase, bridge.rtpBase + 399);
                 Baresip secret = Baresip.dial(dir, "secret", 440, "PCMU", bridge, "1000", ";mediaenc=srtp-mand");
                 Baresip open = Baresip.dial(dir, "open", 1000, "PCMU", bridge, "1000")) {
                Baresip.joinAndTalk(bridge, "1000", "1234", secret, open);
                secret.close();
                open.close();
                secretHeard = secret.conversation("secret");
                openHeard = open.conversation("open");
                wire = capture.rtpPayloadsByDestination();
            }
            secretHeard.hearsOtherNotOwn(1000, 8000, 440);
            openHeard.hearsOtherNotOwn(440, 8000, 1000);
            double[] bits = wire.values().stream().filter(l -> l.size() > 100).mapToDouble(LoopbackCapture::entropy)
                    .sorted().toArray();
            assertEquals(2, bits.length, "two phones got audio: " + wire.keySet());
            System.out.printf("SRTP and plain in one room: %.3f bits per byte to the plain phone, %.3f to the SRTP one%n",
                    bits[0], bits[1]);
            assertTrue(bits[0] < 7.0, "the plain phone's packets are G.711 audio: " + bits[0] + " bits per byte");
            assertTrue(bits[1] > CIPHERTEXT_BITS, "the SRTP phone's are ciphertext: " + bits[1] + " bits per byte");
        }
    }

    private static JsonNode sessionJson(Path dir, String room) throws Exception {
        try (var dirs = java.nio.file.Files.list(dir.resolve("recordings").resolve(room))) {
            Path session = dirs.findFirst().orElseThrow();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            JsonNode json = new ObjectMapper().readTree(session.resolve("session.json").toFile());
            while (json.get("end").isNull() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                json = new ObjectMapper().readTree(session.resolve("session.json").toFile());
            }
            return json;
        }
    }
}
