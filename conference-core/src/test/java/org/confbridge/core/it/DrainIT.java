package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A drained node finishes its conferences and takes no new rooms: OPTIONS answers 503 (so a
 * dispatcher sends new rooms elsewhere), a call for a room not active here gets 503, a caller of a
 * running conference still gets in; undone, everything is as before.
 */
class DrainIT {
    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "announceJoinLeave = false\n",
            "2000", "announceJoinLeave = false\n"), Map.of("admin.token", "t0ken"));

    @Test
    void aDrainedNodeFinishesItsConferencesAndTakesNoNewRooms() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        Path dir = BRIDGE.dir();
        Path tone = dir.resolve("tone.wav");
        Sox.tone(tone, 440, 30, "u-law");
        Sipp running = Sipp.start(dir, "running", "uac_stream.xml", Map.of("FILE", tone.toString(), "HOLD_MS", "12000"),
                bridge, "2000");
        bridge.awaitLog("joined room 2000", Duration.ofSeconds(10));
        assertEquals("SIP/2.0 200 OK", SipProbe.options(bridge, "127.0.0.1"));

        assertEquals(401, call("POST", null).statusCode());
        assertEquals(200, call("POST", "t0ken").statusCode());
        String drained = SipProbe.options(bridge, "127.0.0.1");
        assertTrue(drained != null && drained.startsWith("SIP/2.0 503"), "OPTIONS while drained: " + drained);
        assertTrue(bridge.get("/health").body().contains("\"draining\""), bridge.get("/health").body());

        Sipp newRoom = Sipp.start(dir, "new-room", "uac_rejected.xml", Map.of("CODE", "503", "PAYLOAD", "0"),
                bridge, "1000");
        assertEquals(0, newRoom.await(Duration.ofSeconds(20)), "a room not active here: 503\n" + newRoom.report());
        Sipp sameRoom = Sipp.start(dir, "same-room", "uac_stream.xml",
                Map.of("FILE", tone.toString(), "HOLD_MS", "1000"), bridge, "2000");
        assertEquals(0, sameRoom.await(Duration.ofSeconds(20)), "a running conference takes callers\n" + sameRoom.report());
        bridge.awaitLogCount("joined room 2000", 2, Duration.ofSeconds(5));
        assertEquals(0, running.await(Duration.ofSeconds(30)), "the running call went on\n" + running.report());

        assertEquals(200, call("DELETE", "t0ken").statusCode());
        assertEquals("SIP/2.0 200 OK", SipProbe.options(bridge, "127.0.0.1"));
        assertTrue(bridge.get("/health").body().contains("\"up\""));
    }

    private static HttpResponse<String> call(String method, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + BRIDGE.process().httpPort
                + "/api/drain")).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
