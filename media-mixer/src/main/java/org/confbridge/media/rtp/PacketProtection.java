package org.confbridge.media.rtp;

/**
 * The place in a leg's path where packets are protected (SRTP) or taken as they are: between the
 * socket and {@link RtpIntake} inbound, so that only authenticated packets can latch a source, and
 * between the packetizer and the socket outbound. Packets are transformed in place.
 */
public interface PacketProtection {
    /** Plain RTP: nothing added, nothing checked. */
    PacketProtection NONE = new PacketProtection() {
        @Override
        public int unprotectRtp(byte[] buf, int off, int len) {
            return len;
        }

        @Override
        public int protectRtp(byte[] buf, int off, int len) {
            return len;
        }

        @Override
        public int unprotectRtcp(byte[] buf, int off, int len) {
            return len;
        }

        @Override
        public int protectRtcp(byte[] buf, int off, int len) {
            return len;
        }
    };

    /** The most bytes protecting adds to a packet (an authentication tag, an index). */
    int MAX_OVERHEAD = 32;

    /** Turns a received RTP packet into plain RTP; returns its new length, or -1 when it must be dropped. */
    int unprotectRtp(byte[] buf, int off, int len);

    /** Protects an RTP packet to be sent; returns its new length ({@link #MAX_OVERHEAD} more at most). */
    int protectRtp(byte[] buf, int off, int len);

    /** As {@link #unprotectRtp}, for RTCP. */
    int unprotectRtcp(byte[] buf, int off, int len);

    /** As {@link #protectRtp}, for RTCP. */
    int protectRtcp(byte[] buf, int off, int len);

    /** Whether packets are encrypted (SRTP) rather than plain. */
    default boolean encrypted() {
        return false;
    }

    /** Frees what the protection holds (keys, cipher state). */
    default void close() {
    }
}
