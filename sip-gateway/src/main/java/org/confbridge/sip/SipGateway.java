package org.confbridge.sip;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.confbridge.sip.sdp.SdpNegotiator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's SIP side on Jain-SIP ({@link SipStackHost}): UDP and TCP listening points,
 * INVITE/ACK/BYE/CANCEL ({@link InviteHandling}, {@link InDialogRequests}), OPTIONS, INFO, and SDP
 * offer/answer. It knows nothing of rooms or audio samples: each new call goes to a
 * {@link CallHandler}, which answers with a local RTP port or a rejection. This class is the
 * listener the stack calls and the face the layer above sees; the listener never blocks, and a
 * decision that takes time completes on another thread and is sent from there.
 */
public final class SipGateway implements SipListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SipGateway.class);
    static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, MESSAGE";

    private final SipSettings settings;
    private final String advertisedAddress;
    private final LocalAddresses local;
    private final SipStackHost host;
    private final SipResponses responses;
    private final CallTermination calls;
    private final InviteHandling invites;
    private final InDialogRequests inDialog;
    private final SipMetrics metrics;
    private final SessionTimers timers;
    private final ChatMessages chat;
    private final DialOut dialOut;

    public SipGateway(SipSettings settings, CallHandler handler, MeterRegistry registry) {
        this.settings = settings;
        this.local = LocalAddresses.of(settings);
        this.advertisedAddress = local.fallback();
        this.host = new SipStackHost(settings);
        this.metrics = new SipMetrics();
        this.responses = new SipResponses(host, settings, metrics, local);
        this.calls = new CallTermination(host, responses, handler);
        this.metrics.activeCalls(calls::size);
        this.metrics.bindTo(registry);
        this.invites = new InviteHandling(host, responses, calls, handler, metrics,
                new SdpNegotiator(settings.codecs(), settings.srtp(), settings.srtpSuites()), local);
        this.inDialog = new InDialogRequests(host, responses, calls, handler, metrics, invites);
        this.timers = new SessionTimers(calls, invites::refresh);
        this.chat = new ChatMessages(host, settings);
        this.dialOut = new DialOut(host, settings, responses, calls,
                new SdpNegotiator(settings.codecs(), settings.srtp(), settings.srtpSuites()), local);
        invites.timers(timers);
        calls.onEnd(timers::ended);
    }

    /**
     * Sends a chat message to a call's caller (SIP MESSAGE to its contact), from the room's URI
     * with {@code writer} as display name. Asynchronous; a failure costs one log line.
     */
    public void sendChat(SipCall to, String room, String writer, String text) {
        if (!to.chatStopped()) {
            chat.send(to, room, writer, text);
        }
    }

    /** How a dial-out ends: the answered call, or the SIP status and reason of its failure. */
    public interface DialOutcome {
        void answered(SipCall call);

        void failed(int status, String reason);
    }

    /**
     * Calls {@code to} for {@code room} with our offer on {@code rtpPort}, ringing at most
     * {@code ringSeconds}; {@code outcome} hears how it ends (a target that is no SIP URI as a 400).
     * Returns at once: the INVITE leaves from the dial-out thread.
     */
    public void dial(String to, String room, String displayName, int rtpPort, int ringSeconds, DialOutcome outcome) {
        dialOut.dial(to, room, displayName, rtpPort, ringSeconds, new DialOut.Outcome() {
            @Override
            public void answered(SipCall call) {
                outcome.answered(call);
            }

            @Override
            public void failed(int status, String reason) {
                outcome.failed(status, reason);
            }
        });
    }

    /** Our address as {@code peer} reaches us (SDP, candidates): see {@link LocalAddresses#toward}. */
    public String addressToward(java.net.InetAddress peer) {
        return local.toward(peer);
    }

    /** The address put into Contact and SDP: configured, else the bind address, else a local one. */
    public String advertisedAddress() {
        return advertisedAddress;
    }

    /** Creates the stack and opens the listening points; throws if a port cannot be bound. */
    public void start() throws SipException {
        host.start(this);
        log.info("SIP listening on {}:{}{} ({}), advertising {}", settings.bindAddress(), settings.port(),
                settings.transports().contains("tls") ? " and TLS on " + settings.tlsPort() : "",
                String.join(",", settings.transports()), advertisedAddress);
    }

    /** From now on new calls get 503; existing calls go on until {@link #hangupAll()} or their end. */
    public void drain() {
        invites.drain();
    }

    /**
     * Tells proxies whether this node takes new rooms: OPTIONS answers 503 while it does not (a
     * dispatcher's probe then sends new rooms elsewhere). Calls are still taken; which ones is the
     * layer above's decision.
     */
    public void advertiseAvailable(boolean available) {
        invites.unavailable(!available);
    }

    /** Sends BYE to (or rejects) every call. */
    public void hangupAll() {
        for (SipCall call : calls.all()) {
            calls.hangup(call);
        }
    }

    public int activeCalls() {
        return calls.size();
    }

    public boolean running() {
        return host.running();
    }

    @Override
    public void close() {
        timers.close();
        dialOut.close();
        host.close();
    }

    // ---- SipListener ----

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        metrics.request(method);
        try {
            if (!method.equals(Request.ACK) && responses.refusedAsMalformed(request)) {
                return;
            }
            switch (method) {
                case Request.INVITE -> invites.onInvite(event);
                case Request.ACK -> inDialog.onAck(event);
                case Request.BYE -> inDialog.onBye(event);
                case Request.CANCEL -> invites.onCancel(event);
                case Request.OPTIONS -> inDialog.onOptions(event);
                case Request.INFO -> inDialog.onInfo(event);
                case Request.UPDATE -> inDialog.onUpdate(event);
                case Request.MESSAGE -> inDialog.onMessage(event);
                default -> inDialog.notAllowed(event);
            }
        } catch (Exception e) {
            // Whatever went wrong with one request must not reach the stack's thread. Input we
            // could not handle is the peer's bad request: one line, the trace only at DEBUG.
            InputErrors.reject("unhandled", SipResponses.peer(request), method + " " + e);
            log.debug("{} {}: failed to handle", method, SipResponses.callId(request), e);
            responses.tryRespond(event, Response.BAD_REQUEST, "Bad Request (could not be processed)");
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        // Responses to our BYEs need nothing: the call is already over for us. Responses to our
        // session refreshes (re-INVITE) are acknowledged, or end the call when they refuse.
        Response response = event.getResponse();
        if (dialOut.owns(SipResponses.callId(response))) {
            dialOut.response(response, event.getDialog());
            return;
        }
        if (response.getStatusCode() >= 200 && chat.owns(SipResponses.callId(response))) {
            chat.answered(SipResponses.callId(response), response.getStatusCode());
            return;
        }
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (cseq == null || !Request.INVITE.equals(cseq.getMethod()) || response.getStatusCode() < 200) {
            return;
        }
        SipCall call = calls.get(SipResponses.callId(response));
        if (call == null) {
            return;
        }
        if (response.getStatusCode() < 300) {
            try {
                Dialog dialog = event.getDialog() != null ? event.getDialog() : call.dialog;
                dialog.sendAck(dialog.createAck(cseq.getSeqNumber()));
                timers.restart(call);
            } catch (Exception e) {
                timers.refreshFailed(call, "ACK not sent: " + e.getMessage());
            }
        } else {
            timers.refreshFailed(call, response.getStatusCode() + " " + response.getReasonPhrase());
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction() && event.getClientTransaction() != null
                && Request.MESSAGE.equals(event.getClientTransaction().getRequest().getMethod())) {
            chat.answered(SipResponses.callId(event.getClientTransaction().getRequest()), Response.REQUEST_TIMEOUT);
            return;
        }
        if (!event.isServerTransaction() && event.getClientTransaction() != null
                && Request.INVITE.equals(event.getClientTransaction().getRequest().getMethod())) {
            String callId = SipResponses.callId(event.getClientTransaction().getRequest());
            if (dialOut.owns(callId)) {
                dialOut.timedOut(callId);
                return;
            }
            SipCall call = calls.get(callId);
            if (call != null) {
                timers.refreshFailed(call, "no answer");
            }
            return;
        }
        if (event.isServerTransaction()) {
            ServerTransaction st = event.getServerTransaction();
            SipCall call = calls.get(SipResponses.callId(st.getRequest()));
            if (call != null && st.getRequest().getMethod().equals(Request.INVITE)) {
                log.info("call {} timed out waiting for ACK", call.callId());
                calls.end(call, "no ACK");
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
            calls.end(call, "dialog terminated");
        }
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
