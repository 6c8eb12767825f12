package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin API as an attacker meets it, on a bridge started with no {@code admin.token} (the
 * default): every {@code /api/} request needs the token the bridge made, reads included; a page
 * elsewhere can't use an admin's browser (foreign {@code Origin}, a form or text body, a name that
 * rebinds to the bridge's address); monitoring stays open.
 */
class ApiAccessIT {
    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "pin = 1234\n"), Map.of());

    @Test
    void withoutTheTokenNothingUnderApiAnswersButMonitoringDoes() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        assertTrue(bridge.token.matches("[0-9a-f]{32}"), "the bridge made a token: " + bridge.token);
        assertTrue(bridge.log().contains("wrote it to " + BRIDGE.dir().resolve("state").resolve("admin.token")),
                "the log says where it is");
        for (String path : List.of("/api/rooms", "/api/rooms/1000", "/api/rooms/1000/chat", "/api/security/blocked",
                "/api/sessions", "/api/sessions/00ff/mix.wav")) {
            assertEquals(401, bridge.getAnonymous(path).statusCode(), path);
            assertEquals(401, bridge.getWithToken(path, "wrong").statusCode(), path);
        }
        assertEquals(200, bridge.get("/api/rooms/1000").statusCode());
        assertEquals(401, bridge.post("/api/rooms/1000/lock", null, null).statusCode());
        assertEquals(401, bridge.post("/api/rooms/1000/dial", null, "{\"to\":\"sip:x@127.0.0.1\"}").statusCode());
        var dial = bridge.post("/api/rooms/1000/dial", bridge.token, "{\"to\":\"sip:x@127.0.0.1:6379\"}");
        assertEquals(403, dial.statusCode(), "no dialout.allow, no dial-out: " + dial.body());
        assertTrue(dial.body().contains("dialout.allow"), dial.body());
        assertEquals(200, bridge.getAnonymous("/health").statusCode());
        assertEquals(200, bridge.getAnonymous("/metrics").statusCode());
    }

    @Test
    void aPageElsewhereCannotDriveTheAdminsBrowser() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        String self = "127.0.0.1:" + bridge.httpPort;
        String auth = "Authorization: Bearer " + bridge.token + "\r\n";
        // A page's "simple" cross-origin POST: text/plain, foreign Origin, even if the token leaked to it.
        assertEquals(403, status(request("POST", "/api/rooms/1000/lock", self,
                "Origin: http://evil.example\r\nContent-Type: text/plain\r\n" + auth, "x")));
        assertEquals(403, status(request("GET", "/api/rooms/1000", self, "Origin: null\r\n" + auth, null)));
        assertEquals(403, status(request("GET", "/api/rooms/1000", self, "Sec-Fetch-Site: cross-site\r\n" + auth, null)));
        // DNS rebinding: the attacker's name now points at 127.0.0.1; the browser sends that name as Host.
        assertEquals(403, status(request("GET", "/api/rooms/1000", "rebind.attacker.example:" + bridge.httpPort, auth, null)));
        assertEquals(403, status(request("GET", "/", "rebind.attacker.example:" + bridge.httpPort, "", null)));
        // A body that is not JSON: 415, even with the token.
        assertEquals(415, status(request("POST", "/api/rooms/1000/chat", self,
                "Content-Type: application/x-www-form-urlencoded\r\n" + auth, "from=a&text=b")));
        assertEquals(415, status(request("POST", "/api/rooms/1000/chat", self, auth, "{\"from\":\"a\",\"text\":\"b\"}")));
        // The dashboard's own calls: same origin, the token, JSON.
        assertEquals(200, status(request("GET", "/api/rooms/1000", self, "Origin: http://" + self + "\r\n" + auth, null)));
        assertEquals(200, status(request("GET", "/api/rooms", "localhost:" + bridge.httpPort, auth, null)));
        assertEquals(201, status(request("POST", "/api/rooms", self, "Origin: http://" + self + "\r\n" + auth
                + "Content-Type: application/json; charset=utf-8\r\n", "{\"name\":\"from the dashboard\"}")));
        assertEquals(409, status(request("POST", "/api/rooms/1000/lock", self, auth, null)),
                "a bodiless action passes the checks (the room has nobody to lock)");
        assertTrue(bridge.log().contains("refused (403): cross-origin requests are refused"), "one line says why");
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    /** One raw HTTP/1.1 exchange: the Host header as given (an HTTP client would not let a test forge it). */
    private static String request(String method, String path, String host, String headers, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", BRIDGE.process().httpPort), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers
                    + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
