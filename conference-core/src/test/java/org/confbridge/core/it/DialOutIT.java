package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dial-out over the API: the bridge calls a colleague (SIPp as the callee) into a room where a
 * customer waits; once it answers, each hears the other (measured); a busy callee becomes a
 * dial-failed event with its status. Only targets {@code dialout.allow} names are called, and
 * answered dial-outs count against {@code sip.maxCalls} until they end.
 */
class DialOutIT {
    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "name = Open\nannounceJoinLeave = false\n"),
            Map.of("admin.token", "s3cret", "pin.timeoutSeconds", "2", "sip.maxCalls", "3",
                    "dialout.allow", "sip:kollegin@127.0.0.1:*, sip:busy@127.0.0.1:*, sip:person@127.0.0.1:*, "
                            + "sip:mailbox@127.0.0.1:*, sip:late@127.0.0.1:*", "dialout.ringSeconds", "5"));

    @Test
    void aDialledColleagueJoinsAndIsHeardAndABusyOneIsReported() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        try (RtpPeer customer = new RtpPeer(); RtpPeer colleague = new RtpPeer()) {
            Sipp waiting = Sipp.start(BRIDGE.dir(), "customer", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(customer.port()), "DTMF_PT", "101", "HOLD_MS", "40000"),
                    bridge, "1000");
            customer.sendTone(new InetSocketAddress("127.0.0.1", waiting.answeredMediaPort(Duration.ofSeconds(10))),
                    440, 8000);
            Sipp callee = Sipp.start(BRIDGE.dir(), "colleague", "uas_answer.xml",
                    Map.of("PEER_PORT", String.valueOf(colleague.port()), "HOLD_MS", "30000"), bridge, "x");
            Thread.sleep(500); // SIPp listens
            var dialled = bridge.post("/api/rooms/1000/dial", "s3cret", "{\"to\":\"sip:kollegin@127.0.0.1:" + callee.port
                    + "\",\"displayName\":\"Kollegin\",\"role\":\"moderator\"}");
            assertEquals(202, dialled.statusCode(), dialled.body());
            String leg = new ObjectMapper().readTree(dialled.body()).get("leg").asText();
            bridge.awaitLog("joined room 1000 as moderator", Duration.ofSeconds(15));
            // The bridge learns the callee's media address from its answer; the callee sends from there.
            InetSocketAddress bridgeForColleague = new InetSocketAddress("127.0.0.1", offeredPort(callee));
            colleague.sendTone(bridgeForColleague, 1000, 8000);
            Thread.sleep(3000);
            Heard.last("the customer", customer.received(), 1.5).hearsOtherNotOwn(1000, 5000, 440);
            Heard.last("the colleague", colleague.received(), 1.5).hearsOtherNotOwn(440, 5000, 1000);
            assertEquals(200, bridge.post("/api/rooms/1000/participants/" + leg + "/kick", "s3cret", null).statusCode());
            assertEquals(0, callee.await(Duration.ofSeconds(20)), "the colleague got the bridge's BYE\n" + callee.report());

            Sipp busy = Sipp.start(BRIDGE.dir(), "busy", "uas_busy.xml", Map.of(), bridge, "x");
            Thread.sleep(500);
            assertEquals(202, bridge.post("/api/rooms/1000/dial", "s3cret",
                    "{\"to\":\"sip:busy@127.0.0.1:" + busy.port + "\"}").statusCode());
            assertEquals(0, busy.await(Duration.ofSeconds(20)), busy.report());
            bridge.awaitLog("dial-out to sip:busy@127.0.0.1:" + busy.port + " failed: 486", Duration.ofSeconds(10));

            // Confirm: a person presses 1 and joins; a voicemail never does and is hung up.
            try (RtpPeer person = new RtpPeer(); RtpPeer voicemail = new RtpPeer()) {
                Sipp personCall = Sipp.start(BRIDGE.dir(), "person", "uas_answer.xml",
                        Map.of("PEER_PORT", String.valueOf(person.port()), "HOLD_MS", "30000"), bridge, "x");
                Sipp mailbox = Sipp.start(BRIDGE.dir(), "voicemail", "uas_answer.xml",
                        Map.of("PEER_PORT", String.valueOf(voicemail.port()), "HOLD_MS", "40000"), bridge, "x");
                Thread.sleep(500);
                String personLeg = new ObjectMapper().readTree(bridge.post("/api/rooms/1000/dial", "s3cret",
                        "{\"to\":\"sip:person@127.0.0.1:" + personCall.port + "\",\"confirm\":true}").body())
                        .get("leg").asText();
                assertEquals(202, bridge.post("/api/rooms/1000/dial", "s3cret",
                        "{\"to\":\"sip:mailbox@127.0.0.1:" + mailbox.port + "\",\"confirm\":true}").statusCode());
                bridge.awaitLog("(leg " + personLeg + ", asked to confirm)", Duration.ofSeconds(10));
                bridge.awaitLogCount("asked to confirm)", 2, Duration.ofSeconds(10));
                var overLimit = bridge.post("/api/rooms/1000/dial", "s3cret", "{\"to\":\"sip:person@127.0.0.1:9\"}");
                assertEquals(503, overLimit.statusCode(), "the customer and two answered dial-outs fill sip.maxCalls = 3: "
                        + overLimit.body());
                InetSocketAddress toBridge = new InetSocketAddress("127.0.0.1", offeredPort(personCall));
                person.sendTone(toBridge, 300, 100);
                Thread.sleep(1500);
                person.sendDigits(toBridge, "1", 101);
                bridge.awaitLog("as participant (leg " + personLeg, Duration.ofSeconds(10));
                assertEquals(0, mailbox.await(Duration.ofSeconds(40)), "the voicemail got a BYE\n" + mailbox.report());
                assertTrue(bridge.log().contains("not confirmed"), "why it was hung up");
                assertEquals(200, bridge.post("/api/rooms/1000/participants/" + personLeg + "/kick", "s3cret", null)
                        .statusCode());
                assertEquals(0, personCall.await(Duration.ofSeconds(20)), personCall.report());
            }
            assertEquals(0, waiting.await(Duration.ofSeconds(60)), waiting.report());
        }
        // The callee answers as the bridge gives up after dialout.ringSeconds: ACK, then BYE.
        Sipp late = Sipp.start(BRIDGE.dir(), "late", "uas_answer_after_cancel.xml", Map.of("PEER_PORT", "4000"), bridge, "x");
        Thread.sleep(500);
        var lateDial = bridge.post("/api/rooms/1000/dial", "s3cret", "{\"to\":\"sip:late@127.0.0.1:" + late.port + "\"}");
        assertEquals(202, lateDial.statusCode(), lateDial.body());
        assertEquals(0, late.await(Duration.ofSeconds(25)), "the crossing answer got ACK and BYE\n" + late.report());
        bridge.awaitLog("answered after it was given up: ACK and BYE", Duration.ofSeconds(5));
        assertEquals(404, bridge.post("/api/rooms/4040/dial", "s3cret", "{\"to\":\"sip:x@127.0.0.1\"}").statusCode());
        assertEquals(400, bridge.post("/api/rooms/1000/dial", "s3cret", "{\"to\":\"tel:+4930\"}").statusCode());
        var probe = bridge.post("/api/rooms/1000/dial", "s3cret", "{\"to\":\"sip:x@127.0.0.1:6379;transport=tcp\"}");
        assertEquals(403, probe.statusCode(), "no target dialout.allow does not name: " + probe.body());
        assertTrue(probe.body().contains("dialout.allow"), probe.body());
    }

    /** The RTP port of the bridge's offer in the INVITE the callee received. */
    private static int offeredPort(Sipp callee) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("INVITE[\\s\\S]*?m=audio (\\d+) ").matcher(callee.messages());
        assertTrue(m.find(), callee.messages());
        return Integer.parseInt(m.group(1));
    }
}
