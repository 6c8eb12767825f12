package org.confbridge.media.codec;

/**
 * ITU-T G.711 µ-law and A-law companding. Decoding is a 256-entry table; encoding is the
 * segment search of the recommendation, tabulated over the 14-bit (µ-law) and 13-bit (A-law)
 * linear ranges the codes can represent.
 */
public final class G711 {
    private static final int[] ULAW_SEGMENT_END = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
    private static final int[] ALAW_SEGMENT_END = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
    private static final short[] ULAW_DECODE = new short[256];
    private static final short[] ALAW_DECODE = new short[256];
    private static final byte[] ULAW_ENCODE = new byte[1 << 14];
    private static final byte[] ALAW_ENCODE = new byte[1 << 13];
    private static final short[] ULAW_ABS = new short[256];
    private static final short[] ALAW_ABS = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_DECODE[i] = ulawToLinear(i);
            ALAW_DECODE[i] = alawToLinear(i);
            ULAW_ABS[i] = (short) Math.abs(ULAW_DECODE[i]);
            ALAW_ABS[i] = (short) Math.abs(ALAW_DECODE[i]);
        }
        for (int i = 0; i < ULAW_ENCODE.length; i++) {
            ULAW_ENCODE[i] = linearToUlaw((short) ((i - (1 << 13)) << 2));
        }
        for (int i = 0; i < ALAW_ENCODE.length; i++) {
            ALAW_ENCODE[i] = linearToAlaw((short) ((i - (1 << 12)) << 3));
        }
    }

    private G711() {
    }

    public static short decodeUlaw(byte code) {
        return ULAW_DECODE[code & 0xFF];
    }

    public static short decodeAlaw(byte code) {
        return ALAW_DECODE[code & 0xFF];
    }

    /** The magnitude of a code's sample: a level without decoding. */
    public static int magnitudeUlaw(byte code) {
        return ULAW_ABS[code & 0xFF];
    }

    public static int magnitudeAlaw(byte code) {
        return ALAW_ABS[code & 0xFF];
    }

    public static byte encodeUlaw(short sample) {
        return ULAW_ENCODE[(sample >> 2) + (1 << 13)];
    }

    public static byte encodeAlaw(short sample) {
        return ALAW_ENCODE[(sample >> 3) + (1 << 12)];
    }

    private static short ulawToLinear(int code) {
        int u = ~code & 0xFF;
        int t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    private static short alawToLinear(int code) {
        int a = code ^ 0x55;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        if (seg == 0) {
            t += 8;
        } else {
            t = (t + 0x108) << (seg - 1);
        }
        return (short) ((a & 0x80) != 0 ? t : -t);
    }

    /** µ-law on the 14-bit value, bias 33 (G.711 table 2). */
    private static byte linearToUlaw(short pcm) {
        int v = pcm >> 2;
        int mask;
        if (v < 0) {
            v = -v;
            mask = 0x7F;
        } else {
            mask = 0xFF;
        }
        v = Math.min(v, 8159) + 33;
        int seg = segment(v, ULAW_SEGMENT_END);
        if (seg >= 8) {
            return (byte) (0x7F ^ mask);
        }
        return (byte) (((seg << 4) | ((v >> (seg + 1)) & 0x0F)) ^ mask);
    }

    /** A-law on the 13-bit value; even bits inverted (XOR 0x55) as the recommendation requires. */
    private static byte linearToAlaw(short pcm) {
        int v = pcm >> 3;
        int mask;
        if (v >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            v = -v - 1;
        }
        int seg = segment(v, ALAW_SEGMENT_END);
        if (seg >= 8) {
            return (byte) (0x7F ^ mask);
        }
        int aval = seg << 4;
        aval |= seg < 2 ? (v >> 1) & 0x0F : (v >> seg) & 0x0F;
        return (byte) (aval ^ mask);
    }

    private static int segment(int v, int[] ends) {
        for (int i = 0; i < ends.length; i++) {
            if (v <= ends[i]) {
                return i;
            }
        }
        return ends.length;
    }
}
