package org.confbridge.core.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Malformed and hostile SIP as scanners and fuzzers send it, from other loopback addresses: every
 * defect gets the RFC's answer (400 naming the header, 483) or is dropped, never 500; thousands of
 * mutated messages leave the bridge answering OPTIONS with no ERROR and no stack trace in its log;
 * sipvicious's svmap and svwar scan it while a call goes on undisturbed.
 */
class HostileSipIT {
    private static final String ATTACKER = "127.0.0.7";
    private static final String FUZZER = "127.0.0.8";
    private static final String SCANNER = "127.0.0.9";

    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "announceJoinLeave = false\n"), Map.of());

    @Test
    void malformedRequestsGetTheRfcAnswerAndOneLine() throws Exception {
        try (DatagramSocket s = socket(ATTACKER)) {
            String noContact = request(s, "INVITE", "9999", "Max-Forwards: 70\r\n", false);
            assertEquals("SIP/2.0 400 Bad Request (Missing Contact header)", firstLine(exchange(s, noContact)));
            String noMaxForwards = request(s, "OPTIONS", "1000", "", true);
            assertEquals("SIP/2.0 400 Bad Request (Missing Max-Forwards header)", firstLine(exchange(s, noMaxForwards)));
            String loop = request(s, "INVITE", "9999", "Max-Forwards: 0\r\n", true);
            assertEquals("SIP/2.0 483 Too Many Hops", firstLine(exchange(s, loop)));

            String noCseq = request(s, "OPTIONS", "1000", "Max-Forwards: 70\r\n", true).replaceFirst("CSeq: [^\r]*\r\n", "");
            assertNull(exchange(s, noCseq), "no answer without CSeq: a response must copy it");
            String badPort = request(s, "OPTIONS", "1000", "Max-Forwards: 70\r\n", true)
                    .replace("Via: SIP/2.0/UDP " + ATTACKER + ":" + s.getLocalPort(), "Via: SIP/2.0/UDP " + ATTACKER + ":99999");
            String answer = exchange(s, badPort);
            assertTrue(answer == null || answer.startsWith("SIP/2.0 400"), "Via port out of range: " + answer);
            String huge = request(s, "OPTIONS", "1000", "Max-Forwards: 70\r\nX-Padding: " + "a".repeat(60_000) + "\r\n", true);
            assertNull(exchange(s, huge), "an oversized message is dropped");
            // A fuzzing suite's favourites: NUL bytes, a CRLF that forges a log line, a terminal escape.
            String nul = request(s, "INVITE", "1000", "Max-Forwards: 70\r\nUser-Agent: ua\u001b[2J\u0000\u0000\r\n", true)
                    .replaceFirst("Call-ID: ([^\r]*)", "Call-ID: $1\u0000\u0000\u0000x")
                    .replace("From: <sip:probe@", "From: \"Eve\u0000\u0007\" <sip:probe\u0000@");
            exchange(s, nul);
            String opts = request(s, "OPTIONS", "1\u0000\u001b000", "Max-Forwards: 70\r\n", true);
            exchange(s, opts);
        }
        assertTrue(answersOptions(), "still serving");
        String log = BRIDGE.process().log();
        assertTrue(log.contains("rejected (missing-header): no CSeq header"), "one line says why");
        assertTrue(BRIDGE.process().metric("bridge_sip_requests_rejected_total{reason=\"too-large\"}") >= 1);
        assertTrue(BRIDGE.process().metric("bridge_sip_requests_rejected_total{reason=\"missing-header\"}") >= 1);
        assertTrue(BRIDGE.process().metric("bridge_sip_requests_rejected_total{reason=\"bad-header\"}") >= 1);
        assertTrue(BRIDGE.process().metric("bridge_sip_requests_rejected_total{reason=\"bad-request\"}") >= 3);
        assertQuietLog(log);
    }

    @Test
    void tcpConnectionsFromOneAddressAreBounded() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                Socket t = new Socket();
                t.bind(new InetSocketAddress("127.0.0.10", 0));
                t.connect(new InetSocketAddress("127.0.0.1", BRIDGE.process().sipPort), 2000);
                t.setSoTimeout(300);
                sockets.add(t);
            }
            Thread.sleep(500);
            int closed = 0;
            for (Socket t : sockets) {
                try {
                    if (t.getInputStream().read() < 0) {
                        closed++;
                    }
                } catch (SocketTimeoutException e) {
                    // open and idle
                } catch (IOException e) {
                    closed++;
                }
            }
            assertEquals(10, closed, "connections beyond 20 from one address are closed at once");
        } finally {
            for (Socket t : sockets) {
                t.close();
            }
        }
        assertTrue(BRIDGE.process().metric("bridge_sip_requests_rejected_total{reason=\"tcp-connections\"}") >= 10);
        assertQuietLog(BRIDGE.process().log());
    }

    @Test
    void thousandsOfMutatedMessagesNeverBreakTheBridge() throws Exception {
        List<String> seeds = seeds();
        SipMutator mutator = new SipMutator(4475);
        Map<String, Integer> statuses = new TreeMap<>();
        int sent = 0;
        try (DatagramSocket s = socket(FUZZER)) {
            s.setSoTimeout(1);
            byte[] buf = new byte[65536];
            for (int i = 0; i < 4000; i++) {
                String seed = seeds.get(i % seeds.size()).replace("@PORT@", String.valueOf(s.getLocalPort()))
                        .replace("@ID@", "fuzz-" + i);
                byte[] msg = mutator.mutate(seed);
                s.send(new DatagramPacket(msg, msg.length, InetAddress.getLoopbackAddress(), BRIDGE.process().sipPort));
                sent++;
                if (i % 50 == 49) {
                    Thread.sleep(20); // about 2,500 messages a second: a scanner's pace, not a flood
                }
                drain(s, buf, statuses);
            }
            s.setSoTimeout(300);
            drain(s, buf, statuses);
        }
        int overTcp = fuzzOverTcp(seeds, mutator, statuses);
        assertTrue(BRIDGE.process().alive(), "the bridge lives");
        assertTrue(answersOptions(), "the bridge answers OPTIONS after " + sent + " UDP and " + overTcp
                + " TCP messages; responses: " + statuses);
        assertFalse(statuses.keySet().stream().anyMatch(k -> k.startsWith("SIP/2.0 500")), "no 500: " + statuses);
        assertTrue(statuses.keySet().stream().anyMatch(k -> k.startsWith("SIP/2.0 400")), "400s seen: " + statuses);
        assertQuietLog(BRIDGE.process().log());
    }

    @Test
    void svmapAndSvwarScanWhileACallGoesOn() throws Exception {
        Path tone = BRIDGE.dir().resolve("tone.wav");
        Sox.tone(tone, 440, 60, "u-law");
        String port = String.valueOf(BRIDGE.process().sipPort);
        try (RtpPeer listener = new RtpPeer()) {
            // Calls that last until the bridge hangs them up, however long the scans take: svwar's
            // INVITEs without SDP to room 1000 are late offers the bridge answers (and then waits for
            // their ACK), so the scans take longer than refused ones did.
            Sipp talker = Sipp.start(BRIDGE.dir(), "talker", "uac_stream_wait_bye.xml",
                    Map.of("FILE", tone.toString(), "WAIT_MS", "120000"), BRIDGE.process(), "1000");
            BRIDGE.process().awaitLog("joined room 1000", Duration.ofSeconds(10));
            Sipp listening = Sipp.start(BRIDGE.dir(), "listener", "uac_media_elsewhere_wait_bye.xml",
                    Map.of("PEER_PORT", String.valueOf(listener.port()), "DTMF_PT", "101", "WAIT_MS", "120000"),
                    BRIDGE.process(), "1000");
            listener.sendTone(new InetSocketAddress("127.0.0.1", listening.answeredMediaPort(Duration.ofSeconds(10))), 1000, 100);
            List<Process> scans = List.of(
                    start("svmap", "-b", SCANNER, "-x", SCANNER, "-p", port, "127.0.0.1"),
                    start("svmap", "-b", SCANNER, "-x", SCANNER, "-p", port, "-m", "INVITE", "127.0.0.1"),
                    start("svwar", "-b", SCANNER, "-x", SCANNER, "-p", port, "-e", "900-1100", "-m", "INVITE",
                            "127.0.0.1"),
                    start("svwar", "-b", SCANNER, "-x", SCANNER, "-p", port, "-e", "1-3000", "-m", "REGISTER",
                            "127.0.0.1"));
            Thread.sleep(1500);
            int from = listener.received().length;
            Thread.sleep(3000);
            Heard.since("the listener, during the scans,", listener.received(), from).hears(440, 5000, "the talker");
            for (Process scan : scans) {
                if (!scan.waitFor(60, TimeUnit.SECONDS)) {
                    scan.destroyForcibly();
                }
            }
            assertTrue(answersOptions(), "serving after the scans");
            from = listener.received().length;
            Thread.sleep(1500);
            Heard.since("the listener, after the scans,", listener.received(), from).hears(440, 5000, "the talker");
            // The room ends: both calls get the bridge's BYE and answer it.
            BridgeProcess bridge = BRIDGE.process();
            for (JsonNode p : new ObjectMapper().readTree(bridge.get("/api/rooms/1000").body()).get("participants")) {
                assertEquals(200, bridge.post("/api/rooms/1000/participants/" + p.get("leg").asText() + "/kick",
                        bridge.token, null).statusCode());
            }
            assertEquals(0, listening.await(Duration.ofSeconds(20)), listening.report());
            assertEquals(0, talker.await(Duration.ofSeconds(20)), talker.report());
        }
        assertQuietLog(BRIDGE.process().log());
    }

    private static Process start(String... cmd) throws IOException {
        return new ProcessBuilder(cmd).directory(BRIDGE.dir().toFile()).redirectErrorStream(true)
                .redirectOutput(BRIDGE.dir().resolve(cmd[0] + "-" + System.nanoTime() + ".log").toFile()).start();
    }

    /** No ERROR line, no stack trace, no dumped bytes: a scan must not be able to fill the disk. */
    private static void assertQuietLog(String log) {
        for (String line : log.split("\n")) {
            assertFalse(line.contains(" ERROR "), line);
            assertFalse(line.startsWith("\tat ") || line.contains("Exception in thread"), line);
            assertFalse(line.matches(".*\\[-?\\d+, -?\\d+, -?\\d+.*"), "raw bytes in the log: " + line);
            assertFalse(line.chars().anyMatch(c -> (c < 0x20 && c != '\t') || (c >= 0x7F && c < 0xA0)),
                    "control characters in the log: " + line.replaceAll("\\p{Cntrl}", "^"));
            assertTrue(line.length() < 4000, "a log line of " + line.length() + " characters");
        }
    }

    private static int fuzzOverTcp(List<String> seeds, SipMutator mutator, Map<String, Integer> statuses)
            throws IOException {
        int sent = 0;
        for (int conn = 0; conn < 10; conn++) {
            try (Socket t = new Socket()) {
                t.bind(new InetSocketAddress(FUZZER, 0));
                t.connect(new InetSocketAddress("127.0.0.1", BRIDGE.process().sipPort), 2000);
                t.setSoTimeout(200);
                OutputStream out = t.getOutputStream();
                for (int i = 0; i < 30; i++) {
                    String seed = seeds.get((conn * 30 + i) % seeds.size()).replace("SIP/2.0/UDP", "SIP/2.0/TCP")
                            .replace("@PORT@", String.valueOf(t.getLocalPort())).replace("@ID@", "tcp-" + conn + "-" + i);
                    try {
                        out.write(mutator.mutate(seed));
                        out.flush();
                        sent++;
                    } catch (IOException e) {
                        break; // the bridge closed a connection that sent garbage: fine
                    }
                }
                InputStream in = t.getInputStream();
                byte[] buf = new byte[65536];
                try {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        for (String part : new String(buf, 0, n, StandardCharsets.ISO_8859_1).split("(?=SIP/2\\.0 \\d{3})")) {
                            if (part.startsWith("SIP/2.0 ")) {
                                statuses.merge(firstLine(part), 1, Integer::sum);
                            }
                        }
                    }
                } catch (IOException e) {
                    // read timeout or reset: done with this connection
                }
            }
        }
        return sent;
    }

    private static void drain(DatagramSocket s, byte[] buf, Map<String, Integer> statuses) throws IOException {
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return;
            }
            String r = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
            statuses.merge(firstLine(r), 1, Integer::sum);
        }
    }

    private static List<String> seeds() {
        String sdp = "v=0\r\no=f 1 1 IN IP4 " + FUZZER + "\r\ns=-\r\nc=IN IP4 " + FUZZER + "\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\na=ptime:20\r\n";
        List<String> seeds = new ArrayList<>();
        for (String method : new String[] {"INVITE", "OPTIONS", "BYE", "INFO", "REGISTER", "CANCEL", "ACK", "MESSAGE",
                "SUBSCRIBE"}) {
            String body = method.equals("INVITE") ? sdp : method.equals("INFO") ? "Signal=5\r\nDuration=160\r\n"
                    : method.equals("MESSAGE") ? "hello" : "";
            String type = method.equals("INVITE") ? "application/sdp" : method.equals("INFO")
                    ? "application/dtmf-relay" : "text/plain";
            seeds.add(method + " sip:9999@127.0.0.1:" + BRIDGE.process().sipPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + FUZZER + ":@PORT@;rport;branch=z9hG4bK@ID@\r\n"
                    + "Max-Forwards: 70\r\nFrom: \"Fuzz\" <sip:fuzz@" + FUZZER + ">;tag=f1\r\n"
                    + "To: <sip:9999@127.0.0.1>\r\nCall-ID: @ID@@" + FUZZER + "\r\nCSeq: 1 " + method + "\r\n"
                    + "Contact: <sip:fuzz@" + FUZZER + ":@PORT@>\r\nUser-Agent: fuzz/1.0\r\n"
                    + (body.isEmpty() ? "" : "Content-Type: " + type + "\r\n")
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        }
        return seeds;
    }

    private static boolean answersOptions() throws IOException {
        return "SIP/2.0 200 OK".equals(SipProbe.options(BRIDGE.process(), "127.0.0.1"));
    }

    private static DatagramSocket socket(String ip) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ip), 0));
        s.setSoTimeout(1500);
        return s;
    }

    /** A request from the socket's address, with the given extra headers; Contact only when asked. */
    private static String request(DatagramSocket s, String method, String user, String extra, boolean contact) {
        String ip = s.getLocalAddress().getHostAddress();
        String id = "hostile-" + System.nanoTime();
        return method + " sip:" + user + "@127.0.0.1:" + BRIDGE.process().sipPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + ip + ":" + s.getLocalPort() + ";branch=z9hG4bK" + id + "\r\n"
                + extra + "From: <sip:probe@" + ip + ">;tag=1\r\nTo: <sip:" + user + "@127.0.0.1>\r\n"
                + "Call-ID: " + id + "\r\nCSeq: 1 " + method + "\r\n"
                + (contact ? "Contact: <sip:probe@" + ip + ":" + s.getLocalPort() + ">\r\n" : "")
                + "Content-Length: 0\r\n\r\n";
    }

    /** Sends one datagram and returns the first final (non-100) response, or null if none came. */
    private static String exchange(DatagramSocket s, String message) throws IOException {
        byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
        s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), BRIDGE.process().sipPort));
        byte[] buf = new byte[65536];
        long deadline = System.currentTimeMillis() + 1500;
        while (System.currentTimeMillis() < deadline) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            String r = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
            if (!r.startsWith("SIP/2.0 100")) {
                return r;
            }
        }
        return null;
    }

    private static String firstLine(String response) {
        if (response == null) {
            return null;
        }
        int end = response.indexOf('\r');
        return end < 0 ? response : response.substring(0, end);
    }
}
