package org.confbridge.sip;

import java.net.InetAddress;
import java.util.List;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import org.confbridge.sip.sdp.NegotiatedMedia;
import org.confbridge.sip.sdp.SdesKeys;
import org.confbridge.sip.sdp.SessionDescription;

/**
 * One incoming call as the gateway sees it: who called what, the negotiated audio stream, and
 * where the call is in its life. The state changes only through the transition methods, each of
 * which says what the gateway must send next; they are synchronized, so SIP threads and the
 * thread that decides about the call may race without a lock of the gateway's. The layer above
 * keeps the call as a handle: {@link #hangup()} ends it with BYE (or a final error response if it
 * was never answered).
 */
public final class SipCall implements CallHandle {
    /** Where a call is in its life. */
    public enum State { OFFERED, ANSWERED, CONFIRMED, ENDED }

    /** What ending the call from our side takes, given where it is. */
    enum Hangup {
        /** Not answered yet: a final error response. */
        REJECT,
        /** Answered and confirmed: BYE now. */
        BYE,
        /** Answered, not yet acknowledged: BYE once the ACK is in (RFC 3261 13.3.1.4). */
        AFTER_ACK,
        /** Over already. */
        NOTHING
    }

    private final CallTermination termination;
    private final String callId;
    private final String callerUri;
    private final String displayName;
    private final String requestUser;
    private final String transport;
    private NegotiatedMedia media;
    private final SignallingOrigin origin;
    /** The dialog's tags, ours and the other side's: an in-dialog request must carry both. */
    private volatile String localTag;
    private volatile String remoteTag;
    /** Set once a chat MESSAGE to this caller failed: it is sent no more. */
    private volatile boolean chatStopped;
    /** Our address as this call's peer reaches us: in SDP, Contact and Via for the whole call. */
    private volatile String localAddress;
    final Request invite;
    final ServerTransaction inviteTransaction;
    final SessionDescription offer;
    final Dialog dialog;
    private String answerSdp;
    private long sdpSessionId;
    private long sdpVersion;
    private int localRtpPort;
    private State state = State.OFFERED;
    private boolean byeWhenConfirmed;
    private boolean decided;
    private boolean endReported;
    private String endReason;
    /** A late offer: our offer went in the 200 OK, the caller's answer comes with the ACK. */
    private boolean awaitingAnswer;
    /** The SDES keys of our offer (their remote half unknown until the answer), or null. */
    private SdesKeys offeredKeys;
    /** The call's session timer (RFC 4028), or null without one. */
    private SessionTimerPolicy.Timer sessionTimer;

    SipCall(CallTermination termination, String callId, String callerUri, String displayName, String requestUser,
            String transport, NegotiatedMedia media, SignallingOrigin origin, Request invite,
            ServerTransaction inviteTransaction, SessionDescription offer, Dialog dialog) {
        this.termination = termination;
        this.callId = callId;
        this.callerUri = callerUri;
        this.displayName = displayName;
        this.requestUser = requestUser;
        this.transport = transport;
        this.media = media;
        this.origin = origin;
        this.invite = invite;
        this.inviteTransaction = inviteTransaction;
        this.offer = offer;
        this.dialog = dialog;
    }

    @Override
    public String callId() {
        return callId;
    }

    /** The From URI, e.g. {@code sip:alice@example.com}. */
    @Override
    public String callerUri() {
        return callerUri;
    }

    /** The From display name, or empty. */
    @Override
    public String displayName() {
        return displayName;
    }

    /** The user part of the Request-URI: the room number, or the dial-in user. */
    public String requestUser() {
        return requestUser;
    }

    @Override
    public String transport() {
        return transport;
    }

    /** The address the INVITE's packets came from (a proxy's, when there is one in front). */
    public InetAddress sourceAddress() {
        return origin.address();
    }

    /** The INVITE's Vias from the top, each as its {@code received} parameter or else its host. */
    public List<String> viaHosts() {
        return origin.viaHosts();
    }

    /** Where the INVITE came from, ports included. */
    @Override
    public SignallingOrigin origin() {
        return origin;
    }

    /** Our address as this call's peer reaches us (see {@link LocalAddresses}). */
    public String localAddress() {
        return localAddress;
    }

    void localAddress(String address) {
        this.localAddress = address;
    }

    void stopChat() {
        chatStopped = true;
    }

    boolean chatStopped() {
        return chatStopped;
    }

    /** Names the dialog's tags once they are known (our answer's To tag; a dial-out's answer). */
    void tags(String local, String remote) {
        this.localTag = local;
        this.remoteTag = remote;
    }

    /**
     * Whether a request (its Call-ID already matched) belongs to this call's dialog: its From tag
     * is the other side's and its To tag ours. A request that merely knows the Call-ID, or has no
     * To tag, does not (RFC 3261 section 12.2.2).
     */
    boolean inDialog(Request request) {
        String local = localTag;
        String remote = remoteTag;
        javax.sip.header.FromHeader from = (javax.sip.header.FromHeader) request.getHeader(javax.sip.header.FromHeader.NAME);
        javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) request.getHeader(javax.sip.header.ToHeader.NAME);
        return local != null && remote != null && from != null && to != null
                && remote.equals(from.getTag()) && local.equals(to.getTag());
    }

    /** Whether a CANCEL is for this call's INVITE: the same From tag and top Via branch (RFC 3261 9.2). */
    boolean cancels(Request cancel) {
        javax.sip.header.FromHeader from = (javax.sip.header.FromHeader) cancel.getHeader(javax.sip.header.FromHeader.NAME);
        javax.sip.header.FromHeader ours = (javax.sip.header.FromHeader) invite.getHeader(javax.sip.header.FromHeader.NAME);
        javax.sip.header.ViaHeader via = (javax.sip.header.ViaHeader) cancel.getHeader(javax.sip.header.ViaHeader.NAME);
        javax.sip.header.ViaHeader first = (javax.sip.header.ViaHeader) invite.getHeader(javax.sip.header.ViaHeader.NAME);
        return from != null && via != null && java.util.Objects.equals(from.getTag(), ours.getTag())
                && via.getBranch() != null && via.getBranch().equalsIgnoreCase(first.getBranch());
    }

    /**
     * The audio stream as last negotiated (a re-INVITE may change direction and address); null
     * for a late offer until the caller's answer came with the ACK ({@link CallHandler#onMediaAnswered}).
     */
    @Override
    public synchronized NegotiatedMedia media() {
        return media;
    }

    /** The INVITE came without an offer: the bridge offers in its 200 OK. */
    public synchronized boolean lateOffer() {
        return media == null || awaitingAnswer;
    }

    /** On hold: the caller's offer said sendonly or inactive (our answer recvonly or inactive). */
    public synchronized boolean onHold() {
        return media.direction().equals("recvonly") || media.direction().equals("inactive");
    }

    synchronized int localRtpPort() {
        return localRtpPort;
    }

    synchronized long sdpSessionId() {
        return sdpSessionId;
    }

    /** The version for our next answer's o= line (RFC 3264 8: one more than the last). */
    synchronized long nextSdpVersion() {
        return ++sdpVersion;
    }

    /** A re-offer was answered with {@code sdp}: the stream is {@code updated} from now on. */
    synchronized void mediaChanged(NegotiatedMedia updated, String sdp) {
        media = updated;
        answerSdp = sdp;
    }

    synchronized SessionTimerPolicy.Timer sessionTimer() {
        return sessionTimer;
    }

    synchronized void sessionTimer(SessionTimerPolicy.Timer timer) {
        this.sessionTimer = timer;
    }

    public synchronized State state() {
        return state;
    }

    synchronized String answerSdp() {
        return answerSdp;
    }

    synchronized String endReason() {
        return endReason;
    }

    /** Ends the call from the bridge side: BYE once answered, else a 480 to the INVITE. */
    @Override
    public void hangup() {
        termination.hangup(this);
    }

    // ---- transitions ----

    /**
     * The layer above has decided. Returns whether the call ended meanwhile (a CANCEL): then its
     * end is to be reported now and the decision not carried out.
     */
    synchronized boolean decided() {
        decided = true;
        return state == State.ENDED;
    }

    /** Our 200 OK with {@code sdp} (session {@code sessionId}, version 1, our RTP on {@code rtpPort}) goes out. */
    synchronized void answered(String sdp, long sessionId, int rtpPort) {
        answerSdp = sdp;
        sdpSessionId = sessionId;
        sdpVersion = 1;
        localRtpPort = rtpPort;
        state = State.ANSWERED;
    }

    /**
     * The ACK came. Returns whether it confirmed the call (a stray or repeated ACK does not), and
     * through {@link #takeByeAfterAck} whether a hangup waited for it.
     */
    /** Our 200 OK carries our own offer (a late offer); the answer is awaited in the ACK. */
    synchronized void offered(String sdp, long sessionId, int rtpPort, SdesKeys keys) {
        answered(sdp, sessionId, rtpPort);
        awaitingAnswer = true;
        offeredKeys = keys;
    }

    synchronized SdesKeys offeredKeys() {
        return offeredKeys;
    }

    /** Whether the ACK must carry the answer to our offer (once). */
    synchronized boolean takeAwaitingAnswer() {
        boolean was = awaitingAnswer;
        awaitingAnswer = false;
        return was;
    }

    /** The caller's answer to our offer arrived. */
    synchronized void answerReceived(NegotiatedMedia answered) {
        media = answered;
    }

    synchronized boolean acknowledged() {
        if (state != State.ANSWERED) {
            return false;
        }
        state = State.CONFIRMED;
        return true;
    }

    /** Whether a hangup asked before the ACK is now due (once). */
    synchronized boolean takeByeAfterAck() {
        boolean bye = byeWhenConfirmed;
        byeWhenConfirmed = false;
        return bye;
    }

    /** A CANCEL came: returns whether it cancels anything (the call was not answered yet). */
    synchronized boolean cancelled() {
        return state == State.OFFERED;
    }

    /** The bridge wants the call over: what it takes now. */
    synchronized Hangup hangupRequested() {
        return switch (state) {
            case OFFERED -> Hangup.REJECT;
            case ANSWERED -> {
                byeWhenConfirmed = true;
                yield Hangup.AFTER_ACK;
            }
            case CONFIRMED -> Hangup.BYE;
            case ENDED -> Hangup.NOTHING;
        };
    }

    /**
     * The call is over for {@code reason}. Returns false if it was already; otherwise whether its
     * end is to be reported now (after the decision; before it, {@link #decided} reports it).
     */
    synchronized Ended end(String reason) {
        if (state == State.ENDED) {
            return Ended.ALREADY;
        }
        state = State.ENDED;
        endReason = reason;
        return decided ? Ended.REPORT : Ended.AFTER_DECISION;
    }

    /** What {@link #end} means for the report to the layer above. */
    enum Ended { ALREADY, REPORT, AFTER_DECISION }

    /** True exactly once: the end is reported to the layer above once. */
    synchronized boolean takeEndReport() {
        if (endReported) {
            return false;
        }
        endReported = true;
        return true;
    }

    @Override
    public String toString() {
        return "call " + callId;
    }
}
