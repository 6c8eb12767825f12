package org.confbridge.sip;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.ClientTransaction;
import javax.sip.SipException;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls in progress, and how each one ends: from our side (a final error response before the
 * answer, BYE after it, and after the ACK where the ACK is still due), or from the caller's; the
 * layer above hears of every end exactly once.
 */
final class CallTermination {
    private static final Logger log = LoggerFactory.getLogger(CallTermination.class);

    private final Map<String, SipCall> calls = new ConcurrentHashMap<>();
    private final SipStackHost host;
    private final SipResponses responses;
    private final CallHandler handler;
    private volatile java.util.function.Consumer<SipCall> endListener = call -> { };

    CallTermination(SipStackHost host, SipResponses responses, CallHandler handler) {
        this.host = host;
        this.responses = responses;
        this.handler = handler;
    }

    /** Who hears of every call that ends (the session timers). */
    void onEnd(java.util.function.Consumer<SipCall> listener) {
        this.endListener = listener;
    }

    void add(SipCall call) {
        calls.put(call.callId(), call);
    }

    SipCall get(String callId) {
        return calls.get(callId);
    }

    /** The call whose dialog {@code request} is in: its Call-ID and both tags; null for none. */
    SipCall inDialog(Request request) {
        SipCall call = calls.get(SipResponses.callId(request));
        return call != null && call.inDialog(request) ? call : null;
    }

    int size() {
        return calls.size();
    }

    Collection<SipCall> all() {
        return new ArrayList<>(calls.values());
    }

    /** Ends the call from the bridge side, as far as it has got. */
    void hangup(SipCall call) {
        switch (call.hangupRequested()) {
            case REJECT -> endUnanswered(call, Response.TEMPORARILY_UNAVAILABLE, "hung up before answer", 0);
            case BYE -> sendBye(call);
            default -> {
                // after the ACK, or over already
            }
        }
    }

    void sendBye(SipCall call) {
        sendBye(call, "bridge hung up");
    }

    /** Sends BYE in the call's dialog and ends the call for {@code reason}. */
    void sendBye(SipCall call, String reason) {
        sendBye(call, reason, 0);
    }

    /** As {@link #sendBye(SipCall, String)}, saying why in a Reason header (RFC 3326) with SIP status {@code cause}. */
    void sendBye(SipCall call, String reason, int cause) {
        try {
            Request bye = call.dialog.createRequest(Request.BYE);
            if (cause > 0) {
                bye.addHeader(host.headers().createHeader("Reason",
                        "SIP;cause=" + cause + ";text=\"" + reason.replace('"', '\'') + "\""));
            }
            ClientTransaction ct = host.provider().getNewClientTransaction(bye);
            call.dialog.sendRequest(ct);
            log.info("call {} BYE sent by the bridge ({})", call.callId(), reason);
        } catch (SipException | java.text.ParseException e) {
            log.warn("call {}: BYE not sent: {}", call.callId(), e.getMessage());
        }
        end(call, reason);
    }

    /** A final error response to the INVITE, then the call is over. */
    void endUnanswered(SipCall call, int status, String reason, int retryAfterSeconds) {
        try {
            responses.reject(call.inviteTransaction, status, reason, retryAfterSeconds);
        } catch (Exception e) {
            log.debug("call {}: {} not sent: {}", call.callId(), status, e.toString());
        }
        log.info("call {} rejected {} {}", call.callId(), status, reason);
        end(call, "rejected " + status);
    }

    /** Ends a call not answered here with 302 to {@code contact}, where it belongs. */
    void endRedirected(SipCall call, String contact) {
        try {
            responses.redirect(call.inviteTransaction, contact);
        } catch (Exception e) {
            log.debug("call {}: 302 not sent: {}", call.callId(), e.toString());
        }
        log.info("call {} redirected (302) to {}", call.callId(), contact);
        end(call, "redirected");
    }

    /** Marks the call ended and tells the handler once (after its decision, if one is pending). */
    void end(SipCall call, String reason) {
        SipCall.Ended ended = call.end(reason);
        if (ended == SipCall.Ended.ALREADY) {
            return;
        }
        calls.remove(call.callId(), call);
        NatRouter router = host.router();
        if (router != null) {
            router.forget(call.callId());
        }
        endListener.accept(call);
        log.info("call {} ended: {}", call.callId(), reason);
        if (ended == SipCall.Ended.REPORT) {
            reportEnded(call);
        }
    }

    void reportEnded(SipCall call) {
        if (!call.takeEndReport()) {
            return;
        }
        try {
            handler.onCallEnded(call, call.endReason());
        } catch (RuntimeException e) {
            log.warn("call {}: end handler failed", call.callId(), e);
        }
    }
}
