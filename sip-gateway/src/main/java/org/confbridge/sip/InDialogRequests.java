package org.confbridge.sip;

import java.nio.charset.StandardCharsets;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests besides INVITE and CANCEL: ACK confirms a call (and sends a BYE that waited for
 * it), BYE ends one, INFO carries key presses, OPTIONS says what the bridge takes (and 503 while it
 * drains), anything else gets 405 with Allow.
 */
final class InDialogRequests {
    private static final Logger log = LoggerFactory.getLogger(InDialogRequests.class);

    private final SipStackHost host;
    private final SipResponses responses;
    private final CallTermination calls;
    private final CallHandler handler;
    private final SipMetrics metrics;
    private final InviteHandling invites;

    InDialogRequests(SipStackHost host, SipResponses responses, CallTermination calls, CallHandler handler,
                     SipMetrics metrics, InviteHandling invites) {
        this.host = host;
        this.responses = responses;
        this.calls = calls;
        this.handler = handler;
        this.metrics = metrics;
        this.invites = invites;
    }

    void onAck(RequestEvent event) {
        SipCall call = calls.inDialog(event.getRequest());
        if (call == null || !call.acknowledged()) {
            return;
        }
        log.info("call {} confirmed (ACK)", call.callId());
        if (call.takeByeAfterAck()) {
            calls.sendBye(call);
        } else if (call.takeAwaitingAnswer()) {
            invites.answerInAck(call, event.getRequest());
        }
    }

    void onBye(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        ServerTransaction st = responses.serverTransaction(event);
        SipCall call = calls.inDialog(request);
        if (st != null) {
            st.sendResponse(responses.create(call == null ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : Response.OK,
                    request));
        }
        if (call != null) {
            log.info("call {} BYE from caller", call.callId());
            calls.end(call, "caller hung up");
        }
    }

    /**
     * A chat message (RFC 3428): bounded in size, {@code text/plain} only; in a dialog, or to the
     * room's URI from a participant's address. The layer above says whether it is relayed.
     */
    void onMessage(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        ServerTransaction st = responses.serverTransaction(event);
        if (st == null) {
            return;
        }
        byte[] body = request.getRawContent();
        if (body != null && body.length > ChatMessages.MAX_BYTES) {
            st.sendResponse(responses.create(Response.REQUEST_ENTITY_TOO_LARGE, request));
            return;
        }
        javax.sip.header.ContentTypeHeader type =
                (javax.sip.header.ContentTypeHeader) request.getHeader(javax.sip.header.ContentTypeHeader.NAME);
        if (body == null || body.length == 0 || type == null || !type.getContentType().equalsIgnoreCase("text")
                || !type.getContentSubType().equalsIgnoreCase("plain")) {
            Response r = responses.create(Response.UNSUPPORTED_MEDIA_TYPE, request);
            r.addHeader(host.headers().createAcceptHeader("text", "plain"));
            st.sendResponse(r);
            return;
        }
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).stripTrailing();
        javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) request.getHeader(javax.sip.header.ToHeader.NAME);
        int status;
        if (to != null && to.getTag() != null) {
            // In a dialog: only the dialog's own (Call-ID and both tags).
            SipCall call = calls.inDialog(request);
            status = call == null ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : handler.onChat(call, null, null, null, text);
        } else {
            // Page mode, as softphones send it: to the room's URI, matched to a participant by the layer above.
            String room = request.getRequestURI() instanceof javax.sip.address.SipURI uri && uri.getUser() != null
                    ? uri.getUser() : "";
            javax.sip.header.FromHeader from = (javax.sip.header.FromHeader) request.getHeader(javax.sip.header.FromHeader.NAME);
            status = handler.onChat(null, room, from.getAddress().getURI().toString(), SignallingOrigin.of(request), text);
        }
        if (status == Response.FORBIDDEN || status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST) {
            InputErrors.reject("chat-refused", SipResponses.peer(request), "MESSAGE not from a participant's dialog or address ("
                    + status + ")");
        }
        st.sendResponse(responses.create(status, request));
    }

    void onUpdate(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        ServerTransaction st = responses.serverTransaction(event);
        if (st == null) {
            return;
        }
        SipCall call = calls.inDialog(request);
        if (call == null) {
            st.sendResponse(responses.create(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
            return;
        }
        invites.onUpdate(call, st, request);
    }

    void onOptions(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        Response r = responses.create(invites.unavailable() ? Response.SERVICE_UNAVAILABLE : Response.OK, request);
        r.addHeader(host.headers().createAllowHeader(SipGateway.ALLOW));
        r.addHeader(host.headers().createAcceptHeader("application", "sdp"));
        r.addHeader(host.headers().createAcceptHeader("application", "dtmf-relay"));
        r.addHeader(host.headers().createAcceptHeader("application", "dtmf"));
        r.addHeader(host.headers().createSupportedHeader("replaces"));
        r.addHeader(host.headers().createSupportedHeader("timer"));
        r.addHeader(responses.contact(SipResponses.transportOf(request), request));
        responses.respond(event, r);
    }

    void onInfo(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        SipCall call = calls.inDialog(request);
        if (call == null) {
            InputErrors.reject("not-in-dialog", SipResponses.peer(request), "INFO outside a call's dialog");
            responses.respond(event, responses.create(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
            return;
        }
        ContentTypeHeader ct = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        byte[] body = request.getRawContent();
        if (ct == null || body == null) {
            responses.respond(event, responses.create(Response.OK, request)); // keep-alive INFO
            return;
        }
        char digit = ct.getContentType().equalsIgnoreCase("application")
                ? DtmfInfoBody.parse(ct.getContentSubType(), new String(body, StandardCharsets.UTF_8)) : 0;
        if (digit == 0) {
            Response r = responses.create(Response.UNSUPPORTED_MEDIA_TYPE, request);
            r.addHeader(host.headers().createAcceptHeader("application", "dtmf-relay"));
            r.addHeader(host.headers().createAcceptHeader("application", "dtmf"));
            responses.respond(event, r);
            return;
        }
        responses.respond(event, responses.create(Response.OK, request));
        metrics.infoDigit();
        handler.onDigit(call, digit);
    }

    /** A method the bridge does not take: 405 with Allow. */
    void notAllowed(RequestEvent event) throws Exception {
        Response r = responses.create(Response.METHOD_NOT_ALLOWED, event.getRequest());
        r.addHeader(host.headers().createAllowHeader(SipGateway.ALLOW));
        responses.respond(event, r);
    }
}
