package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-source limits as an attacker meets them, from other loopback addresses: a PIN guesser is
 * refused with 403 after its wrong PINs while a customer at another address gets in; a call
 * flood gets 503 with Retry-After; a misspelled key never opens a room.
 */
class SecurityLimitsIT {
    private static final String GUESSER = "127.0.0.3";
    private static final String CUSTOMER = "127.0.0.4";
    private static final String FLOODER = "127.0.0.5";

    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "pin = 1234\nannounceJoinLeave = false\n",
                "2000", "pin = 1111\nannounceJoinLeave = false\n"),
                Map.of("security.pinFailuresPerSource", "4", "admin.token", "s3cret"));
    static Path tone;

    @BeforeAll
    static void prepare() throws Exception {
        tone = BRIDGE.dir().resolve("tone.wav");
        Sox.tone(tone, 440, 20, "u-law");
    }

    @Test
    void pinGuesserIsBlockedWhileACustomerElsewhereGetsIn() throws Exception {
        for (int call = 0; call < 2; call++) {
            PinGuesser.call(GUESSER, BRIDGE.dir(), "guess-" + call, BRIDGE.process(), "1000", 5550 + call * 3);
        }
        BRIDGE.process().awaitLog("security: " + GUESSER + " blocked", Duration.ofSeconds(5));

        Sipp refused = Sipp.startFrom(GUESSER, BRIDGE.dir(), "guess-refused", "uac_rejected.xml",
                Map.of("CODE", "403", "PAYLOAD", "0"), BRIDGE.process(), "1000");
        assertEquals(0, refused.await(Duration.ofSeconds(15)), "the guesser's next call gets 403\n" + refused.report());

        Sipp customer = Sipp.startFrom(CUSTOMER, BRIDGE.dir(), "customer", "uac_stream_info_pin.xml", Map.of("FILE",
                tone.toString(), "HOLD_MS", "1500", "K1", "1", "K2", "2", "K3", "3", "K4", "4"), BRIDGE.process(), "1000");
        assertEquals(0, customer.await(Duration.ofSeconds(30)), customer.report());
        assertTrue(BRIDGE.process().log().contains("joined room 1000 as participant"), "the customer got in");

        HttpResponse<String> blocked = BRIDGE.process().get("/api/security/blocked");
        assertTrue(blocked.body().contains("\"address\":\"" + GUESSER + "\""), blocked.body());
        assertEquals(1.0, BRIDGE.process().metric("bridge_security_blocked_sources"));
        assertEquals(401, delete("/api/security/blocked/" + GUESSER, null).statusCode());
        assertEquals(200, delete("/api/security/blocked/" + GUESSER, "s3cret").statusCode());
        assertEquals("[]", BRIDGE.process().get("/api/security/blocked").body());
        Sipp again = Sipp.startFrom(GUESSER, BRIDGE.dir(), "unblocked", "uac_stream_info_pin.xml", Map.of("FILE",
                tone.toString(), "HOLD_MS", "500", "K1", "1", "K2", "2", "K3", "3", "K4", "4"), BRIDGE.process(), "1000");
        assertEquals(0, again.await(Duration.ofSeconds(30)), "unblocked, the address may call again\n" + again.report());
    }

    @Test
    void callFloodFromOneAddressGets503WithRetryAfter() throws Exception {
        Map<String, String> statuses = new java.util.TreeMap<>(); // by Call-ID: a 200 is retransmitted until ACKed
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(FLOODER), 0))) {
            s.setSoTimeout(300);
            for (int i = 0; i < 30; i++) {
                byte[] invite = invite(s.getLocalPort(), "flood-" + i + "-" + System.nanoTime());
                s.send(new DatagramPacket(invite, invite.length, InetAddress.getLoopbackAddress(), BRIDGE.process().sipPort));
            }
            byte[] buf = new byte[8192];
            long deadline = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < deadline) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                String r = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
                java.util.regex.Matcher id = java.util.regex.Pattern.compile("\r\nCall-ID: (\\S+)").matcher(r);
                if (!r.startsWith("SIP/2.0 100") && id.find()) {
                    statuses.put(id.group(1), r.substring(0, r.indexOf('\r'))
                            + (r.contains("\r\nRetry-After: ") ? " +Retry-After" : ""));
                }
            }
        }
        long ok = statuses.values().stream().filter(r -> r.startsWith("SIP/2.0 200")).count();
        long busy = statuses.values().stream().filter(r -> r.startsWith("SIP/2.0 503") && r.endsWith("+Retry-After")).count();
        assertEquals(20, ok, "the burst is answered: " + statuses);
        assertEquals(10, busy, "the rest get 503 with Retry-After: " + statuses);
    }

    @Test
    void misspelledPinRejectsTheFileAndTheOldPinStays() throws Exception {
        Files.writeString(BRIDGE.dir().resolve("rooms/2000.properties"), "pim = 4711\nannounceJoinLeave = false\n");
        BRIDGE.process().awaitLog("key 'pim': is not a known key (did you mean 'pin'?)", Duration.ofSeconds(10));
        String room = BRIDGE.process().get("/api/rooms/2000").body();
        assertTrue(room.contains("\"open\":false"), room);
        Sipp caller = Sipp.startFrom("127.0.0.6", BRIDGE.dir(), "old-pin", "uac_stream_info_pin.xml", Map.of("FILE",
                tone.toString(), "HOLD_MS", "500", "K1", "1", "K2", "1", "K3", "1", "K4", "1"), BRIDGE.process(), "2000");
        assertEquals(0, caller.await(Duration.ofSeconds(30)), caller.report());
        BRIDGE.process().awaitLog("joined room 2000 as participant", Duration.ofSeconds(5));
    }

    private static HttpResponse<String> delete(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + BRIDGE.process().httpPort + path)).DELETE();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] invite(int localPort, String callId) {
        String sdp = "v=0\r\no=f 1 1 IN IP4 " + FLOODER + "\r\ns=-\r\nc=IN IP4 " + FLOODER + "\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        String msg = "INVITE sip:1000@127.0.0.1:" + BRIDGE.process().sipPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + FLOODER + ":" + localPort + ";branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:flood@" + FLOODER + ">;tag=f\r\nTo: <sip:1000@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\nContact: <sip:flood@" + FLOODER + ":" + localPort + ">\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
        return msg.getBytes(StandardCharsets.US_ASCII);
    }
}
