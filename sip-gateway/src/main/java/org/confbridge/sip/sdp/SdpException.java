package org.confbridge.sip.sdp;

/** An SDP body that cannot be used; the gateway answers it with 488 and this message as Warning. */
public final class SdpException extends Exception {
    private static final long serialVersionUID = 1L;

    public SdpException(String message) {
        super(message);
    }
}
