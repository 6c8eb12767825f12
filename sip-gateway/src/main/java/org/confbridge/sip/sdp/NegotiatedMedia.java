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
 * @param mediaIndex       which of the offer's m= sections was taken (the others are declined)
 * @param protocol         its transport profile, mirrored in the answer ({@code RTP/AVP}, {@code RTP/SAVP}, …)
 * @param srtp             the SDES keying when the stream is SRTP, else null
 */
public record NegotiatedMedia(String codec, String rtpmap, int payloadType, int clockRate, int dtmfPayloadType,
                              int dtmfClockRate, int ptimeMs,
                              String remoteAddress, int remotePort, String direction, int mediaIndex, String protocol,
                              SdesKeys srtp) {
    /** The same stream at another address and direction (a hold in the old style keeps the address). */
    public NegotiatedMedia at(String address, int port, String newDirection) {
        return new NegotiatedMedia(codec, rtpmap, payloadType, clockRate, dtmfPayloadType, dtmfClockRate, ptimeMs,
                address, port, newDirection, mediaIndex, protocol, srtp);
    }
}
