package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Escalation from a chat: the support system creates a room over the API and gets its number and
 * PINs; a customer dials in with that PIN and is in; the system deletes the room and the customer
 * hears that the conference ends and gets a BYE; the room file is gone. Rooms made over the API
 * live in the bridge's own folder; an admin's room file is never the API's to delete; a name is
 * text, never a template.
 */
class OnDemandRoomsIT {
    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "pin = 1234\n"),
            Map.of("admin.token", "s3cret", "rooms.onDemandRange", "7000-7099"));

    @Test
    void aRoomMadeOverTheApiTakesCallersAndEndsWhenDeleted() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        assertEquals(401, bridge.post("/api/rooms", null, "{}").statusCode());
        var created = bridge.post("/api/rooms", "s3cret", "{\"name\":\"Ticket #4711\",\"language\":\"en\",\"expiresMinutes\":60}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode room = new ObjectMapper().readTree(created.body());
        String number = room.get("room").asText();
        String pin = room.get("pin").asText();
        assertEquals("7000", number);
        assertTrue(room.get("sipUri").asText().startsWith("sip:7000@"), room.toString());
        assertTrue(Files.readString(BRIDGE.dir().resolve("state/rooms/7000.properties")).contains("created over the API"),
                "written in the bridge's own folder");
        assertFalse(Files.exists(BRIDGE.dir().resolve("rooms/7000.properties")), "never among the admin's files");

        try (RtpPeer customer = new RtpPeer()) {
            Sipp call = Sipp.start(BRIDGE.dir(), "customer", "uac_media_elsewhere_wait_bye.xml",
                    Map.of("PEER_PORT", String.valueOf(customer.port()), "DTMF_PT", "101", "WAIT_MS", "30000"),
                    bridge, number);
            InetSocketAddress bridgeRtp = new InetSocketAddress("127.0.0.1", call.answeredMediaPort(Duration.ofSeconds(10)));
            customer.sendTone(bridgeRtp, 300, 100);
            bridge.awaitLog("in the lobby of room 7000", Duration.ofSeconds(10));
            Thread.sleep(1000);
            customer.sendDigits(bridgeRtp, pin + "#", 101);
            bridge.awaitLog("joined room 7000", Duration.ofSeconds(15));

            var deleted = bridge.delete("/api/rooms/7000", "s3cret");
            assertEquals(200, deleted.statusCode(), deleted.body());
            assertEquals(0, call.await(Duration.ofSeconds(30)), "the customer got a BYE\n" + call.report());
        }
        assertFalse(Files.exists(BRIDGE.dir().resolve("state/rooms/7000.properties")), "the room file is gone");
        assertEquals(404, bridge.get("/api/rooms/7000").statusCode());
        assertEquals(404, bridge.delete("/api/rooms/7000", "s3cret").statusCode());
        var adminRoom = bridge.delete("/api/rooms/1000", "s3cret");
        assertEquals(409, adminRoom.statusCode(), "an admin's room is not the API's to delete: " + adminRoom.body());
        assertTrue(Files.exists(BRIDGE.dir().resolve("rooms/1000.properties")));
        assertEquals(200, bridge.get("/api/rooms/1000").statusCode());
    }

    @Test
    void aNameIsTextNeverATemplate() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        ObjectMapper json = new ObjectMapper();
        for (String name : new String[] {"${moderatorPin}", "${env:HOME}", "${file:UTF-8:/etc/hostname}"}) {
            var created = bridge.post("/api/rooms", "s3cret", json.writeValueAsString(Map.of("name", name)));
            assertEquals(201, created.statusCode(), created.body());
            JsonNode room = json.readTree(created.body());
            assertEquals(name, room.get("name").asText());
            JsonNode shown = json.readTree(bridge.get("/api/rooms/" + room.get("room").asText()).body());
            assertEquals(name, shown.get("name").asText(), "the name as it was sent, not what it names");
            assertEquals(200, bridge.delete("/api/rooms/" + room.get("room").asText(), "s3cret").statusCode());
        }
    }
}
