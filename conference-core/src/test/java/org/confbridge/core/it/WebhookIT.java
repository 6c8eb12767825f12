package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signed webhooks: a support system's endpoint (an HTTP server in the test) gets every session
 * event as JSON with a unique id, a current timestamp and a verifiable HMAC-SHA256 signature over
 * both (so nothing can be replayed or forged), in order, although it refuses the first
 * delivery (the bridge retries); the last event names the session's files.
 */
class WebhookIT {
    private static final String SECRET = "hook-s3cret-of-16-bytes";
    private static final List<String> BODIES = new CopyOnWriteArrayList<>();
    private static final List<String> SIGNATURES = new CopyOnWriteArrayList<>();
    private static final List<String> TIMESTAMPS = new CopyOnWriteArrayList<>();
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static final HttpServer SERVER = server();

    private static HttpServer server() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (REQUESTS.incrementAndGet() == 1) {
                    exchange.sendResponseHeaders(503, -1); // the first delivery fails: it must be retried
                } else {
                    BODIES.add(new String(body, StandardCharsets.UTF_8));
                    SIGNATURES.add(exchange.getRequestHeaders().getFirst("X-Confbridge-Signature"));
                    TIMESTAMPS.add(exchange.getRequestHeaders().getFirst("X-Confbridge-Timestamp"));
                    exchange.sendResponseHeaders(204, -1);
                }
                exchange.close();
            });
            s.start();
            return s;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "name = Hooked\nannounceJoinLeave = false\n"),
            Map.of("events.webhookUrl", "http://127.0.0.1:" + SERVER.getAddress().getPort() + "/hook",
                    "events.webhookSecret", SECRET));

    @AfterAll
    static void stopServer() {
        SERVER.stop(0);
    }

    @Test
    void everySessionEventArrivesSignedAndInOrder() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        try (RtpPeer phone = new RtpPeer()) {
            Sipp call = Sipp.start(BRIDGE.dir(), "caller", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(phone.port()), "DTMF_PT", "101", "HOLD_MS", "3000"), bridge, "1000");
            assertEquals(0, call.await(Duration.ofSeconds(20)), call.report());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (BODIES.stream().noneMatch(b -> b.contains("\"session-ended\"")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        ObjectMapper json = new ObjectMapper();
        List<String> types = BODIES.stream().map(b -> {
            try {
                return json.readTree(b).get("type").asText();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertEquals(List.of("session-started", "participant-joined", "participant-left", "session-ended"), types,
                "in order, the refused first one retried: " + BODIES);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        java.util.Set<String> ids = new java.util.HashSet<>();
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < BODIES.size(); i++) {
            long timestamp = Long.parseLong(TIMESTAMPS.get(i));
            assertTrue(Math.abs(now - timestamp) < 120, "a current timestamp: " + timestamp);
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(
                    (timestamp + "." + BODIES.get(i)).getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, SIGNATURES.get(i), "signature over timestamp and body of " + types.get(i));
            String id = json.readTree(BODIES.get(i)).path("id").asText();
            assertTrue(id.matches("[0-9a-f]{32}") && ids.add(id), "a unique id per event: " + BODIES);
        }
        JsonNode joined = json.readTree(BODIES.get(1));
        assertEquals("1000", joined.get("room").asText());
        assertEquals("Peer", joined.get("displayName").asText());
        JsonNode ended = json.readTree(BODIES.get(3));
        assertTrue(ended.get("sessionJson").asText().endsWith("session.json") && ended.get("report").asText()
                .endsWith("report.html"), ended.toString());
        assertTrue(bridge.metric("bridge_webhooks_total{result=\"delivered\"}") >= 4);
    }
}
