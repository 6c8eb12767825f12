package org.confbridge.sip;

/** What the layer above decided about an incoming call. */
public sealed interface CallDecision {
    /** Answer 200 OK with audio on this local RTP port. */
    record Accept(int localRtpPort) implements CallDecision {
    }

    /**
     * Refuse with a final status, e.g. 404 unknown room, 486 full, 503 overloaded; a positive
     * {@code retryAfterSeconds} adds {@code Retry-After}.
     */
    record Reject(int status, String reason, int retryAfterSeconds) implements CallDecision {
    }

    /** Answer 302: the call belongs where {@code contact} (a SIP URI) is, e.g. the node running its room. */
    record Redirect(String contact) implements CallDecision {
    }

    static CallDecision redirect(String contact) {
        return new Redirect(contact);
    }

    static CallDecision accept(int localRtpPort) {
        return new Accept(localRtpPort);
    }

    static CallDecision reject(int status, String reason) {
        return new Reject(status, reason, 0);
    }

    static CallDecision reject(int status, String reason, int retryAfterSeconds) {
        return new Reject(status, reason, retryAfterSeconds);
    }
}
