package org.confbridge.sip;

import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;
import java.util.ListIterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.header.CallIdHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * Where the bridge's requests go: as RFC 3261 says (Route, else the Request-URI), except in the
 * dialog of a caller behind NAT without a proxy, whose Contact names a private address nothing
 * reaches; there they go where the caller's requests came from, as its responses do (rport, RFC
 * 3581). Jain-SIP creates it (property {@code javax.sip.ROUTER_PATH}) and asks it for every request.
 */
public final class NatRouter implements Router {
    private final DefaultRouter rfc;
    private final Map<String, Hop> behindNat = new ConcurrentHashMap<>();

    /** The constructor Jain-SIP calls. */
    public NatRouter(SipStack stack, String outboundProxy) {
        this.rfc = new DefaultRouter(stack, outboundProxy);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        if (request.getHeader(javax.sip.header.RouteHeader.NAME) == null) {
            CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
            Hop source = callId == null ? null : behindNat.get(callId.getCallId());
            if (source != null && !Request.CANCEL.equals(request.getMethod())) {
                return source;
            }
        }
        return rfc.getNextHop(request);
    }

    @Override
    public Hop getOutboundProxy() {
        return rfc.getOutboundProxy();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ListIterator getNextHops(Request request) {
        return rfc.getNextHops(request);
    }

    /**
     * Remembers {@code request}'s source for its dialog if it came from behind NAT: its top Via
     * names another host (or, with rport, another port) than the packet came from, and no proxy
     * record-routes (a proxy reaches the caller itself). Returns where they will go, or null.
     */
    Hop remember(Request request) {
        if (request.getHeader(RecordRouteHeader.NAME) != null) {
            return null;
        }
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        if (via == null) {
            return null;
        }
        // The stack has written where the packet came from into the Via (received, rport).
        String source = via.getReceived() != null ? via.getReceived() : via.getHost();
        int sentByPort = via.getPort() > 0 ? via.getPort() : "TLS".equalsIgnoreCase(via.getTransport()) ? 5061 : 5060;
        int port = via.getRPort() > 0 ? via.getRPort() : sentByPort;
        if (source.equals(via.getHost()) && port == sentByPort) {
            return null;
        }
        Hop hop = new HopImpl(source, port, via.getTransport());
        behindNat.put(SipResponses.callId(request), hop);
        return hop;
    }

    /** The dialog is over. */
    void forget(String callId) {
        behindNat.remove(callId);
    }
}
