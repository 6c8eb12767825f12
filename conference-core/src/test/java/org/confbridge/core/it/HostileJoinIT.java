package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
