package org.confbridge.media.rtp;

import java.net.InetSocketAddress;

/**
 * The first stage of a leg's inbound path: is a datagram RTP, is it from the caller's media source
 * (strict RTP, see {@link SourceLatch}), and which of the negotiated streams is it. Owns the
 * latch and the address media goes to. The leg's loop only; nothing is allocated per packet.
 */
public final class RtpIntake {
    /** What a datagram is. */
    public enum Kind {
        /** The negotiated audio payload type. */
        AUDIO,
        /** Keypad events (RFC 4733). */
        EVENT,
        /** Comfort noise (RFC 3389) from a phone's silence suppression: silence, nothing to decode. */
        COMFORT_NOISE,
        /** From the caller, of a payload type that was not negotiated. */
        UNKNOWN_PAYLOAD,
        /** Not an RTP packet. */
        MALFORMED,
        /** From a source still proving itself (strict RTP). */
        LEARNING,
        /** Not from the caller's media source. */
        FOREIGN
    }

    private static final int COMFORT_NOISE_PT = 13;

    private int payloadType;
    private int eventPayloadType;
    private final SourceLatch latch;
    /** Where media goes: the SDP address until a source latches, then that source. */
    private InetSocketAddress remote;
    /** The latched source, null until one has proven itself. */
    private InetSocketAddress latched;
    /** A source latched with the packet just accepted, for the leg to connect its socket to; else null. */
    private InetSocketAddress newSource;
    private int payloadOffset;
    private int payloadLength;

    public RtpIntake(int payloadType, int eventPayloadType, SourceLatch latch) {
        this.payloadType = payloadType;
        this.eventPayloadType = eventPayloadType;
        this.latch = latch;
        this.remote = latch.sdpAddress();
    }

    /** The payload types a re-offer settled on; the latch stays. */
    public void payloadTypes(int newPayloadType, int newEventPayloadType) {
        this.payloadType = newPayloadType;
        this.eventPayloadType = newEventPayloadType;
    }

    /**
     * Judges the datagram {@code buf[off..off+len)} from {@code sender}. For an accepted packet,
     * {@link #payloadOffset()} and {@link #payloadLength()} then locate its payload.
     */
    public Kind accept(byte[] buf, int off, int len, InetSocketAddress sender) {
        newSource = null;
        int payloadOff = RtpHeader.payloadOffset(buf, off, len);
        if (payloadOff < 0) {
            return Kind.MALFORMED;
        }
        int pt = RtpHeader.payloadType(buf, off);
        // The latched source itself (a clean connected socket reports it as this very object): nothing to judge.
        if (sender != latched) {
            switch (latch.check(sender, pt == payloadType || pt == eventPayloadType, RtpHeader.sequence(buf, off))) {
                case ACCEPT -> {
                    if (latched != latch.latched()) {
                        latched = latch.latched();
                        remote = latched;
                        newSource = latched;
                    }
                }
                case LEARNING -> {
                    return Kind.LEARNING;
                }
                default -> {
                    return Kind.FOREIGN;
                }
            }
        }
        payloadOffset = off + payloadOff;
        payloadLength = RtpHeader.payloadLength(buf, off, len);
        return pt == payloadType ? Kind.AUDIO : pt == eventPayloadType ? Kind.EVENT
                : pt == COMFORT_NOISE_PT ? Kind.COMFORT_NOISE : Kind.UNKNOWN_PAYLOAD;
    }

    /** Where the accepted packet's payload starts in its buffer. */
    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** The source that latched with the last accepted packet (connect to it now), or null. */
    public InetSocketAddress newSource() {
        return newSource;
    }

    /** Where media goes now. */
    public InetSocketAddress remote() {
        return remote;
    }

    /** The address the SDP gave. */
    public InetSocketAddress sdpAddress() {
        return latch.sdpAddress();
    }

    /** The caller's media moved (a re-offer): forget the latched source and learn anew. */
    public void relatch(InetSocketAddress sdpAddress) {
        latch.relatch(sdpAddress);
        remote = sdpAddress;
        latched = null;
    }

    /** Whether a datagram from {@code sender} could be the caller's at all (before it is decrypted). */
    public boolean plausible(InetSocketAddress sender) {
        return sender == latched || latch.plausible(sender);
    }

    /** Whether an RTCP datagram from {@code sender} is the caller's. */
    public boolean acceptsRtcp(InetSocketAddress sender) {
        return latch.acceptsRtcp(sender);
    }

    /** True once, for the first foreign packet: one log line per leg, the rest only counted. */
    public boolean firstForeign() {
        return latch.firstForeign();
    }
}
