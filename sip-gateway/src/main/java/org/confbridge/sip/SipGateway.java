package org.confbridge.sip;

import gov.nist.javax.sip.header.HeaderFactoryImpl;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TooManyListenersException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.PeerUnavailableException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import io.micrometer.core.instrument.MeterRegistry;
import org.confbridge.sip.sdp.NegotiatedMedia;
import org.confbridge.sip.sdp.SdpAnswer;
import org.confbridge.sip.sdp.SdpException;
import org.confbridge.sip.sdp.SdpNegotiator;
import org.confbridge.sip.sdp.SessionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's SIP side on Jain-SIP: UDP and TCP listening points, INVITE/ACK/BYE/CANCEL,
 * OPTIONS, INFO, and SDP offer/answer. It knows nothing of rooms or audio samples: each new call
 * goes to a {@link CallHandler}, which answers with a local RTP port or a rejection. The listener
 * never blocks; a decision that takes time completes on another thread and is sent from there.
 */
public final class SipGateway implements SipListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SipGateway.class);
    static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO";
    /** A TCP connection with no traffic for this long is closed (calls go on: SIP reconnects when needed). */
    static final long TCP_IDLE_MILLIS = 15 * 60_000L;

    private final SipSettings settings;
    private final CallHandler handler;
    private final SipMetrics metrics;
    private final String advertisedAddress;
    private final SdpNegotiator negotiator;
    private final Map<String, SipCall> calls = new ConcurrentHashMap<>();
    private final long sessionIdBase = ThreadLocalRandom.current().nextLong(1L << 40);
    private volatile boolean draining;

    private SipStack stack;
    private SipProvider provider;
    private MessageFactory messages;
    private HeaderFactory headers;
    private AddressFactory addresses;

    public SipGateway(SipSettings settings, CallHandler handler, MeterRegistry registry) {
        this.settings = settings;
        this.handler = handler;
        this.metrics = new SipMetrics(calls::size);
        this.metrics.bindTo(registry);
        this.advertisedAddress = chooseAdvertisedAddress(settings);
        this.negotiator = new SdpNegotiator(settings.codecs());
    }

    /** The address put into Contact and SDP: configured, else the bind address, else a local one. */
    public String advertisedAddress() {
        return advertisedAddress;
    }

    /** Creates the stack and opens the listening points; throws if a port cannot be bound. */
    public void start() throws SipException {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "confbridge-" + settings.port());
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", JainSipStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", JainSipMessageLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "32");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "8");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // Bounds on what a peer can make the stack hold (TCP: content size, connections, slow senders).
        // One byte more than we accept: the UDP buffer's size, so a datagram cut to it shows as too large.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(CheckedMessageParser.MAX_MESSAGE_BYTES + 1));
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", "1000");
        p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", "5000");
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", SourceLimitedTcpProcessors.class.getName());
        p.setProperty("gov.nist.javax.sip.NIO_MAX_SOCKET_IDLE_TIME", Long.toString(TCP_IDLE_MILLIS));
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "10000");
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", CheckedMessageParser.Factory.class.getName());
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.AUTOMATIC_DIALOG_ERROR_HANDLING", "true");
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        try {
            stack = factory.createSipStack(p);
            messages = factory.createMessageFactory();
            headers = factory.createHeaderFactory();
            addresses = factory.createAddressFactory();
            ((HeaderFactoryImpl) headers).setPrettyEncoding(true);
            ((gov.nist.javax.sip.message.MessageFactoryImpl) messages)
                    .setDefaultServerHeader(headers.createServerHeader(List.of(settings.serverHeader())));
            ((gov.nist.javax.sip.message.MessageFactoryImpl) messages)
                    .setDefaultUserAgentHeader(headers.createUserAgentHeader(List.of(settings.serverHeader())));
            provider = null;
            for (String transport : settings.transports()) {
                ListeningPoint lp = stack.createListeningPoint(settings.bindAddress(), settings.port(), transport);
                if (provider == null) {
                    provider = stack.createSipProvider(lp);
                    provider.addSipListener(this);
                } else {
                    provider.addListeningPoint(lp);
                }
            }
            stack.start();
        } catch (PeerUnavailableException | InvalidArgumentException | ObjectInUseException
                 | TooManyListenersException | java.text.ParseException e) {
            throw new SipException("cannot start SIP on " + settings.bindAddress() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
        log.info("SIP listening on {}:{} ({}), advertising {}", settings.bindAddress(), settings.port(),
                String.join(",", settings.transports()), advertisedAddress);
    }

    /** From now on new calls get 503; existing calls go on until {@link #hangupAll()} or their end. */
    public void drain() {
        draining = true;
    }

    /** Sends BYE to (or rejects) every call. */
    public void hangupAll() {
        for (SipCall call : new ArrayList<>(calls.values())) {
            hangup(call);
        }
    }

    public int activeCalls() {
        return calls.size();
    }

    public boolean running() {
        return stack != null && provider != null;
    }

    @Override
    public void close() {
        if (stack != null) {
            stack.stop();
            stack = null;
            provider = null;
        }
    }

    // ---- SipListener ----

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        metrics.request(method);
        try {
            if (!method.equals(Request.ACK) && refusedAsMalformed(request)) {
                return;
            }
            switch (method) {
                case Request.INVITE -> onInvite(event);
                case Request.ACK -> onAck(event);
                case Request.BYE -> onBye(event);
                case Request.CANCEL -> onCancel(event);
                case Request.OPTIONS -> onOptions(event);
                case Request.INFO -> onInfo(event);
                default -> {
                    Response r = messages.createResponse(Response.METHOD_NOT_ALLOWED, request);
                    r.addHeader(headers.createAllowHeader(ALLOW));
                    respond(event, r);
                }
            }
        } catch (Exception e) {
            // Whatever went wrong with one request must not reach the stack's thread. Input we
            // could not handle is the peer's bad request: one line, the trace only at DEBUG.
            InputErrors.reject("unhandled", peer(request), method + " " + e);
            log.debug("{} {}: failed to handle", method, callId(request), e);
            tryRespond(event, Response.BAD_REQUEST, "Bad Request (could not be processed)");
        }
    }

    /**
     * RFC 3261 8.2.2 and 16.3: a request without Max-Forwards, or an INVITE without Contact, gets
     * 400 naming the header; Max-Forwards 0 gets 483. Answered statelessly: no transaction or
     * dialog is made of it. Returns whether the request was refused.
     */
    private boolean refusedAsMalformed(Request request) throws Exception {
        javax.sip.header.MaxForwardsHeader mf =
                (javax.sip.header.MaxForwardsHeader) request.getHeader(javax.sip.header.MaxForwardsHeader.NAME);
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
        Response r = messages.createResponse(status, request);
        r.setReasonPhrase(status == Response.BAD_REQUEST ? "Bad Request (" + problem + ")" : problem);
        provider.sendResponse(r);
        return true;
    }

    private static String peer(Request request) {
        gov.nist.javax.sip.message.SIPMessage m = (gov.nist.javax.sip.message.SIPMessage) request;
        return (m.getRemoteAddress() == null ? "?" : m.getRemoteAddress().getHostAddress()) + ":" + m.getRemotePort();
    }

    private void onInvite(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        ServerTransaction st = serverTransaction(event);
        if (st == null) {
            return; // a retransmission the stack already handles
        }
        String callId = callId(request);
        SipCall existing = calls.get(callId);
        if (existing != null && st.getDialog() != null && st.getDialog().getState() == DialogState.CONFIRMED) {
            onReInvite(existing, st, request);
            return;
        }
        if (draining) {
            reject(st, Response.SERVICE_UNAVAILABLE, "shutting down", callId);
            return;
        }
        CallDecision.Reject refused = handler.screen(sourceAddress(request), viaHosts(request));
        if (refused != null) {
            // A refused source's calls cost one rate-limited line, not a call's worth of log.
            Response r = messages.createResponse(refused.status(), request);
            r.setReasonPhrase(refused.reason());
            if (refused.retryAfterSeconds() > 0) {
                r.addHeader(headers.createRetryAfterHeader(refused.retryAfterSeconds()));
            }
            st.sendResponse(r);
            metrics.callResult(refused.status());
            InputErrors.warn("call {} from {} refused: {} {}", InputErrors.clean(callId),
                    InputErrors.clean(peer(request)), refused.status(), refused.reason());
            return;
        }
        st.sendResponse(messages.createResponse(Response.TRYING, request));
        if (!(request.getRequestURI() instanceof SipURI uri)) {
            reject(st, Response.UNSUPPORTED_URI_SCHEME, "only sip: URIs", callId);
            return;
        }
        byte[] body = request.getRawContent();
        ContentTypeHeader ct = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        if (body == null || body.length == 0) {
            rejectSdp(st, "no SDP offer in INVITE (delayed offer is not supported)", callId);
            return;
        }
        if (ct == null || !ct.getContentType().equalsIgnoreCase("application")
                || !ct.getContentSubType().equalsIgnoreCase("sdp")) {
            Response r = messages.createResponse(Response.UNSUPPORTED_MEDIA_TYPE, request);
            r.addHeader(headers.createAcceptHeader("application", "sdp"));
            st.sendResponse(r);
            metrics.callResult(Response.UNSUPPORTED_MEDIA_TYPE);
            return;
        }
        SessionDescription offer;
        NegotiatedMedia media;
        try {
            offer = SessionDescription.parse(new String(body, StandardCharsets.UTF_8));
            media = negotiator.negotiate(offer);
        } catch (SdpException e) {
            rejectSdp(st, e.getMessage(), callId);
            return;
        }
        javax.sip.header.FromHeader from = (javax.sip.header.FromHeader) request.getHeader(javax.sip.header.FromHeader.NAME);
        String displayName = from.getAddress().getDisplayName();
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        SipCall call = new SipCall(this, callId, from.getAddress().getURI().toString(),
                displayName == null ? "" : displayName, uri.getUser() == null ? "" : uri.getUser(),
                via.getTransport().toLowerCase(Locale.ROOT), media, sourceAddress(request), viaHosts(request), request,
                st, offer, st.getDialog());
        calls.put(callId, call);
        log.info("call {} INVITE from {} to {} ({} pt {}, dtmf pt {}, ptime {})", callId, call.callerUri(),
                call.requestUser(), media.codec(), media.payloadType(), media.dtmfPayloadType(), media.ptimeMs());
        handler.onInvite(call).whenComplete((decision, error) -> decided(call, decision, error));
    }

    private void decided(SipCall call, CallDecision decision, Throwable error) {
        boolean cancelled;
        synchronized (call) {
            call.decided = true;
            cancelled = call.state() == SipCall.State.ENDED;
        }
        if (cancelled) {
            reportEnded(call);
            return;
        }
        try {
            if (error != null) {
                log.warn("call {}: deciding failed: {}", call.callId(), error.toString());
                endUnanswered(call, Response.SERVER_INTERNAL_ERROR, "internal error", 0);
            } else if (decision instanceof CallDecision.Reject r) {
                endUnanswered(call, r.status(), r.reason(), r.retryAfterSeconds());
            } else if (decision instanceof CallDecision.Accept a) {
                answer(call, a.localRtpPort());
            }
        } catch (Exception e) {
            log.warn("call {}: cannot send final response: {}", call.callId(), e.toString());
            end(call, "failed to answer");
        }
    }

    private void answer(SipCall call, int rtpPort) throws Exception {
        String sdp = SdpAnswer.build(call.offer, call.media(), advertisedAddress, rtpPort,
                sessionIdBase + Math.abs(call.callId().hashCode()), 1);
        Response ok = messages.createResponse(Response.OK, call.invite);
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(Long.toHexString(ThreadLocalRandom.current().nextLong()));
        ok.addHeader(contact(call.transport()));
        ok.addHeader(headers.createAllowHeader(ALLOW));
        ok.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
        synchronized (call) {
            call.answerSdp = sdp;
            call.state(SipCall.State.ANSWERED);
        }
        call.inviteTransaction.sendResponse(ok);
        metrics.callResult(Response.OK);
        log.info("call {} answered, RTP {}:{} <-> {}:{}", call.callId(), advertisedAddress, rtpPort,
                call.media().remoteAddress(), call.media().remotePort());
    }

    private void onReInvite(SipCall call, ServerTransaction st, Request request) throws Exception {
        // Session refresh or hold: keep the stream as it is and repeat our answer.
        Response ok = messages.createResponse(Response.OK, request);
        ok.addHeader(contact(call.transport()));
        ok.setContent(call.answerSdp, headers.createContentTypeHeader("application", "sdp"));
        st.sendResponse(ok);
        log.info("call {} re-INVITE answered with the current session", call.callId());
    }

    private void onAck(RequestEvent event) {
        SipCall call = calls.get(callId(event.getRequest()));
        if (call == null) {
            return;
        }
        boolean bye;
        synchronized (call) {
            if (call.state() != SipCall.State.ANSWERED) {
                return;
            }
            call.state(SipCall.State.CONFIRMED);
            bye = call.byeWhenConfirmed;
        }
        log.info("call {} confirmed (ACK)", call.callId());
        if (bye) {
            sendBye(call);
        }
    }

    private void onBye(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        ServerTransaction st = serverTransaction(event);
        if (st != null) {
            st.sendResponse(messages.createResponse(Response.OK, request));
        }
        SipCall call = calls.get(callId(request));
        if (call != null) {
            log.info("call {} BYE from caller", call.callId());
            end(call, "caller hung up");
        }
    }

    private void onCancel(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        ServerTransaction st = serverTransaction(event);
        SipCall call = calls.get(callId(request));
        if (st != null) {
            st.sendResponse(messages.createResponse(call == null ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST
                    : Response.OK, request));
        }
        if (call == null) {
            return;
        }
        boolean wasOffered;
        synchronized (call) {
            wasOffered = call.state() == SipCall.State.OFFERED;
        }
        if (wasOffered) {
            log.info("call {} CANCEL before answer", call.callId());
            try {
                call.inviteTransaction.sendResponse(messages.createResponse(Response.REQUEST_TERMINATED, call.invite));
            } catch (Exception e) {
                log.debug("call {}: 487 not sent: {}", call.callId(), e.toString());
            }
            metrics.callResult(Response.REQUEST_TERMINATED);
            end(call, "cancelled");
        }
    }

    private void onOptions(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        Response r = messages.createResponse(draining ? Response.SERVICE_UNAVAILABLE : Response.OK, request);
        r.addHeader(headers.createAllowHeader(ALLOW));
        r.addHeader(headers.createAcceptHeader("application", "sdp"));
        r.addHeader(headers.createAcceptHeader("application", "dtmf-relay"));
        r.addHeader(headers.createAcceptHeader("application", "dtmf"));
        r.addHeader(headers.createSupportedHeader("replaces"));
        r.addHeader(contact(transportOf(request)));
        respond(event, r);
    }

    private void onInfo(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        SipCall call = calls.get(callId(request));
        if (call == null) {
            respond(event, messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
            return;
        }
        ContentTypeHeader ct = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        byte[] body = request.getRawContent();
        if (ct == null || body == null) {
            respond(event, messages.createResponse(Response.OK, request)); // keep-alive INFO
            return;
        }
        char digit = ct.getContentType().equalsIgnoreCase("application")
                ? DtmfInfoBody.parse(ct.getContentSubType(), new String(body, StandardCharsets.UTF_8)) : 0;
        if (digit == 0) {
            Response r = messages.createResponse(Response.UNSUPPORTED_MEDIA_TYPE, request);
            r.addHeader(headers.createAcceptHeader("application", "dtmf-relay"));
            r.addHeader(headers.createAcceptHeader("application", "dtmf"));
            respond(event, r);
            return;
        }
        respond(event, messages.createResponse(Response.OK, request));
        metrics.infoDigit();
        handler.onDigit(call, digit);
    }

    @Override
    public void processResponse(ResponseEvent event) {
        // Responses to our BYEs: nothing to do either way, the call is already over for us.
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            ServerTransaction st = event.getServerTransaction();
            SipCall call = calls.get(callId(st.getRequest()));
            if (call != null && st.getRequest().getMethod().equals(Request.INVITE)) {
                log.info("call {} timed out waiting for ACK", call.callId());
                end(call, "no ACK");
            }
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        log.debug("SIP I/O error towards {}:{}/{}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        Dialog d = event.getDialog();
        SipCall call = d.getCallId() == null ? null : calls.get(d.getCallId().getCallId());
        if (call != null && call.state() != SipCall.State.OFFERED) {
            end(call, "dialog terminated");
        }
    }

    // ---- ending calls ----

    void hangup(SipCall call) {
        SipCall.State state;
        synchronized (call) {
            state = call.state();
            if (state == SipCall.State.ANSWERED) {
                call.byeWhenConfirmed = true; // RFC 3261 13.3.1.4: BYE only after the ACK
                return;
            }
        }
        switch (state) {
            case OFFERED -> endUnanswered(call, Response.TEMPORARILY_UNAVAILABLE, "hung up before answer", 0);
            case CONFIRMED -> sendBye(call);
            default -> {
            }
        }
    }

    private void sendBye(SipCall call) {
        try {
            Request bye = call.dialog.createRequest(Request.BYE);
            ClientTransaction ct = provider.getNewClientTransaction(bye);
            call.dialog.sendRequest(ct);
            log.info("call {} BYE sent by the bridge", call.callId());
        } catch (SipException e) {
            log.warn("call {}: BYE not sent: {}", call.callId(), e.getMessage());
        }
        end(call, "bridge hung up");
    }

    private void endUnanswered(SipCall call, int status, String reason, int retryAfterSeconds) {
        try {
            Response r = messages.createResponse(status, call.invite);
            if (reason != null && !reason.isEmpty()) {
                r.setReasonPhrase(reason);
            }
            if (retryAfterSeconds > 0) {
                r.addHeader(headers.createRetryAfterHeader(retryAfterSeconds));
            }
            call.inviteTransaction.sendResponse(r);
        } catch (Exception e) {
            log.debug("call {}: {} not sent: {}", call.callId(), status, e.toString());
        }
        metrics.callResult(status);
        log.info("call {} rejected {} {}", call.callId(), status, reason);
        end(call, "rejected " + status);
    }

    /** Marks the call ended and tells the handler once (after its decision, if one is pending). */
    private void end(SipCall call, String reason) {
        boolean report;
        synchronized (call) {
            if (call.state() == SipCall.State.ENDED) {
                return;
            }
            call.state(SipCall.State.ENDED);
            call.endReason = reason;
            report = call.decided;
        }
        calls.remove(call.callId(), call);
        log.info("call {} ended: {}", call.callId(), reason);
        if (report) {
            reportEnded(call);
        }
    }

    private void reportEnded(SipCall call) {
        synchronized (call) {
            if (call.endReported) {
                return;
            }
            call.endReported = true;
        }
        try {
            handler.onCallEnded(call, call.endReason);
        } catch (RuntimeException e) {
            log.warn("call {}: end handler failed", call.callId(), e);
        }
    }

    // ---- helpers ----

    private void reject(ServerTransaction st, int status, String reason, String callId) throws Exception {
        Response r = messages.createResponse(status, st.getRequest());
        r.setReasonPhrase(reason);
        st.sendResponse(r);
        metrics.callResult(status);
        log.info("call {} rejected {} {}", callId, status, reason);
    }

    private void rejectSdp(ServerTransaction st, String problem, String callId) throws Exception {
        Response r = messages.createResponse(Response.NOT_ACCEPTABLE_HERE, st.getRequest());
        r.addHeader(headers.createWarningHeader(advertisedAddress, 399, problem.replace('"', '\'')));
        st.sendResponse(r);
        metrics.callResult(Response.NOT_ACCEPTABLE_HERE);
        log.info("call {} rejected 488: {}", callId, problem);
    }

    private ServerTransaction serverTransaction(RequestEvent event) throws SipException {
        ServerTransaction st = event.getServerTransaction();
        if (st != null) {
            return st;
        }
        try {
            return provider.getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null;
        }
    }

    /** Responds statefully when a transaction can be had, else statelessly (e.g. stray ACK-less requests). */
    private void respond(RequestEvent event, Response response) throws SipException {
        ServerTransaction st = serverTransaction(event);
        if (st != null) {
            try {
                st.sendResponse(response);
            } catch (InvalidArgumentException e) {
                throw new SipException(e.getMessage(), e);
            }
        } else {
            provider.sendResponse(response);
        }
    }

    private void tryRespond(RequestEvent event, int status, String reason) {
        if (event.getRequest().getMethod().equals(Request.ACK)) {
            return;
        }
        if (event.getServerTransaction() == null) {
            // A transaction may be what failed: answer statelessly.
            try {
                Response r = messages.createResponse(status, event.getRequest());
                r.setReasonPhrase(reason);
                provider.sendResponse(r);
            } catch (Exception e) {
                log.debug("could not send {}: {}", status, e.toString());
            }
            return;
        }
        try {
            Response r = messages.createResponse(status, event.getRequest());
            if (reason != null) {
                r.setReasonPhrase(reason);
            }
            respond(event, r);
        } catch (Exception e) {
            log.debug("could not send {}: {}", status, e.toString());
        }
    }

    private ContactHeader contact(String transport) throws java.text.ParseException {
        SipURI uri = addresses.createSipURI("conference", hostForUri(advertisedAddress));
        uri.setPort(settings.port());
        if (!"udp".equalsIgnoreCase(transport)) {
            uri.setTransportParam(transport.toLowerCase(Locale.ROOT));
        }
        Address address = addresses.createAddress(uri);
        return headers.createContactHeader(address);
    }

    private static String hostForUri(String address) {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    private static String transportOf(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport();
    }

    /** The source address of the request's packets (or connection). */
    private static InetAddress sourceAddress(Request request) {
        return ((gov.nist.javax.sip.message.SIPMessage) request).getRemoteAddress();
    }

    /** Each Via from the top as its received parameter, else its host: where each hop says it sent from. */
    private static List<String> viaHosts(Request request) {
        List<String> hosts = new ArrayList<>();
        for (java.util.ListIterator<?> it = request.getHeaders(ViaHeader.NAME); it.hasNext(); ) {
            ViaHeader v = (ViaHeader) it.next();
            hosts.add(v.getReceived() != null ? v.getReceived() : v.getHost());
        }
        return hosts;
    }

    private static String callId(Request request) {
        javax.sip.header.CallIdHeader h = (javax.sip.header.CallIdHeader) request.getHeader(javax.sip.header.CallIdHeader.NAME);
        return h == null ? "?" : h.getCallId();
    }

    static String chooseAdvertisedAddress(SipSettings settings) {
        if (settings.advertisedAddress() != null && !settings.advertisedAddress().isBlank()) {
            return settings.advertisedAddress().trim();
        }
        if (!settings.bindAddress().equals("0.0.0.0") && !settings.bindAddress().equals("::")) {
            return settings.bindAddress();
        }
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (java.net.SocketException e) {
            log.warn("cannot list network interfaces: {}", e.getMessage());
        }
        return "127.0.0.1";
    }
}
