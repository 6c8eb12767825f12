package org.confbridge.sip;

import java.net.InetAddress;
import java.util.List;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import org.confbridge.sip.sdp.NegotiatedMedia;
import org.confbridge.sip.sdp.SessionDescription;

/**
 * One incoming call as the gateway sees it: who called what, and the negotiated audio stream.
 * The layer above keeps it as a handle: {@link #hangup()} ends the call with BYE (or a final
 * error response if it was never answered).
 */
public final class SipCall {
    /** Where a call is in its life. */
    public enum State { OFFERED, ANSWERED, CONFIRMED, ENDED }

    private final SipGateway gateway;
    private final String callId;
    private final String callerUri;
    private final String displayName;
    private final String requestUser;
    private final String transport;
    private final NegotiatedMedia media;
    private final InetAddress source;
    private final List<String> viaHosts;
    final Request invite;
    final ServerTransaction inviteTransaction;
    final SessionDescription offer;
    final Dialog dialog;
    String answerSdp;
    private State state = State.OFFERED;
    boolean byeWhenConfirmed;
    boolean endReported;
    boolean decided;
    String endReason;

    SipCall(SipGateway gateway, String callId, String callerUri, String displayName, String requestUser,
            String transport, NegotiatedMedia media, InetAddress source, List<String> viaHosts, Request invite,
            ServerTransaction inviteTransaction, SessionDescription offer, Dialog dialog) {
        this.gateway = gateway;
        this.callId = callId;
        this.callerUri = callerUri;
        this.displayName = displayName;
        this.requestUser = requestUser;
        this.transport = transport;
        this.media = media;
        this.source = source;
        this.viaHosts = List.copyOf(viaHosts);
        this.invite = invite;
        this.inviteTransaction = inviteTransaction;
        this.offer = offer;
        this.dialog = dialog;
    }

    public String callId() {
        return callId;
    }

    /** The From URI, e.g. {@code sip:alice@example.com}. */
    public String callerUri() {
        return callerUri;
    }

    /** The From display name, or empty. */
    public String displayName() {
        return displayName;
    }

    /** The user part of the Request-URI: the room number, or the dial-in user. */
    public String requestUser() {
        return requestUser;
    }

    public String transport() {
        return transport;
    }

    /** The address the INVITE's packets came from (a proxy's, when there is one in front). */
    public InetAddress sourceAddress() {
        return source;
    }

    /** The INVITE's Vias from the top, each as its {@code received} parameter or else its host. */
    public List<String> viaHosts() {
        return viaHosts;
    }

    public NegotiatedMedia media() {
        return media;
    }

    public synchronized State state() {
        return state;
    }

    synchronized void state(State s) {
        this.state = s;
    }

    /** Ends the call from the bridge side: BYE once answered, else a 480 to the INVITE. */
    public void hangup() {
        gateway.hangup(this);
    }

    @Override
    public String toString() {
        return "call " + callId;
    }
}
