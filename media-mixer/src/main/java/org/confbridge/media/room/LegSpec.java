package org.confbridge.media.room;

import org.confbridge.media.codec.CodecRegistry;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.confbridge.media.srtp.SrtpKeying;

/**
 * What a media leg sends and expects, as negotiated by SDP (media-mixer does not read SDP itself).
 *
 * @param codec             codec name as in {@link CodecRegistry}, e.g. {@code PCMU}
 * @param payloadType       RTP payload type of that codec on this leg
 * @param dtmfPayloadType   payload type of telephone-event, or -1 if not negotiated
 * @param ptimeMs           packet duration the peer asked for (10-60 ms)
 * @param remote            the address in the caller's SDP: sent to until a source latches (strict RTP)
 * @param label             a name for logs, e.g. the SIP Call-ID
 * @param signalling        the source address of the caller's SIP, which may also send its media (NAT)
 * @param strictRtp         only the SDP address, or a proven source at the SDP or signalling address,
 *                          latches (see {@link org.confbridge.media.rtp.SourceLatch}); false: the first
 *                          packet from anywhere
 * @param srtp              the keys when the leg's media is SRTP, else null (plain RTP)
 */
public record LegSpec(String codec, int payloadType, int dtmfPayloadType, int ptimeMs, InetSocketAddress remote,
                      String label, InetAddress signalling, boolean strictRtp, SrtpKeying srtp) {
    /** Plain RTP, strict, the caller's signalling at its SDP address. */
    public LegSpec(String codec, int payloadType, int dtmfPayloadType, int ptimeMs, InetSocketAddress remote,
                   String label) {
        this(codec, payloadType, dtmfPayloadType, ptimeMs, remote, label, remote.getAddress(), true, null);
    }

    /** The same leg in another payload format (a re-offer changed the codec). */
    public LegSpec withCodec(String newCodec, int newPayloadType, int newDtmfPayloadType, int newPtimeMs) {
        return new LegSpec(newCodec, newPayloadType, newDtmfPayloadType, newPtimeMs, remote, label, signalling,
                strictRtp, srtp);
    }

    /** Whether {@code other} is sent and received in the same payload format. */
    public boolean sameFormat(String otherCodec, int otherPayloadType, int otherDtmfPayloadType, int otherPtimeMs) {
        return codec.equalsIgnoreCase(otherCodec) && payloadType == otherPayloadType
                && dtmfPayloadType == otherDtmfPayloadType && ptimeMs == otherPtimeMs;
    }

    public LegSpec {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(remote, "remote");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range: " + payloadType);
        }
        if (ptimeMs < 10 || ptimeMs > 60 || ptimeMs % 10 != 0) {
            throw new IllegalArgumentException("ptime must be 10..60 ms in steps of 10: " + ptimeMs);
        }
    }
}
