package org.confbridge.media.rtp;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A leg's outbound RTP stream: cuts encoded audio into packets of the negotiated ptime (one frame
 * a packet for frame-based codecs such as Opus), numbers and stamps them, and hands each to a
 * {@link Sink}. The stream's identity (SSRC, sequence, timestamp) starts at random, as RFC 3550
 * asks. While the caller does not want our audio (on hold) nothing is sent but time goes on.
 */
public final class RtpPacketizer {
    /** Where each assembled packet goes. */
    public interface Sink {
        /** {@code packet[0..len)} is a complete RTP packet; room is left after it for protection. */
        void packet(byte[] packet, int len, long timestamp);
    }

    private final int payloadType;
    private long ssrc = ThreadLocalRandom.current().nextLong(1L << 32);
    private final boolean frameBased;
    private final int bytesPerPacket;
    private final int samplesPerPacket;
    private final byte[] pending;
    private int pendingLen;
    private int sequence = ThreadLocalRandom.current().nextInt(1 << 16);
    private long timestamp = ThreadLocalRandom.current().nextLong(1L << 32);
    private boolean firstPacket = true;
    private boolean sending = true;

    /**
     * A stream of {@code payloadType}: for a sample-based codec {@code bytesPerPacket} bytes a
     * packet, for a frame-based one ({@code bytesPerPacket == 0}) one frame of at most
     * {@code maxFrame} bytes; {@code samplesPerPacket} at the codec's clock rate.
     */
    public RtpPacketizer(int payloadType, int bytesPerPacket, int samplesPerPacket, int maxFrame) {
        this.payloadType = payloadType;
        this.frameBased = bytesPerPacket == 0;
        this.bytesPerPacket = bytesPerPacket;
        this.samplesPerPacket = samplesPerPacket;
        this.pending = new byte[bytesPerPacket + 2 * maxFrame];
    }

    /**
     * The same stream (SSRC, sequence, timestamp) in another payload format: a re-offer changed the
     * codec. Its first packet starts a talkspurt.
     */
    public RtpPacketizer continuedAs(int newPayloadType, int newBytesPerPacket, int newSamplesPerPacket, int maxFrame) {
        RtpPacketizer next = new RtpPacketizer(newPayloadType, newBytesPerPacket, newSamplesPerPacket, maxFrame);
        next.ssrc = ssrc;
        next.sequence = sequence;
        next.timestamp = timestamp;
        next.sending = sending;
        return next;
    }

    public long ssrc() {
        return ssrc;
    }

    /** Whether the caller wants our audio (its SDP direction). A resumed stream starts a talkspurt (marker bit). */
    public void sending(boolean value) {
        if (sending != value) {
            firstPacket = true;
        }
        sending = value;
    }

    /**
     * Queues 20 ms of encoded audio; each packet it completes is assembled in {@code scratch}
     * (header, payload and room for protection) and handed to {@code sink}.
     */
    public void add(byte[] payload, int len, byte[] scratch, Sink sink) {
        if (frameBased) {
            if (len > 0) {
                emit(payload, 0, len, scratch, sink);
            }
            return;
        }
        if (pendingLen == 0 && len == bytesPerPacket) {
            emit(payload, 0, len, scratch, sink); // ptime 20: one frame is one packet, no packetizing copy
            return;
        }
        System.arraycopy(payload, 0, pending, pendingLen, len);
        pendingLen += len;
        while (pendingLen >= bytesPerPacket) {
            emit(pending, 0, bytesPerPacket, scratch, sink);
            pendingLen -= bytesPerPacket;
            System.arraycopy(pending, bytesPerPacket, pending, 0, pendingLen);
        }
    }

    private void emit(byte[] payload, int off, int len, byte[] scratch, Sink sink) {
        long ts = timestamp;
        timestamp = (ts + samplesPerPacket) & 0xFFFFFFFFL;
        if (!sending) {
            return; // time goes on while nothing is sent
        }
        RtpHeader.write(scratch, 0, firstPacket, payloadType, sequence, ts, ssrc);
        System.arraycopy(payload, off, scratch, RtpHeader.FIXED_SIZE, len);
        firstPacket = false;
        sequence = (sequence + 1) & 0xFFFF;
        sink.packet(scratch, RtpHeader.FIXED_SIZE + len, ts);
    }
}
