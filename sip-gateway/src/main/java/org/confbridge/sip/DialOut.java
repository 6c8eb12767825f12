package org.confbridge.sip;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.confbridge.sip.sdp.NegotiatedMedia;
import org.confbridge.sip.sdp.SdesKeys;
import org.confbridge.sip.sdp.SdpException;
import org.confbridge.sip.sdp.SdpNegotiator;
import org.confbridge.sip.sdp.SdpOffer;
import org.confbridge.sip.sdp.SessionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls out (the bridge as UAC): an INVITE with our offer to the callee, ringing for at most
 * {@code ringSeconds} (then CANCEL), and on its answer a call like any other, confirmed with our
 * ACK; busy, rejected, unanswered or unusable ends as a failure with the SIP status.
 */
final class DialOut implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DialOut.class);

    /** What became of a dial-out: the call, or the SIP status (408 for no answer) and reason. */
    interface Outcome {
        void answered(SipCall call);

        void failed(int status, String reason);
    }

    private record Pending(ClientTransaction transaction, String sdp, long sessionId, int rtpPort, SdesKeys keys,
                           String room, String displayName, Outcome outcome, ScheduledFuture<?> ringTimer) {
    }

    private final SipStackHost host;
    private final SipSettings settings;
    private final SipResponses responses;
    private final CallTermination calls;
    private final SdpNegotiator negotiator;
    private final LocalAddresses local;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** Dial-outs given up (CANCEL sent) whose 200 may still cross it. */
    private final Map<String, Pending> cancelled = new ConcurrentHashMap<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sip-dial-out");
        t.setDaemon(true);
        return t;
    });

    DialOut(SipStackHost host, SipSettings settings, SipResponses responses, CallTermination calls,
            SdpNegotiator negotiator, LocalAddresses local) {
        this.host = host;
        this.settings = settings;
        this.responses = responses;
        this.calls = calls;
        this.negotiator = negotiator;
        this.local = local;
    }

    /**
     * Sends the INVITE from the dial-out thread (a name in the target is resolved there, never on
     * the caller's thread: the HTTP server's or a room's); {@code outcome} hears how it ends, a
     * target that cannot be called at all as a 400.
     */
    void dial(String to, String room, String displayName, int rtpPort, int ringSeconds, Outcome outcome) {
        clock.execute(() -> {
            try {
                send(to, room, displayName, rtpPort, ringSeconds, outcome);
            } catch (Exception e) {
                log.info("dial-out to {} for room {} not sent: {}", to, room, e.toString());
                outcome.failed(400, String.valueOf(e.getMessage()));
            }
        });
    }

    private void send(String to, String room, String displayName, int rtpPort, int ringSeconds, Outcome outcome)
            throws Exception {
        if (!(host.addresses().createURI(to) instanceof SipURI target)) {
            throw new IllegalArgumentException("not a sip: URI: " + to);
        }
        String transport = target.getTransportParam() == null ? "udp" : target.getTransportParam().toLowerCase();
        String advertisedAddress = local.toward(LocalAddresses.literal(target.getHost()));
        Address from = host.addresses().createAddress(settings.dialoutFrom().isEmpty()
                ? host.addresses().createSipURI(room, advertisedAddress) : host.addresses().createURI(settings.dialoutFrom()));
        from.setDisplayName("Konferenz " + room);
        CallIdHeader callId = host.provider().getNewCallId();
        Request invite = host.messages().createRequest(target, Request.INVITE, callId,
                host.headers().createCSeqHeader(1L, Request.INVITE),
                host.headers().createFromHeader(from, Long.toHexString(ThreadLocalRandom.current().nextLong())),
                host.headers().createToHeader(host.addresses().createAddress(target), null),
                List.of(host.headers().createViaHeader(advertisedAddress, settings.portOf(transport), transport, null)),
                host.headers().createMaxForwardsHeader(70));
        SipURI contact = host.addresses().createSipURI("conference", advertisedAddress);
        contact.setPort(settings.portOf(transport));
        invite.addHeader(host.headers().createContactHeader(host.addresses().createAddress(contact)));
        invite.addHeader(host.headers().createAllowHeader(SipGateway.ALLOW));
        if (!settings.outboundProxy().isEmpty()) {
            // A loose route (RFC 3261 16.12): the proxy forwards by the Request-URI.
            SipURI proxy = (SipURI) host.addresses().createURI(settings.outboundProxy());
            proxy.setLrParam();
            invite.addHeader(host.headers().createRouteHeader(host.addresses().createAddress(proxy)));
        }
        long sessionId = ThreadLocalRandom.current().nextLong(1L << 40);
        SdesKeys keys = negotiator.offerKeys();
        String sdp = SdpOffer.build(negotiator.codecs(), advertisedAddress, rtpPort, sessionId, 1, keys);
        invite.setContent(sdp, host.headers().createContentTypeHeader("application", "sdp"));
        ClientTransaction ct = host.provider().getNewClientTransaction(invite);
        ScheduledFuture<?> ring = clock.schedule(() -> giveUp(callId.getCallId()), ringSeconds, TimeUnit.SECONDS);
        pending.put(callId.getCallId(), new Pending(ct, sdp, sessionId, rtpPort, keys, room, displayName, outcome, ring));
        ct.sendRequest();
        log.info("call {} dialling {} for room {}", callId.getCallId(), to, room);
    }

    /** Whether {@code callId} is a dial-out still waiting for its final answer, or one we cancelled. */
    boolean owns(String callId) {
        return pending.containsKey(callId) || cancelled.containsKey(callId);
    }

    /** A response to one of our INVITEs. */
    void response(Response response, javax.sip.Dialog dialog) {
        int status = response.getStatusCode();
        CSeqHeader method = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (status < 200 || method == null || !Request.INVITE.equals(method.getMethod())) {
            return; // a provisional answer, or the answer to our CANCEL: the INVITE's own answer decides
        }
        String callId = SipResponses.callId(response);
        Pending p = pending.remove(callId);
        if (p == null) {
            Pending gone = cancelled.remove(callId);
            if (gone != null && status < 300) {
                hangUpCrossed(callId, response, gone.transaction().getRequest());
            }
            return;
        }
        p.ringTimer().cancel(false);
        if (status >= 300) {
            log.info("call {} dial-out failed: {} {}", callId, status, response.getReasonPhrase());
            p.outcome().failed(status, response.getReasonPhrase());
            return;
        }
        javax.sip.Dialog d = dialog != null ? dialog : p.transaction().getDialog();
        try {
            CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
            d.sendAck(d.createAck(cseq.getSeqNumber()));
        } catch (Exception e) {
            p.outcome().failed(500, "ACK not sent: " + e.getMessage());
            return;
        }
        Request invite = p.transaction().getRequest();
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        String transport = ((ViaHeader) invite.getHeader(ViaHeader.NAME)).getTransport().toLowerCase();
        SipCall call = new SipCall(calls, callId, to.getAddress().getURI().toString(), p.displayName(), p.room(),
                transport, null, new SignallingOrigin(addressOf(response), remotePort(response), List.of(), List.of()),
                invite, null, null, d);
        call.tags(((FromHeader) invite.getHeader(FromHeader.NAME)).getTag(), to.getTag());
        call.localAddress(local.toward(LocalAddresses.literal(((SipURI) invite.getRequestURI()).getHost())));
        call.offered(p.sdp(), p.sessionId(), p.rtpPort(), p.keys());
        call.acknowledged();
        call.decided(); // the layer above wanted this call: its end is reported like any other's
        calls.add(call);
        try {
            byte[] body = response.getRawContent();
            if (body == null || body.length == 0) {
                throw new SdpException("no SDP answer in the 200 OK");
            }
            NegotiatedMedia media = negotiator.negotiateAnswer(
                    SessionDescription.parse(new String(body, StandardCharsets.UTF_8)), p.keys());
            call.takeAwaitingAnswer();
            call.answerReceived(media);
        } catch (SdpException e) {
            calls.sendBye(call, "no usable SDP answer: " + e.getMessage(), Response.NOT_ACCEPTABLE_HERE);
            p.outcome().failed(488, e.getMessage());
            return;
        }
        log.info("call {} dial-out answered ({})", callId, call.media().codec());
        p.outcome().answered(call);
    }

    private static int remotePort(Response response) {
        return response instanceof gov.nist.javax.sip.message.SIPMessage m ? m.getRemotePort() : 0;
    }

    /** Where the answer came from, as the stack received it: no name is ever looked up here. */
    private static InetAddress addressOf(Response response) {
        if (response instanceof gov.nist.javax.sip.message.SIPMessage m && m.getRemoteAddress() != null) {
            return m.getRemoteAddress();
        }
        return InetAddress.getLoopbackAddress();
    }

    /**
     * The callee answered as our CANCEL was on its way (RFC 3261 section 9.1: the 200 wins): the
     * call exists for it, so it is acknowledged and at once ended, never left ringing in a line.
     */
    private void hangUpCrossed(String callId, Response response, Request invite) {
        // Built from the 200 and our INVITE, not from the stack's dialog: after our CANCEL the stack
        // may hold the dialog as it was while ringing, without the remote target the ACK needs.
        try {
            javax.sip.header.ContactHeader contact =
                    (javax.sip.header.ContactHeader) response.getHeader(javax.sip.header.ContactHeader.NAME);
            javax.sip.address.URI target = contact != null ? contact.getAddress().getURI() : invite.getRequestURI();
            long seq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
            host.provider().sendRequest(inDialog(Request.ACK, seq, target, response, invite)); // a 2xx's ACK: no transaction
            javax.sip.ClientTransaction bye = host.provider().getNewClientTransaction(
                    inDialog(Request.BYE, seq + 1, target, response, invite));
            if (bye.getDialog() != null) {
                bye.getDialog().sendRequest(bye); // the stack insists where it keeps a dialog for the call
            } else {
                bye.sendRequest();
            }
            log.info("call {} dial-out answered after it was given up: ACK and BYE", callId);
        } catch (Exception e) {
            log.info("call {}: the late answer could not be ended: {}", callId, e.toString());
        }
    }

    /** A request in the dialog a 200 to our INVITE made: our From, its To (with its tag), its Contact. */
    private Request inDialog(String method, long seq, javax.sip.address.URI target, Response response, Request invite)
            throws Exception {
        ViaHeader inviteVia = (ViaHeader) invite.getHeader(ViaHeader.NAME);
        ViaHeader via = host.headers().createViaHeader(inviteVia.getHost(), inviteVia.getPort(), inviteVia.getTransport(),
                "z9hG4bK" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Request r = host.messages().createRequest((javax.sip.address.URI) target.clone(), method,
                (CallIdHeader) invite.getHeader(CallIdHeader.NAME).clone(), host.headers().createCSeqHeader(seq, method),
                (FromHeader) invite.getHeader(FromHeader.NAME).clone(), (ToHeader) response.getHeader(ToHeader.NAME).clone(),
                List.of(via), host.headers().createMaxForwardsHeader(70));
        for (java.util.ListIterator<?> routes = invite.getHeaders(javax.sip.header.RouteHeader.NAME); routes.hasNext(); ) {
            r.addHeader((javax.sip.header.RouteHeader) ((javax.sip.header.RouteHeader) routes.next()).clone());
        }
        return r;
    }

    /** No final answer in time: CANCEL, and a 408 to the caller of {@link #dial}. */
    private void giveUp(String callId) {
        Pending p = pending.remove(callId);
        if (p == null) {
            return;
        }
        cancelled.put(callId, p);
        clock.schedule(() -> cancelled.remove(callId), 64, TimeUnit.SECONDS); // 64*T1: no 200 comes later
        try {
            host.provider().getNewClientTransaction(p.transaction().createCancel()).sendRequest();
        } catch (Exception e) {
            log.debug("call {}: CANCEL not sent: {}", callId, e.toString());
        }
        log.info("call {} dial-out: no answer in time", callId);
        p.outcome().failed(408, "no answer");
    }

    /** The INVITE's transaction timed out (nobody there). */
    void timedOut(String callId) {
        Pending p = pending.remove(callId);
        if (p != null) {
            p.ringTimer().cancel(false);
            p.outcome().failed(408, "no response");
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
