package org.confbridge.media.jitter;

/**
 * One received audio packet as the jitter buffer takes it: its RTP fields, where its payload is,
 * when it arrived, and, where known from its bytes, its level. A leg fills one instance per packet
 * and hands it over; nothing is allocated per packet, and the buffer copies what it keeps.
 */
public final class InboundPacket {
    /** Arrival time of a packet whose arrival was not measured (tests, replays). */
    public static final long UNTIMED = Long.MIN_VALUE;

    long ssrc;
    int sequence;
    long timestamp;
    byte[] payload;
    int offset;
    int length;
    long arrivalNanos = UNTIMED;
    int level = -1;
    int quietBelow;

    /**
     * Describes the packet at hand.
     *
     * @param sequence      its 16-bit RTP sequence number
     * @param timestamp     its 32-bit RTP timestamp
     * @param arrivalNanos  when it arrived (any monotonic clock), or {@link #UNTIMED}
     * @return this
     */
    public InboundPacket set(long ssrc, int sequence, long timestamp, byte[] payload, int offset, int length,
                             long arrivalNanos) {
        this.ssrc = ssrc;
        this.sequence = sequence;
        this.timestamp = timestamp;
        this.payload = payload;
        this.offset = offset;
        this.length = length;
        this.arrivalNanos = arrivalNanos;
        this.level = -1;
        this.quietBelow = 0;
        return this;
    }

    /**
     * Its level read from its bytes ({@code AudioDecoder.meanLevel}; -1: unknown, decode it), and
     * the level below which the leg will play it undecoded: then its bytes need not be kept.
     *
     * @return this
     */
    public InboundPacket level(int level, int quietBelow) {
        this.level = level;
        this.quietBelow = quietBelow;
        return this;
    }
}
