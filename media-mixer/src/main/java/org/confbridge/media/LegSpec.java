package org.confbridge.media;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What a media leg sends and expects, as negotiated by SDP (media-mixer does not read SDP itself).
 *
 * @param codec             codec name as in {@link CodecRegistry}, e.g. {@code PCMU}
 * @param payloadType       RTP payload type of that codec on this leg
 * @param dtmfPayloadType   payload type of telephone-event, or -1 if not negotiated
 * @param ptimeMs           packet duration the peer asked for (10-60 ms)
 * @param remote            where to send until the first packet arrives (then symmetric RTP latches)
 * @param label             a name for logs, e.g. the SIP Call-ID
 */
public record LegSpec(String codec, int payloadType, int dtmfPayloadType, int ptimeMs, InetSocketAddress remote,
                      String label) {
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
