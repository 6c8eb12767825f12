package org.confbridge.sip.sdp;

/**
 * The outcome of an SDP offer/answer for the audio stream: what both sides will send.
 *
 * @param codec            encoding name, e.g. {@code PCMU}
 * @param payloadType      the payload type number the caller offered for it (kept in the answer)
 * @param clockRate        RTP clock rate
 * @param dtmfPayloadType  telephone-event payload type, or -1 when the caller offered none
 * @param ptimeMs          packet duration to send (the caller's a=ptime, else 20)
 * @param remoteAddress    where the caller wants audio (c= address)
 * @param remotePort       the caller's RTP port
 * @param direction        direction of our answer (sendrecv, or the mirror of the offer's)
 */
public record NegotiatedMedia(String codec, int payloadType, int clockRate, int dtmfPayloadType, int ptimeMs,
                              String remoteAddress, int remotePort, String direction) {
}
