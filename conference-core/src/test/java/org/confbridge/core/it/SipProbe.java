package org.confbridge.core.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** One well-formed out-of-dialog SIP request over UDP, as a load balancer's probe sends it. */
final class SipProbe {
    private SipProbe() {
    }

    /** Sends {@code OPTIONS} from {@code fromIp} and returns the response's status line, or null if none came. */
    static String options(BridgeProcess bridge, String fromIp) throws IOException {
        return options(bridge.sipPort, fromIp, "sip:1000@127.0.0.1:" + bridge.sipPort);
    }

    /** Sends {@code OPTIONS uri} to loopback {@code target} from {@code fromIp}; the status line, or null. */
    static String options(int target, String fromIp, String uri) throws IOException {
        String id = "probe-" + System.nanoTime();
        return statusLine(target, fromIp, port -> "OPTIONS " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + fromIp + ":" + port + ";branch=z9hG4bK" + id + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:probe@" + fromIp + ">;tag=1\r\nTo: <sip:1000@127.0.0.1>\r\n"
                + "Call-ID: " + id + "\r\nCSeq: 1 OPTIONS\r\nContact: <sip:probe@" + fromIp + ":" + port
                + ">\r\nContent-Length: 0\r\n\r\n");
    }

    /**
     * Sends the request {@code message} makes (given the local port) from {@code fromIp}; returns
     * the first response's status line, or null if none came.
     */
    static String statusLine(int target, String fromIp, java.util.function.IntFunction<String> message)
            throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(fromIp), 0))) {
            s.setSoTimeout(3000);
            byte[] b = message.apply(s.getLocalPort()).getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), target));
            byte[] buf = new byte[8192];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            String r = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
            return r.substring(0, r.indexOf('\r'));
        }
    }

    /**
     * Sends an INVITE for {@code room} with {@code sdp} from 127.0.0.1 and returns the final
     * response (status line and headers), or null if none came; the final response is ACKed.
     */
    static String invite(BridgeProcess bridge, String room, String sdp) throws IOException {
        return invite(bridge, room, sdp, "");
    }

    /** As {@link #invite(BridgeProcess, String, String)}, with more header lines (each ending in CRLF). */
    static String invite(BridgeProcess bridge, String room, String sdp, String extraHeaders) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(5000);
            String id = "invite-" + System.nanoTime();
            String via = "Via: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bK" + id + "\r\n";
            String dialog = "From: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:" + room + "@127.0.0.1>\r\nCall-ID: " + id
                    + "\r\n";
            byte[] body = sdp.getBytes(StandardCharsets.US_ASCII);
            String msg = "INVITE sip:" + room + "@127.0.0.1:" + bridge.sipPort + " SIP/2.0\r\n" + via
                    + "Max-Forwards: 70\r\n" + dialog + extraHeaders + "CSeq: 1 INVITE\r\nContact: <sip:probe@127.0.0.1:"
                    + s.getLocalPort() + ">\r\nContent-Type: application/sdp\r\nContent-Length: " + body.length
                    + "\r\n\r\n" + sdp;
            byte[] b = msg.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), bridge.sipPort));
            byte[] buf = new byte[8192];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    return null;
                }
                String r = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
                if (r.startsWith("SIP/2.0 1")) {
                    continue; // provisional
                }
                int toAt = r.indexOf("\r\nTo: ");
                String to = r.substring(toAt + 2, r.indexOf("\r\n", toAt + 2));
                String ack = "ACK sip:" + room + "@127.0.0.1:" + bridge.sipPort + " SIP/2.0\r\n" + via
                        + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=1\r\n" + to + "\r\nCall-ID: " + id
                        + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
                byte[] a = ack.getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(a, a.length, InetAddress.getLoopbackAddress(), bridge.sipPort));
                return r.substring(0, r.indexOf("\r\n\r\n"));
            }
        }
    }

    /** Sends an out-of-dialog MESSAGE to {@code room} from {@code fromIp}; returns the response's status line, or null. */
    static String message(BridgeProcess bridge, String fromIp, String room, String text) throws IOException {
        String id = "msg-" + System.nanoTime();
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return statusLine(bridge.sipPort, fromIp, port -> "MESSAGE sip:" + room + "@127.0.0.1:" + bridge.sipPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + fromIp + ":" + port + ";branch=z9hG4bK" + id + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:someone@" + fromIp + ">;tag=1\r\nTo: <sip:" + room
                + "@127.0.0.1>\r\nCall-ID: " + id + "\r\nCSeq: 1 MESSAGE\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: " + body.length + "\r\n\r\n" + text);
    }
}
