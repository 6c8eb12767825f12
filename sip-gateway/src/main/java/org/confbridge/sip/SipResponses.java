package org.confbridge.sip;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the gateway answers: statefully where a transaction can be had, statelessly otherwise;
 * rejections with their reason and meters; our Contact; the RFC's answers to requests that lack
 * what they must carry; and what a request says about where it came from.
 */
final class SipResponses {
    private static final Logger log = LoggerFactory.getLogger(SipResponses.class);

    private final SipStackHost host;
    private final SipSettings settings;
    private final SipMetrics metrics;
    private final String advertisedAddress;
    private final LocalAddresses local;

    SipResponses(SipStackHost host, SipSettings settings, SipMetrics metrics, LocalAddresses local) {
        this.host = host;
        this.settings = settings;
        this.metrics = metrics;
        this.advertisedAddress = local.fallback();
        this.local = local;
    }

    Response create(int status, Request request) throws java.text.ParseException {
        return host.messages().createResponse(status, request);
    }

    /** The request's server transaction, made if needed; null for a retransmission the stack handles. */
    ServerTransaction serverTransaction(RequestEvent event) throws SipException {
        ServerTransaction st = event.getServerTransaction();
        if (st != null) {
            return st;
        }
        try {
            return host.provider().getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null;
        }
    }

    /** Responds statefully when a transaction can be had, else statelessly. */
    void respond(RequestEvent event, Response response) throws SipException {
        ServerTransaction st = serverTransaction(event);
        if (st != null) {
            try {
                st.sendResponse(response);
            } catch (InvalidArgumentException e) {
                throw new SipException(e.getMessage(), e);
            }
        } else {
            host.provider().sendResponse(response);
        }
    }

    /** Answers if at all possible; never throws (the answer to a request we failed on). */
    void tryRespond(RequestEvent event, int status, String reason) {
        Request request = event.getRequest();
        if (request.getMethod().equals(Request.ACK)) {
            return;
        }
        try {
            Response r = create(status, request);
            if (reason != null) {
                r.setReasonPhrase(reason);
            }
            if (event.getServerTransaction() == null) {
                host.provider().sendResponse(r); // a transaction may be what failed: answer statelessly
            } else {
                respond(event, r);
            }
        } catch (Exception e) {
            log.debug("could not send {}: {}", status, e.toString());
        }
    }

    /** A final answer to an INVITE with its reason (and Retry-After), counted. */
    void reject(ServerTransaction st, int status, String reason, int retryAfterSeconds) throws Exception {
        Response r = create(status, st.getRequest());
        if (reason != null && !reason.isEmpty()) {
            r.setReasonPhrase(reason);
        }
        if (retryAfterSeconds > 0) {
            r.addHeader(host.headers().createRetryAfterHeader(retryAfterSeconds));
        }
        if (status == Response.NOT_ACCEPTABLE_HERE && reason != null && !reason.isEmpty()) {
            r.addHeader(host.headers().createWarningHeader(advertisedAddress, 399, reason.replace('"', '\'')));
        }
        st.sendResponse(r);
        metrics.callResult(status);
    }

    /** 302 Moved Temporarily with {@code contact} (a SIP URI) as where to call instead. */
    void redirect(ServerTransaction st, String contact) throws Exception {
        Response r = create(Response.MOVED_TEMPORARILY, st.getRequest());
        r.addHeader(host.headers().createContactHeader(host.addresses().createAddress(host.addresses().createURI(contact))));
        st.sendResponse(r);
        metrics.callResult(Response.MOVED_TEMPORARILY);
    }

    /** 488 with a Warning that says why the offer was not usable. */
    void rejectSdp(ServerTransaction st, String problem, String callId) throws Exception {
        Response r = create(Response.NOT_ACCEPTABLE_HERE, st.getRequest());
        r.addHeader(host.headers().createWarningHeader(advertisedAddress, 399, problem.replace('"', '\'')));
        st.sendResponse(r);
        metrics.callResult(Response.NOT_ACCEPTABLE_HERE);
        log.info("call {} rejected 488: {}", callId, problem);
    }

    /**
     * RFC 3261 8.2.2 and 16.3: a request without Max-Forwards, or an INVITE without Contact, gets
     * 400 naming the header; Max-Forwards 0 gets 483. Answered statelessly: no transaction or
     * dialog is made of it. Returns whether the request was refused.
     */
    boolean refusedAsMalformed(Request request) throws Exception {
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        String problem = null;
        int status = Response.BAD_REQUEST;
        if (mf == null) {
            problem = "Missing Max-Forwards header";
        } else if (request.getMethod().equals(Request.INVITE) && request.getHeader(ContactHeader.NAME) == null) {
            problem = "Missing Contact header";
        } else if (mf.getMaxForwards() == 0 && !request.getMethod().equals(Request.OPTIONS)) {
            problem = "Too Many Hops";
            status = Response.TOO_MANY_HOPS;
        }
        if (problem == null) {
            return false;
        }
        InputErrors.reject("bad-request", peer(request), request.getMethod() + ": " + problem);
        Response r = create(status, request);
        r.setReasonPhrase(status == Response.BAD_REQUEST ? "Bad Request (" + problem + ")" : problem);
        host.provider().sendResponse(r);
        return true;
    }

    /** Our Contact for a transport ({@code transport=} for anything but UDP). */
    /**
     * Our Contact for a request that came over {@code transport}: the port of that transport, and
     * over TLS a {@code sips:} URI when the request's was one (RFC 5630), else {@code transport=tls}.
     */
    ContactHeader contact(String transport, Request request) throws java.text.ParseException {
        SipURI uri = host.addresses().createSipURI("conference", hostForUri(local.toward(sourceAddress(request))));
        uri.setPort(settings.portOf(transport));
        boolean sips = request.getRequestURI().isSipURI() && ((SipURI) request.getRequestURI()).isSecure();
        if (sips && "tls".equalsIgnoreCase(transport)) {
            uri.setSecure(true);
        } else if (!"udp".equalsIgnoreCase(transport)) {
            uri.setTransportParam(transport.toLowerCase(Locale.ROOT));
        }
        Address address = host.addresses().createAddress(uri);
        return host.headers().createContactHeader(address);
    }

    static String hostForUri(String address) {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    static String transportOf(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport();
    }

    static String callId(javax.sip.message.Message message) {
        CallIdHeader h = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
        return h == null ? "?" : h.getCallId();
    }

    /** The source address of the request's packets (or connection). */
    static InetAddress sourceAddress(Request request) {
        return ((gov.nist.javax.sip.message.SIPMessage) request).getRemoteAddress();
    }

    /** The source as a log line may name it. */
    static String peer(Request request) {
        gov.nist.javax.sip.message.SIPMessage m = (gov.nist.javax.sip.message.SIPMessage) request;
        return (m.getRemoteAddress() == null ? "?" : m.getRemoteAddress().getHostAddress()) + ":" + m.getRemotePort();
    }

    /** Each Via from the top as its received parameter, else its host: where each hop says it sent from. */
    static List<String> viaHosts(Request request) {
        List<String> hosts = new ArrayList<>();
        for (ListIterator<?> it = request.getHeaders(ViaHeader.NAME); it.hasNext(); ) {
            ViaHeader v = (ViaHeader) it.next();
            hosts.add(v.getReceived() != null ? v.getReceived() : v.getHost());
        }
        return hosts;
    }
}
