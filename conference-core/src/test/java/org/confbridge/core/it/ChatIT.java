package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The room's chat: a participant (SIPp) writes with SIP MESSAGE in its call, a softphone
 * (baresip) in the same room receives it from the room's URI; the admin API writes to everyone
 * and lists the messages; too long a message and a stranger's are refused; session.json holds
 * every message.
 */
class ChatIT {
    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(
            Map.of("1000", "name = Chat\nannounceJoinLeave = false\nrecord = always\n"),
            Map.of("admin.token", "s3cret"));

    @Test
    void participantsAndTheAdminApiChatAndEveryMessageIsRecorded() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        Path dir = BRIDGE.dir();
        try (Baresip bob = Baresip.dial(dir, "bob", 440, "PCMU", bridge, "1000"); RtpPeer media = new RtpPeer()) {
            bridge.awaitLog("joined room 1000", Duration.ofSeconds(15));
            Sipp alice = Sipp.start(dir, "alice", "uac_chat.xml", Map.of("PEER_PORT", String.valueOf(media.port()),
                    "DTMF_PT", "101", "HOLD_MS", "4000", "LONG_TEXT", "x".repeat(5000)), bridge, "1000");
            bridge.awaitLogCount("joined room 1000", 2, Duration.ofSeconds(10));

            String stranger = SipProbe.message(bridge, "127.0.0.6", "1000", "Hallo?");
            assertNotNull(stranger);
            assertTrue(stranger.startsWith("SIP/2.0 403"), "not a participant: " + stranger);
            // Forgeries from the participants' own IP address (behind a proxy, everybody shares one).
            String sameIp = SipProbe.message(bridge, "127.0.0.1", "1000", "Ich bin auch Alice");
            assertTrue(sameIp.startsWith("SIP/2.0 403"), "the same IP is not the same participant: " + sameIp);
            java.util.regex.Matcher aliceCall = java.util.regex.Pattern.compile("call (\\S+) INVITE from sip:peer@")
                    .matcher(bridge.log());
            assertTrue(aliceCall.find(), bridge.log());
            String callId = aliceCall.group(1);
            String taglessInfo = forged(bridge, "INFO", callId, "", "application/dtmf-relay", "Signal=5\r\nDuration=160\r\n");
            assertTrue(taglessInfo.startsWith("SIP/2.0 481"), "a known Call-ID is not a dialog: " + taglessInfo);
            String forgedInDialog = forged(bridge, "MESSAGE", callId, ";tag=guess", "text/plain", "forged");
            assertTrue(forgedInDialog.startsWith("SIP/2.0 481"), "wrong tags are another dialog: " + forgedInDialog);

            assertEquals(401, bridge.post("/api/rooms/1000/chat", null, "{\"from\":\"x\",\"text\":\"y\"}").statusCode());
            assertEquals(200, bridge.post("/api/rooms/1000/chat", "s3cret",
                    "{\"from\":\"Beratung\",\"text\":\"Willkommen in der Beratung\"}").statusCode());
            assertEquals(200, bridge.post("/api/rooms/1000/chat", "s3cret",
                    "{\"from\":\"Beratung\",\"text\":\"<script>alert(1)</script>\"}").statusCode());
            assertEquals(0, alice.await(Duration.ofSeconds(20)), "MESSAGE answered 200, the long one 413\n" + alice.report());
            awaitInLog(bob, "Guten Tag, hier ist Alice");
            awaitInLog(bob, "Willkommen in der Beratung");
            assertTrue(bob.log().contains("sip:1000@"), "from the room's URI: " + bob.log());

            JsonNode transcript = new ObjectMapper().readTree(bridge.get("/api/rooms/1000/chat").body());
            assertEquals(4, transcript.size(), "no forgery among them: " + transcript);
            assertEquals("Willkommen in der Beratung", transcript.get(0).get("text").asText());
            assertEquals("admin-api", transcript.get(0).get("by").asText());
            assertEquals("Peer", transcript.get(2).get("from").asText());
            assertEquals("Guten Tag, hier ist Alice", transcript.get(2).get("text").asText());
            assertEquals("Peer", transcript.get(3).get("from").asText());
            assertEquals("Noch eine Frage, ohne Dialog", transcript.get(3).get("text").asText(), "page mode from her address");
        }
        bridge.awaitLog("room 1000 closed", Duration.ofSeconds(10));
        try (var dirs = java.nio.file.Files.list(dir.resolve("recordings").resolve("1000"))) {
            Path session = dirs.findFirst().orElseThrow();
            JsonNode events = new ObjectMapper().readTree(session.resolve("session.json").toFile()).get("events");
            int chats = 0;
            for (JsonNode e : events) {
                if (e.get("type").asText().equals("chat")) {
                    chats++;
                    assertTrue(e.has("at") && e.has("from") && e.has("text"), e.toString());
                }
            }
            assertEquals(4, chats, events.toString());
            // The report for people: German (the room's language), names, the chat escaped, the timeline, the audio.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!java.nio.file.Files.exists(session.resolve("report.html")) && System.nanoTime() < deadline) {
                Thread.sleep(100); // written with the record's last save, once mix.wav is final
            }
            String report = java.nio.file.Files.readString(session.resolve("report.html"));
            assertTrue(report.contains("Konferenzprotokoll: Chat") && report.contains("bob") && report.contains("Peer"), report);
            assertTrue(report.contains("Guten Tag, hier ist Alice") && report.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                    && !report.contains("<script>"), "chat in the report, escaped");
            assertTrue(report.contains("<svg") && report.contains("<rect") && report.contains("src=\"mix.wav\""), report);
        }
        // Past sessions over the API, with the admin token only.
        assertEquals(401, bridge.getAnonymous("/api/sessions?room=1000").statusCode());
        JsonNode sessions = new ObjectMapper().readTree(bridge.getWithToken("/api/sessions?room=1000", "s3cret").body());
        assertEquals(1, sessions.size(), sessions.toString());
        String id = sessions.get(0).get("id").asText();
        assertTrue(sessions.get(0).get("files").toString().contains("/api/sessions/" + id + "/report.html"), sessions.toString());
        var served = bridge.getWithToken("/api/sessions/" + id + "/report.html", "s3cret");
        assertEquals(200, served.statusCode());
        assertTrue(served.body().contains("Konferenzprotokoll"));
        assertEquals(200, bridge.getWithToken("/api/sessions/" + id + "/mix.wav", "s3cret").statusCode());
        assertEquals(404, bridge.getWithToken("/api/sessions/" + id + "/bridge.properties", "s3cret").statusCode());
        assertEquals(404, bridge.getWithToken("/api/sessions/..%2F..%2Fbridge.properties/session.json", "s3cret").statusCode());
    }

    /** A request from 127.0.0.1 that knows a call's Call-ID but not its dialog's tags; its status line. */
    private static String forged(BridgeProcess bridge, String method, String callId, String toTag, String type,
                                 String body) throws java.io.IOException {
        return SipProbe.statusLine(bridge.sipPort, "127.0.0.1", port -> method + " sip:1000@127.0.0.1:" + bridge.sipPort
                + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bKforged" + System.nanoTime()
                + "\r\nMax-Forwards: 70\r\nFrom: <sip:peer@127.0.0.1>;tag=guess\r\nTo: <sip:1000@127.0.0.1>" + toTag
                + "\r\nCall-ID: " + callId + "\r\nCSeq: 9 " + method + "\r\nContent-Type: " + type
                + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    }

    private static void awaitInLog(Baresip phone, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!phone.log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the phone never showed '" + text + "':\n" + phone.log());
            }
            Thread.sleep(100);
        }
    }
}
