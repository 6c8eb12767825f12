package org.confbridge.sip.sdp;

/**
 * The outcome of an SDP offer/answer for the audio stream: what both sides will send.
 *
 * @param codec            encoding name in upper case, e.g. {@code PCMU}, {@code OPUS}
 * @param rtpmap           the rtpmap value to answer with, as the caller wrote it, e.g. {@code opus/48000/2}
 * @param payloadType      the payload type number the caller offered for it (kept in the answer)
 * @param clockRate        RTP clock rate
 * @param dtmfPayloadType  telephone-event payload type, or -1 when the caller offered none
 * @param dtmfClockRate    the clock rate the caller offered telephone-event with
 * @param ptimeMs          packet duration to send (the caller's a=ptime, else 20)
 * @param remoteAddress    where the caller wants audio (c= address)
 * @param remotePort       the caller's RTP port
 * @param direction        direction of our answer (sendrecv, or the mirror of the offer's)
 */
public record NegotiatedMedia(String codec, String rtpmap, int payloadType, int clockRate, int dtmfPayloadType,
                              int dtmfClockRate, int ptimeMs,
                              String remoteAddress, int remotePort, String direction) {
}
