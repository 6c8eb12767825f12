package org.confbridge.sip;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.DialogState;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.confbridge.sip.sdp.NegotiatedMedia;
import org.confbridge.sip.sdp.SrtpMode;
import org.confbridge.sip.sdp.SdpAnswer;
import org.confbridge.sip.sdp.SdpException;
import org.confbridge.sip.sdp.SdesKeys;
import org.confbridge.sip.sdp.SdpNegotiator;
import org.confbridge.sip.sdp.SdpOffer;
import org.confbridge.sip.sdp.SessionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INVITE transactions: a new call is screened (per-source limits), its offer checked and
 * negotiated, handed to the layer above, and answered or rejected once that has decided; a
 * re-INVITE in a confirmed dialog gets the current answer again; a CANCEL before the answer ends
 * the call with 487.
 */
final class InviteHandling {
    private static final Logger log = LoggerFactory.getLogger(InviteHandling.class);
    /** RFC 4028 section 6; not among javax.sip's constants. */
    private static final int SESSION_INTERVAL_TOO_SMALL = 422;

    private final SipStackHost host;
    private final SipResponses responses;
    private final CallTermination calls;
    private final CallHandler handler;
    private final SipMetrics metrics;
    private final SdpNegotiator negotiator;
    private final LocalAddresses local;
    private final long sessionIdBase = ThreadLocalRandom.current().nextLong(1L << 40);
    private SessionTimers timers;
    /** Shutting down: every new call gets 503. */
    private volatile boolean draining;
    /** OPTIONS answer 503 (the node is drained: proxies send new rooms elsewhere); calls are still taken. */
    private volatile boolean unavailable;

    InviteHandling(SipStackHost host, SipResponses responses, CallTermination calls, CallHandler handler,
                   SipMetrics metrics, SdpNegotiator negotiator, LocalAddresses local) {
        this.host = host;
        this.responses = responses;
        this.calls = calls;
        this.handler = handler;
        this.metrics = metrics;
        this.negotiator = negotiator;
        this.local = local;
    }

    /** The session timers, once the gateway has made them (they refresh through this class). */
    void timers(SessionTimers t) {
        this.timers = t;
    }

    /** From now on new calls get 503. */
    void drain() {
        draining = true;
    }

    /** Whether OPTIONS should tell proxies this node takes no new rooms. */
    boolean unavailable() {
        return draining || unavailable;
    }

    void unavailable(boolean value) {
        unavailable = value;
    }

    void onInvite(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        ServerTransaction st = responses.serverTransaction(event);
        if (st == null) {
            return; // a retransmission the stack already handles
        }
        String callId = SipResponses.callId(request);
        SipCall existing = calls.get(callId);
        if (existing != null && existing.inDialog(request)) {
            if (st.getDialog() != null && st.getDialog().getState() == DialogState.CONFIRMED) {
                onReInvite(existing, st, request);
            } else {
                st.sendResponse(responses.create(Response.REQUEST_PENDING, request)); // before our ACK came
            }
            return;
        }
        if (existing != null) {
            // The Call-ID of a call in progress without its dialog's tags: a forged re-INVITE, or
            // a second INVITE with a reused Call-ID. Neither may touch that call.
            st.sendResponse(responses.create(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
            InputErrors.reject("not-in-dialog", SipResponses.peer(request), "INVITE with the Call-ID of a call but not its tags");
            return;
        }
        if (draining) {
            reject(st, Response.SERVICE_UNAVAILABLE, "shutting down", callId);
            return;
        }
        CallDecision.Reject refused = handler.screen(SipResponses.sourceAddress(request), SipResponses.viaHosts(request));
        if (refused != null) {
            // A refused source's calls cost one rate-limited line, not a call's worth of log.
            responses.reject(st, refused.status(), refused.reason(), refused.retryAfterSeconds());
            InputErrors.warn("call {} from {} refused: {} {}", InputErrors.clean(callId),
                    InputErrors.clean(SipResponses.peer(request)), refused.status(), refused.reason());
            return;
        }
        SessionTimerPolicy.Decision timer = SessionTimerHeaders.requested(request);
        if (timer instanceof SessionTimerPolicy.TooSmall small) {
            Response r = responses.create(SESSION_INTERVAL_TOO_SMALL, request);
            r.addHeader(host.headers().createHeader("Min-SE", Integer.toString(small.minSe())));
            st.sendResponse(r);
            metrics.callResult(SESSION_INTERVAL_TOO_SMALL);
            log.info("call {} rejected 422: session interval below {} s", callId, small.minSe());
            return;
        }
        st.sendResponse(responses.create(Response.TRYING, request));
        if (!(request.getRequestURI() instanceof SipURI uri)) {
            reject(st, Response.UNSUPPORTED_URI_SCHEME, "only sip: URIs", callId);
            return;
        }
        byte[] body = request.getRawContent();
        ContentTypeHeader ct = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        boolean lateOffer = body == null || body.length == 0;
        if (!lateOffer && (ct == null || !ct.getContentType().equalsIgnoreCase("application")
                || !ct.getContentSubType().equalsIgnoreCase("sdp"))) {
            Response r = responses.create(Response.UNSUPPORTED_MEDIA_TYPE, request);
            r.addHeader(host.headers().createAcceptHeader("application", "sdp"));
            st.sendResponse(r);
            metrics.callResult(Response.UNSUPPORTED_MEDIA_TYPE);
            return;
        }
        SessionDescription offer = null;
        NegotiatedMedia media = null; // a late offer: our offer goes in the 200 OK, the answer comes in the ACK
        if (!lateOffer) {
            try {
                offer = SessionDescription.parse(new String(body, StandardCharsets.UTF_8));
                media = negotiator.negotiate(offer);
            } catch (SdpException e) {
                responses.rejectSdp(st, e.getMessage(), callId);
                return;
            }
        }
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        String displayName = from.getAddress().getDisplayName();
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        SipCall call = new SipCall(calls, callId, from.getAddress().getURI().toString(),
                displayName == null ? "" : displayName, uri.getUser() == null ? "" : uri.getUser(),
                via.getTransport().toLowerCase(Locale.ROOT), media, SignallingOrigin.of(request), request, st, offer,
                st.getDialog());
        if (timer instanceof SessionTimerPolicy.Timer t) {
            call.sessionTimer(t);
        }
        call.localAddress(local.toward(call.sourceAddress()));
        calls.add(call);
        NatRouter router = host.router();
        javax.sip.address.Hop natSource = router == null ? null : router.remember(request);
        if (natSource != null) {
            log.info("call {} is behind NAT: the bridge's requests in its dialog go to {}:{}", callId,
                    natSource.getHost(), natSource.getPort());
        }
        if (lateOffer) {
            log.info("call {} INVITE from {} to {} without an offer: the bridge offers in its 200 OK", callId,
                    call.callerUri(), call.requestUser());
        } else {
            log.info("call {} INVITE from {} to {} ({} pt {}, dtmf pt {}, ptime {}, {})", callId, call.callerUri(),
                    call.requestUser(), media.codec(), media.payloadType(), media.dtmfPayloadType(), media.ptimeMs(),
                    media.srtp() == null ? "plain RTP" : "SRTP " + media.srtp());
            warnKeysInClear(call, media);
        }
        handler.onInvite(call).whenComplete((decision, error) -> decided(call, decision, error));
    }

    /** SDES keys over unencrypted signalling: said once per call. */
    private static void warnKeysInClear(SipCall call, NegotiatedMedia media) {
        if (media.srtp() != null && !call.transport().equals("tls")) {
            log.warn("call {}: SRTP keys (SDES) travelled over unencrypted SIP ({}): whoever sees the signalling "
                    + "can decrypt the media; use SIP over TLS", call.callId(), call.transport());
        }
    }

    /**
     * The ACK of a late offer's 200 OK: it carries the caller's answer to our offer. A usable one
     * starts the media (the layer above hears of it); without one the call ends with a BYE that
     * says why (RFC 3326 Reason).
     */
    void answerInAck(SipCall call, Request ack) {
        byte[] body = ack.getRawContent();
        try {
            if (body == null || body.length == 0) {
                throw new SdpException("the ACK carries no SDP answer to our offer");
            }
            NegotiatedMedia media = negotiator.negotiateAnswer(
                    SessionDescription.parse(new String(body, StandardCharsets.UTF_8)), call.offeredKeys());
            call.answerReceived(media);
            log.info("call {} answer in ACK: {} pt {}, dtmf pt {}, {}:{}", call.callId(), media.codec(),
                    media.payloadType(), media.dtmfPayloadType(), media.remoteAddress(), media.remotePort());
            warnKeysInClear(call, media);
            handler.onMediaAnswered(call);
        } catch (SdpException e) {
            log.info("call {}: no usable answer in the ACK: {}", call.callId(), e.getMessage());
            calls.sendBye(call, "no usable SDP answer: " + e.getMessage(), Response.NOT_ACCEPTABLE_HERE);
        }
    }

    private void reject(ServerTransaction st, int status, String reason, String callId) throws Exception {
        responses.reject(st, status, reason, 0);
        log.info("call {} rejected {} {}", callId, status, reason);
    }

    private void decided(SipCall call, CallDecision decision, Throwable error) {
        if (call.decided()) {
            calls.reportEnded(call); // cancelled while the layer above decided
            return;
        }
        try {
            if (error != null) {
                log.warn("call {}: deciding failed: {}", call.callId(), error.toString());
                calls.endUnanswered(call, Response.SERVER_INTERNAL_ERROR, "internal error", 0);
            } else if (decision instanceof CallDecision.Reject r) {
                calls.endUnanswered(call, r.status(), r.reason(), r.retryAfterSeconds());
            } else if (decision instanceof CallDecision.Redirect r) {
                calls.endRedirected(call, r.contact());
            } else if (decision instanceof CallDecision.Accept a) {
                answer(call, a.localRtpPort());
            }
        } catch (Exception e) {
            log.warn("call {}: cannot send final response: {}", call.callId(), e.toString());
            calls.end(call, "failed to answer");
        }
    }

    private void answer(SipCall call, int rtpPort) throws Exception {
        long sessionId = sessionIdBase + Math.abs(call.callId().hashCode());
        SdesKeys keys = null;
        String sdp;
        if (call.media() == null) {
            keys = negotiator.offerKeys();
            sdp = SdpOffer.build(negotiator.codecs(), call.localAddress(), rtpPort, sessionId, 1, keys);
        } else {
            sdp = SdpAnswer.build(call.offer, call.media(), call.localAddress(), rtpPort, sessionId, 1);
        }
        Response ok = responses.create(Response.OK, call.invite);
        String tag = Long.toHexString(ThreadLocalRandom.current().nextLong());
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(tag);
        call.tags(tag, ((FromHeader) call.invite.getHeader(FromHeader.NAME)).getTag());
        ok.addHeader(responses.contact(call.transport(), call.invite));
        ok.addHeader(host.headers().createAllowHeader(SipGateway.ALLOW));
        SessionTimerHeaders.addTo(ok, call, call.invite, host.headers());
        ok.setContent(sdp, host.headers().createContentTypeHeader("application", "sdp"));
        if (call.media() == null) {
            call.offered(sdp, sessionId, rtpPort, keys);
        } else {
            call.answered(sdp, sessionId, rtpPort);
        }
        call.inviteTransaction.sendResponse(ok);
        timers.restart(call);
        metrics.callResult(Response.OK);
        NegotiatedMedia m = call.media();
        log.info("call {} answered, RTP {}:{} <-> {}", call.callId(), call.localAddress(), rtpPort,
                m == null ? "(our offer; the answer comes with the ACK)" : m.remoteAddress() + ":" + m.remotePort());
    }

    /**
     * A re-INVITE in the dialog (RFC 3264 8): a new offer is answered as such, its direction
     * mirrored (hold: sendonly or inactive, or the old c=0.0.0.0), its address taken, the codec
     * kept (the leg's codec does not change in a call); without an offer (a session refresh) the
     * current answer is repeated. The layer above hears of the change after the answer went out.
     */
    private void onReInvite(SipCall call, ServerTransaction st, Request request) throws Exception {
        if (!refreshTimer(call, st, request)) {
            return;
        }
        byte[] body = request.getRawContent();
        if (body == null || body.length == 0) {
            refreshed(call, st, request, true);
            log.info("call {} re-INVITE without offer answered with the current session", call.callId());
            return;
        }
        reOffer(call, st, request);
    }

    /** A refresh without an offer: 200 with the session timer (and for a re-INVITE the current session). */
    private void refreshed(SipCall call, ServerTransaction st, Request request, boolean withSession) throws Exception {
        Response ok = responses.create(Response.OK, request);
        ok.addHeader(responses.contact(call.transport(), request));
        SessionTimerHeaders.addTo(ok, call, request, host.headers());
        if (withSession) {
            ok.setContent(call.answerSdp(), host.headers().createContentTypeHeader("application", "sdp"));
        }
        st.sendResponse(ok);
        timers.restart(call);
    }

    /**
     * UPDATE in a dialog (RFC 3311): without a body a session refresh, with an offer a change of
     * the stream answered as a re-INVITE's would be.
     */
    void onUpdate(SipCall call, ServerTransaction st, Request request) throws Exception {
        if (!refreshTimer(call, st, request)) {
            return;
        }
        byte[] body = request.getRawContent();
        if (body == null || body.length == 0) {
            refreshed(call, st, request, false);
            log.info("call {} UPDATE: session refreshed", call.callId());
            return;
        }
        reOffer(call, st, request);
    }

    /**
     * A refresh may carry a new Session-Expires: takes it (or answers 422 when too small and
     * returns false). A refresh without one keeps the call's timer.
     */
    private boolean refreshTimer(SipCall call, ServerTransaction st, Request request) throws Exception {
        if (request.getHeader("Session-Expires") == null) {
            return true;
        }
        SessionTimerPolicy.Decision d = SessionTimerHeaders.requested(request);
        if (d instanceof SessionTimerPolicy.TooSmall small) {
            Response r = responses.create(SESSION_INTERVAL_TOO_SMALL, request);
            r.addHeader(host.headers().createHeader("Min-SE", Integer.toString(small.minSe())));
            st.sendResponse(r);
            return false;
        }
        if (d instanceof SessionTimerPolicy.Timer t) {
            call.sessionTimer(t);
        }
        return true;
    }

    /** A new offer in the dialog (re-INVITE or UPDATE): answered, the stream changed, the layer above told. */
    private void reOffer(SipCall call, ServerTransaction st, Request request) throws Exception {
        byte[] body = request.getRawContent();
        NegotiatedMedia current = call.media();
        SessionDescription offer;
        NegotiatedMedia media;
        try {
            offer = SessionDescription.parse(new String(body, StandardCharsets.UTF_8));
            // The call keeps its codec while the offer has it, else takes the first of ours offered
            // (RFC 3264 section 8.3.2); and its kind: an SRTP call stays SRTP, a plain one plain.
            java.util.List<String> preference = new java.util.ArrayList<>(java.util.List.of(current.codec()));
            for (String c : negotiator.codecs()) {
                if (!c.equalsIgnoreCase(current.codec())) {
                    preference.add(c);
                }
            }
            media = new SdpNegotiator(preference, current.srtp() != null ? SrtpMode.REQUIRED : SrtpMode.OFF,
                    negotiator.suites()).negotiate(offer, current.srtp());
        } catch (SdpException e) {
            responses.rejectSdp(st, "re-INVITE: " + e.getMessage() + " (the call keeps " + current.codec() + ")",
                    call.callId());
            return;
        }
        if (media.remoteAddress().equals("0.0.0.0") || media.remoteAddress().equals("::")) {
            media = media.at(current.remoteAddress(), current.remotePort(), "inactive"); // RFC 2543 hold: keep where the media was
        }
        String sdp = SdpAnswer.build(offer, media, call.localAddress(), call.localRtpPort(), call.sdpSessionId(),
                call.nextSdpVersion());
        Response ok = responses.create(Response.OK, request);
        ok.addHeader(responses.contact(call.transport(), request));
        SessionTimerHeaders.addTo(ok, call, request, host.headers());
        ok.setContent(sdp, host.headers().createContentTypeHeader("application", "sdp"));
        call.mediaChanged(media, sdp);
        st.sendResponse(ok);
        timers.restart(call);
        log.info("call {} re-INVITE answered {} ({}:{}, {} pt {})", call.callId(), media.direction(),
                media.remoteAddress(), media.remotePort(), media.codec(), media.payloadType());
        handler.onMediaChanged(call);
    }

    /** Our refresh of a call whose timer we refresh: a re-INVITE with the session as it stands. */
    void refresh(SipCall call) {
        try {
            Request r = call.dialog.createRequest(Request.INVITE);
            r.addHeader(responses.contact(call.transport(), call.invite));
            r.addHeader(host.headers().createHeader("Session-Expires", call.sessionTimer().header()));
            r.addHeader(host.headers().createSupportedHeader("timer"));
            r.setContent(call.answerSdp(), host.headers().createContentTypeHeader("application", "sdp"));
            javax.sip.ClientTransaction ct = host.provider().getNewClientTransaction(r);
            call.dialog.sendRequest(ct);
            log.info("call {}: session refresh sent", call.callId());
        } catch (Exception e) {
            timers.refreshFailed(call, e.getMessage());
        }
    }

    void onCancel(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        ServerTransaction st = responses.serverTransaction(event);
        SipCall call = calls.get(SipResponses.callId(request));
        if (call != null && !call.cancels(request)) {
            call = null; // knows the Call-ID, but is not the INVITE's own CANCEL
        }
        if (st != null) {
            st.sendResponse(responses.create(call == null ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST
                    : Response.OK, request));
        }
        if (call == null || !call.cancelled()) {
            return;
        }
        log.info("call {} CANCEL before answer", call.callId());
        try {
            call.inviteTransaction.sendResponse(responses.create(Response.REQUEST_TERMINATED, call.invite));
        } catch (Exception e) {
            log.debug("call {}: 487 not sent: {}", call.callId(), e.toString());
        }
        metrics.callResult(Response.REQUEST_TERMINATED);
        calls.end(call, "cancelled");
    }
}
