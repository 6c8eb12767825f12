package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The RFC 4475 torture messages sent to the real bridge over UDP: it survives all of them, answers
 * the malformed requests with 400, and never answers with a 5xx (which would mean our code broke).
 */
class SipTortureIT {
    /** Invalid requests (RFC 4475 section 3.1.2) whose defects the stack detects and answers with 400. */
    private static final Set<String> EXPECT_400 = Set.of("badinv01", "clerr", "ncl", "ltgtruri", "lwsruri", "quotbal",
            "scalar02", "mismatch01", "mismatch02");
    private static final List<String> MESSAGES = List.of("badaspec", "badbranch", "baddate", "baddn", "badinv01",
            "badvers", "bcast", "bext01", "bigcode", "clerr", "cparam01", "cparam02", "dblreq", "esc01", "esc02",
            "escnull", "escruri", "insuf", "intmeth", "inv2543", "invut", "longreq", "ltgtruri", "lwsdisp", "lwsruri",
            "lwsstart", "mcl01", "mismatch01", "mismatch02", "mpart01", "multi01", "ncl", "noreason", "novelsc",
            "quotbal", "regaut01", "regbadct", "regescrt", "scalar02", "scalarlg", "sdp01", "semiuri", "transports",
            "trws", "unkscm", "unksm2", "unreason", "wsinv", "zeromf");
    private static final Pattern VIA_PORT = Pattern.compile(
            "(?im)^(?:via|v)\\s*:\\s*SIP\\s*/\\s*2\\.0\\s*/\\s*\\w+\\s+[^;:\\s,]+(?::(\\d+))?");
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:call-id|i)\\s*:\\s*(\\S+)");

    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", ""), Map.of());

    @Test
    void bridgeSurvivesEveryTortureMessageAndRejectsTheMalformed() throws Exception {
        List<String> problems = new ArrayList<>();
        for (String name : MESSAGES) {
            byte[] message;
            try (InputStream in = getClass().getResourceAsStream("/rfc4475/" + name + ".dat")) {
                message = in.readAllBytes();
            }
            String text = new String(message, StandardCharsets.ISO_8859_1);
            // Responses go to the Via's port on the source address (RFC 3261 18.2.2): listen there.
            Matcher via = VIA_PORT.matcher(text);
            int port = via.find() && via.group(1) != null ? Integer.parseInt(via.group(1)) : 5060;
            Matcher cid = CALL_ID.matcher(text);
            String callId = cid.find() ? cid.group(1) : null;
            List<String> responses = exchange(message, port, callId);
            for (String r : responses) {
                if (r.startsWith("SIP/2.0 5")) {
                    problems.add(name + ": server error " + r);
                }
            }
            if (EXPECT_400.contains(name) && responses.stream().noneMatch(r -> r.startsWith("SIP/2.0 400"))) {
                problems.add(name + ": expected 400, got " + responses);
            }
            if (!answersOptions()) {
                problems.add(name + ": bridge no longer answers OPTIONS");
                break;
            }
        }
        assertTrue(BRIDGE.process().alive(), BRIDGE.process().log());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertFalse(BRIDGE.process().log().contains("Exception in thread"), BRIDGE.process().log());
    }

    @Test
    void unsupportedMethodGets405WithAllow() throws Exception {
        String response = request("SUBSCRIBE", "Event: presence\r\n");
        assertTrue(response.startsWith("SIP/2.0 405"), response);
        assertTrue(response.matches("(?s).*\r\nAllow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, MESSAGE\r\n.*"), response);
    }

    /** Sends one datagram from the Via port and returns the first lines of the responses with its Call-ID. */
    private static List<String> exchange(byte[] message, int port, String callId) throws IOException {
        List<String> lines = new ArrayList<>();
        DatagramSocket socket;
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (BindException e) {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            callId = "\0unmatchable";
        }
        try (DatagramSocket s = socket) {
            s.setSoTimeout(600);
            s.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), BRIDGE.process().sipPort));
            byte[] buf = new byte[65536];
            long deadline = System.currentTimeMillis() + 1200;
            while (System.currentTimeMillis() < deadline) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                String r = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
                if (callId != null && r.contains(callId)) {
                    lines.add(r.substring(0, Math.max(0, r.indexOf('\r'))));
                }
            }
        }
        return lines;
    }

    private static boolean answersOptions() throws IOException {
        try {
            return request("OPTIONS", "").startsWith("SIP/2.0 200");
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Sends a well-formed out-of-dialog request to room 1000 and returns the first response. */
    private static String request(String method, String extraHeaders) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(2000);
            String msg = method + " sip:1000@127.0.0.1:" + BRIDGE.process().sipPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bK" + System.nanoTime() + "\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:1000@127.0.0.1>\r\n"
                    + "Call-ID: probe-" + System.nanoTime() + "\r\nCSeq: 1 " + method + "\r\n"
                    + "Contact: <sip:probe@127.0.0.1:" + s.getLocalPort() + ">\r\n" + extraHeaders
                    + "Content-Length: 0\r\n\r\n";
            byte[] b = msg.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), BRIDGE.process().sipPort));
            byte[] buf = new byte[8192];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
        }
    }
}
