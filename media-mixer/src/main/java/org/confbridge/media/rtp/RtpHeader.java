package org.confbridge.media.rtp;

/**
 * Static accessors for the fixed RTP header (RFC 3550 section 5.1) over {@code (byte[] buf, int off)}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RtpHeader {
    /** Size of the fixed header without CSRCs or extension. */
    public static final int FIXED_SIZE = 12;

    private RtpHeader() {
    }

    public static int version(byte[] b, int off) {
        return (b[off] >> 6) & 0x03;
    }

    public static boolean padding(byte[] b, int off) {
        return (b[off] & 0x20) != 0;
    }

    public static boolean extension(byte[] b, int off) {
        return (b[off] & 0x10) != 0;
    }

    public static int csrcCount(byte[] b, int off) {
        return b[off] & 0x0F;
    }

    public static boolean marker(byte[] b, int off) {
        return (b[off + 1] & 0x80) != 0;
    }

    public static int payloadType(byte[] b, int off) {
        return b[off + 1] & 0x7F;
    }

    public static int sequence(byte[] b, int off) {
        return ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    /** The 32-bit timestamp as an unsigned value. */
    public static long timestamp(byte[] b, int off) {
        return readUint32(b, off + 4);
    }

    public static long ssrc(byte[] b, int off) {
        return readUint32(b, off + 8);
    }

    /**
     * Offset of the payload relative to {@code off}, or -1 if the packet is not a well-formed RTP
     * version 2 packet of {@code len} bytes (too short for its CSRCs, extension or padding).
     */
    public static int payloadOffset(byte[] b, int off, int len) {
        if (len < FIXED_SIZE || version(b, off) != 2) {
            return -1;
        }
        int pos = FIXED_SIZE + 4 * csrcCount(b, off);
        if (extension(b, off)) {
            if (len < pos + 4) {
                return -1;
            }
            int words = ((b[off + pos + 2] & 0xFF) << 8) | (b[off + pos + 3] & 0xFF);
            pos += 4 + 4 * words;
        }
        return pos <= len - paddingLength(b, off, len) ? pos : -1;
    }

    /** Payload length, or -1 when the packet is malformed. */
    public static int payloadLength(byte[] b, int off, int len) {
        int pos = payloadOffset(b, off, len);
        return pos < 0 ? -1 : len - pos - paddingLength(b, off, len);
    }

    private static int paddingLength(byte[] b, int off, int len) {
        return padding(b, off) && len > 0 ? b[off + len - 1] & 0xFF : 0;
    }

    /** Writes a fixed 12-byte header (no CSRC, no extension, no padding). */
    public static void write(byte[] b, int off, boolean marker, int payloadType, int sequence, long timestamp, long ssrc) {
        b[off] = (byte) 0x80;
        b[off + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        b[off + 2] = (byte) (sequence >> 8);
        b[off + 3] = (byte) sequence;
        writeUint32(b, off + 4, timestamp);
        writeUint32(b, off + 8, ssrc);
    }

    static long readUint32(byte[] b, int off) {
        return ((long) (b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static void writeUint32(byte[] b, int off, long v) {
        b[off] = (byte) (v >> 24);
        b[off + 1] = (byte) (v >> 16);
        b[off + 2] = (byte) (v >> 8);
        b[off + 3] = (byte) v;
    }
}
