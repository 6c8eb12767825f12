package org.confbridge.sip;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the gateway asks of the layer above (conference-core). Methods are called on SIP stack
 * threads and must not block. For every call passed to {@link #onInvite}, {@link #onCallEnded} is
 * called exactly once, after the decision has completed, whether the call was answered or not.
 */
public interface CallHandler {
    /**
     * The first look at a new INVITE, before its offer is parsed or anything is logged: a
     * rejection for a source over its limits, or null to go on. Must be cheap.
     *
     * @param viaHosts the Vias from the top, each as its received parameter or else its host
     */
    CallDecision.Reject screen(InetAddress source, List<String> viaHosts);

    /**
     * A new call with a usable offer, or without one ({@link SipCall#lateOffer()}: its media comes
     * with {@link #onMediaAnswered}); complete with accept (a local RTP port) or reject.
     */
    CompletionStage<CallDecision> onInvite(SipCall call);

    /** A key press sent as SIP INFO ({@code application/dtmf-relay} or {@code application/dtmf}). */
    void onDigit(SipCall call, char digit);

    /**
     * A re-INVITE changed the call's stream ({@link SipCall#media()}): its direction (hold,
     * resume), its address or port. Called after our answer went out.
     */
    default void onMediaChanged(SipCall call) {
    }

    /**
     * A late offer's answer came with the ACK: {@link SipCall#media()} is known now, and the
     * call's media can start on the port the layer above accepted it with.
     */
    default void onMediaAnswered(SipCall call) {
    }

    /**
     * A chat message (SIP MESSAGE, {@code text/plain}): in a call's dialog ({@code call} set, its
     * tags checked), or page mode to the room's URI ({@code room}), from {@code fromUri} as it
     * arrived from {@code origin}. Returns the SIP status to answer with: 200 when relayed, 403 or
     * 404 for a non-participant, 503 over its rate.
     */
    default int onChat(SipCall call, String room, String fromUri, SignallingOrigin origin, String text) {
        return 405;
    }

    /** The call is over: BYE either way, CANCEL, rejection, or a SIP timeout. */
    void onCallEnded(SipCall call, String reason);
}
