package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.confbridge.media.ice.StunMessage;
import org.confbridge.media.testing.BrowserPeer;
import org.confbridge.media.testing.Tone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The join listener as an attacker meets it, from other loopback addresses: a 100 KB offer, an
 * offer with 50 media sections, garbage, and a burst of offers beyond the per-source limits get
 * their answers (413, 400, 503), one WARN each, no stack trace, and the listener serves on.
 */
class HostileJoinIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void hostileOffersAreAnsweredAndCountedAndHarmNothing() throws Exception {
        int joinPort = FreePorts.udpAndTcp();
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("2000", "name = Beratung\n"),
                Map.of("join.port", String.valueOf(joinPort), "admin.token", "s3cret",
                        "security.callsPerSecondPerSource", "1", "security.callBurstPerSource", "3"))) {
            var minted = bridge.post("/api/rooms/2000/links", "s3cret", "{}");
            String path = URI.create(new ObjectMapper().readTree(minted.body()).get("url").asText()).getPath();

            String huge = "v=0\r\n" + "a=x:" + "y".repeat(100_000) + "\r\n";
            assertEquals(413, post("127.0.0.2", joinPort, path, "application/sdp", huge), "an offer of 100 KB");
            String sections = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                    + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n".repeat(50);
            assertEquals(400, post("127.0.0.3", joinPort, path, "application/sdp", sections), "50 media sections");
            assertEquals(400, post("127.0.0.3", joinPort, path, "application/sdp", "\u0000\u0001garbage\r\n"), "garbage");
            List<Integer> burst = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                burst.add(post("127.0.0.4", joinPort, path, "application/sdp", "v=0\r\n"));
            }
            assertTrue(burst.contains(503), "beyond the burst a source gets 503: " + burst);
            assertEquals(404, post("127.0.0.5", joinPort, "/join/AAAAAAAAAAAAAAAAAAAAAA", "application/sdp", "v=0\r\n"));

            // The listener serves on, and the log has a line a refusal, never a trace or the bytes.
            assertEquals(400, post("127.0.0.6", joinPort, path, "application/sdp", "v=0\r\n"));
            String log = bridge.log();
            assertTrue(log.contains("join POST from 127.0.0.4 refused (503)"), "the burst is logged");
            assertTrue(log.contains("join POST from 127.0.0.2 refused (413)"), "the oversized offer is logged");
            assertFalse(log.contains("Exception") || log.contains("\tat "), "no stack trace");
            assertFalse(log.contains("yyyyyyyyyy"), "never the offer's bytes");
        }
    }

    /**
     * A browser leg's port under fire from another address: thousands of connectivity checks signed
     * with a guessed password, DTLS records and SRTP-looking packets. Each is refused and counted, the
     * leg says so once, and the real browser still passes its check, its handshake, and talks.
     */
    @Test
    void aFloodAtABrowsersPortIsCountedAndTheBrowserStillJoins() throws Exception {
        int joinPort = FreePorts.udpAndTcp();
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("2000", "name = Beratung\n"),
                Map.of("join.port", String.valueOf(joinPort), "admin.token", "s3cret"));
             BrowserPeer browser = new BrowserPeer("127.0.0.1");
             BrowserPeer attacker = new BrowserPeer("127.0.0.7");
             DatagramSocket raw = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.7"), 0))) {
            var minted = bridge.post("/api/rooms/2000/links", "s3cret", "{}");
            String url = new ObjectMapper().readTree(minted.body()).get("url").asText();
            var answered = JoinOffer.post(url, browser);
            assertEquals(201, answered.statusCode(), answered.body());
            InetSocketAddress leg = JoinOffer.candidate(answered.body());
            String ufrag = JoinOffer.value(answered.body(), "a=ice-ufrag:");
            double refusedBefore = bridge.metric("bridge_rtp_packets_dropped_total{reason=\"ice-dtls-refused\"}");

            // The attacker knows the port and the ufrag (both in the answer, were it to see one), not the password.
            StunMessage refused = attacker.check(leg, ufrag, "guessedguessedguessed00", true);
            assertEquals(StunMessage.BINDING_ERROR, refused.type(), "a wrong password gets 401");
            byte[] dtls = new byte[200];
            byte[] srtp = new byte[172];
            new SecureRandom().nextBytes(dtls);
            new SecureRandom().nextBytes(srtp);
            dtls[0] = 22; // a handshake record
            dtls[1] = (byte) 0xFE;
            dtls[2] = (byte) 0xFD;
            srtp[0] = (byte) 0x80;
            srtp[1] = 111;
            // A leg reads at most 16 datagrams a tick (800 a second): a faster flood costs the room
            // nothing more, the kernel drops the rest. This one stays under that, so each is seen.
            for (int i = 0; i < 1000; i++) {
                raw.send(new DatagramPacket(dtls, dtls.length, leg));
                raw.send(new DatagramPacket(srtp, srtp.length, leg));
                Thread.sleep(3);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (bridge.metric("bridge_rtp_packets_dropped_total{reason=\"ice-dtls-refused\"}") - refusedBefore < 900
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            double counted = bridge.metric("bridge_rtp_packets_dropped_total{reason=\"ice-dtls-refused\"}") - refusedBefore;
            assertTrue(counted >= 900, "the attacker's STUN and DTLS are counted: " + counted);

            // The real browser, after all that: its check, its handshake, its media.
            assertNotNull(browser.check(leg, ufrag, JoinOffer.value(answered.body(), "a=ice-pwd:"), true));
            browser.handshake(leg, JoinOffer.value(answered.body(), "a=fingerprint:"));
            byte[][] frames = browser.encodeOpus(Tone.sine(440, 48000, 48000, 12000), 50);
            for (byte[] frame : frames) {
                browser.sendOpusFrame(leg, frame);
                Thread.sleep(20);
            }
            assertTrue(bridge.metric("bridge_rtp_packets_in_total") >= 40, "the browser's media arrived");
            String log = bridge.log();
            assertEquals(1, log.lines().filter(l -> l.contains("STUN or DTLS from /127.0.0.7")).count(),
                    "one WARN line for the flood:\n" + log);
            assertFalse(log.contains("Exception") || log.contains("\tat "), "no stack trace");
        }
    }

    /** A POST with a body from {@code local}, as a raw HTTP/1.1 request; the response status. */
    private static int post(String local, int port, String path, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: " + type
                    + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(bytes);
            } catch (IOException e) {
                // refused before the body was read: the status is already on its way
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                head.write(c);
            }
            String status = head.toString(StandardCharsets.US_ASCII);
            return Integer.parseInt(status.split(" ")[1]);
        }
    }
}
