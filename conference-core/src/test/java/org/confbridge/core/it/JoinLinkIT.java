package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.confbridge.media.ice.StunMessage;
import org.confbridge.media.testing.BrowserPeer;
import org.confbridge.media.testing.Tone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A customer's join link, used as a browser uses it, the browser's media played by a Java peer
 * (ICE checks, DTLS-SRTP, Opus; Chromium itself is BrowserJoinIT's): the API mints the link, the
 * join listener serves the page and takes the offer in WHIP's shape, a phone in the room and the
 * browser hear each other, the API lists the browser as {@code webrtc}, DELETE leaves and frees
 * the port, and a tampered or unknown link gets 404.
 */
class JoinLinkIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aBrowserJoinsFromItsLinkHearsThePhoneAndLeaves() throws Exception {
        int joinPort = FreePorts.udpAndTcp();
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("2000", "name = Beratung\npin = 1234\n"),
                Map.of("join.port", String.valueOf(joinPort), "admin.token", "s3cret"));
             Baresip phone = Baresip.dial(dir, "berater", 1000, "PCMU", bridge, "2000");
             BrowserPeer browser = new BrowserPeer("127.0.0.1")) {
            Baresip.joinAndTalk(bridge, "2000", "1234", phone);

            var minted = bridge.post("/api/rooms/2000/links", "s3cret",
                    "{\"displayName\":\"Kundin <b>\",\"role\":\"participant\",\"expiresMinutes\":30}");
            assertEquals(201, minted.statusCode(), minted.body());
            String url = new ObjectMapper().readTree(minted.body()).get("url").asText();
            assertTrue(url.startsWith("http://127.0.0.1:" + joinPort + "/join/"), url);
            assertEquals(401, bridge.post("/api/rooms/2000/links", null, "{}").statusCode(), "minting needs the token");

            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("\"room\":\"Beratung\"") && page.body().contains("Kundin \\u003cb\\u003e"),
                    "the page knows the room and the name, as data: " + page.body().substring(0, 200));
            assertTrue(page.headers().firstValue("Content-Security-Policy").isPresent());

            String tampered = url.substring(0, url.length() - 2) + (url.endsWith("AA") ? "BB" : "AA");
            assertEquals(404, HTTP.send(HttpRequest.newBuilder(URI.create(tampered)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(404, JoinOffer.post(tampered, browser).statusCode(), "a tampered link opens nothing");
            assertEquals(415, HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            double freeBefore = bridge.metric("bridge_rtp_ports_free");
            HttpResponse<String> answered = JoinOffer.post(url, browser);
            assertEquals(201, answered.statusCode(), answered.body());
            String location = answered.headers().firstValue("Location").orElseThrow();
            String answer = answered.body();
            assertTrue(answer.contains("a=ice-lite") && answer.contains("a=setup:passive"), answer);
            InetSocketAddress leg = JoinOffer.candidate(answer);
            StunMessage checked = browser.check(leg, JoinOffer.value(answer, "a=ice-ufrag:"),
                    JoinOffer.value(answer, "a=ice-pwd:"), true);
            assertNotNull(checked, "the leg answers the browser's check");
            browser.handshake(leg, JoinOffer.value(answer, "a=fingerprint:"));

            JsonNode participant = waitForWebrtc(bridge);
            assertEquals("Kundin <b>", participant.get("displayName").asText());

            // The page's chat: into the room as from its participant, recorded with the session.
            HttpResponse<String> said = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/chat"))
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString("Ich habe eine Frage zur Rechnung.")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, said.statusCode(), said.body());
            String transcript = bridge.get("/api/rooms/2000/chat").body();
            assertTrue(transcript.contains("Ich habe eine Frage zur Rechnung.") && transcript.contains("Kundin <b>"),
                    transcript);
            assertEquals(404, HTTP.send(HttpRequest.newBuilder(URI.create(tampered + "/chat"))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "no chat through a tampered link");

            short[] tone = Tone.sine(440, 48000, 48000 * 4, 12000);
            CompletableFuture<short[]> heard = CompletableFuture.supplyAsync(() -> {
                try {
                    return browser.receiveOpus(2400, new int[1]);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[][] frames = browser.encodeOpus(tone, 200); // ahead: the sending thread only sends
            Thread talker = new Thread(() -> {
                try {
                    long next = System.nanoTime(); // paced by a clock, as a browser sends: no drift
                    for (byte[] frame : frames) {
                        browser.sendOpusFrame(leg, frame);
                        next += 20_000_000L;
                        java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "browser-talker");
            talker.setPriority(Thread.MAX_PRIORITY);
            talker.start();
            Thread.sleep(3000);
            phone.close(); // while the browser still talks: the phone's last seconds hold its voice
            talker.join(10_000);
            phone.conversation("berater").hears(440, 3000, "the browser");
            short[] atBrowser = heard.get(10, java.util.concurrent.TimeUnit.SECONDS);
            double atBrowserLevel = Tone.heardLevel(atBrowser, 0, atBrowser.length, 1000, 48000);
            assertTrue(atBrowser.length >= 5 * 9600 && atBrowserLevel > 2000,
                    "the browser hears the phone's 1000 Hz, in 200 ms blocks: " + atBrowserLevel);

            HttpResponse<String> left = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + joinPort
                    + location)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, left.statusCode());
            bridge.awaitLog("left room 2000", Duration.ofSeconds(5));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            // The phone has hung up too: its port and the browser's are back.
            while (bridge.metric("bridge_rtp_ports_free") < freeBefore + 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(freeBefore + 1, bridge.metric("bridge_rtp_ports_free"), "the browser's port is back");
        }
    }

    private static JsonNode waitForWebrtc(BridgeProcess bridge) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode room = new ObjectMapper().readTree(bridge.get("/api/rooms/2000").body());
            for (JsonNode p : room.path("participants")) {
                if (p.path("transport").asText().equals("webrtc")) {
                    return p;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no webrtc participant in " + bridge.get("/api/rooms/2000").body());
    }
}
