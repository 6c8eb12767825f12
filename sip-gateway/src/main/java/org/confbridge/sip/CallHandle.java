package org.confbridge.sip;

/**
 * What the layer above holds of a call, whatever carries it: a SIP dialog ({@link SipCall}) or a
 * browser's page (WebRTC, signalled over HTTP). Who called, how, and how to end it.
 */
public interface CallHandle {
    /** A unique id for logs and the session record (SIP: the Call-ID). */
    String callId();

    /** Who called, as a URI (SIP: the From URI; a browser: the join link's). */
    String callerUri();

    /** The caller's name as given, or empty. */
    String displayName();

    /** How the call came: {@code udp}, {@code tcp}, {@code tls} or {@code webrtc}. */
    String transport();

    /** Where the call's signalling came from, and whether a trusted proxy relayed it. */
    SignallingOrigin origin();

    /** The audio stream negotiated in SDP, or null where the call's media is set up otherwise (a browser's). */
    default org.confbridge.sip.sdp.NegotiatedMedia media() {
        return null;
    }

    /** Ends the call from the bridge's side. */
    void hangup();
}
