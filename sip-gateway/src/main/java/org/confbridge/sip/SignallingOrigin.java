package org.confbridge.sip;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * Where a SIP request came from: the address and port its packets arrived from (over TCP or TLS
 * its connection's) and each Via from the top as the hop below it reported it ({@code received}
 * and {@code rport} where set, else the Via's own host and port). What limits count and what a
 * page-mode MESSAGE must share with its writer's INVITE.
 */
public record SignallingOrigin(InetAddress address, int port, List<String> viaHosts, List<Integer> viaPorts) {
    public SignallingOrigin {
        viaHosts = List.copyOf(viaHosts);
        viaPorts = List.copyOf(viaPorts);
    }

    /** The origin of a request as the stack received it. */
    static SignallingOrigin of(Request request) {
        gov.nist.javax.sip.message.SIPMessage m = (gov.nist.javax.sip.message.SIPMessage) request;
        List<String> hosts = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (ListIterator<?> it = request.getHeaders(ViaHeader.NAME); it.hasNext(); ) {
            ViaHeader v = (ViaHeader) it.next();
            hosts.add(v.getReceived() != null ? v.getReceived() : v.getHost());
            int rport = v.getRPort();
            int port = rport > 0 ? rport : v.getPort();
            ports.add(port > 0 ? port : "tls".equalsIgnoreCase(v.getTransport()) ? 5061 : 5060);
        }
        return new SignallingOrigin(m.getRemoteAddress(), m.getRemotePort(), hosts, ports);
    }
}
