package org.confbridge.media.rtp;

/**
 * The RFC 4733 telephone-event payload (section 2.3):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class TelephoneEvent {
    public static final int PAYLOAD_SIZE = 4;
    private static final char[] DIGITS = "0123456789*#ABCD".toCharArray();

    private TelephoneEvent() {
    }

    public static int event(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    public static boolean end(byte[] b, int off) {
        return (b[off + 1] & 0x80) != 0;
    }

    public static int volume(byte[] b, int off) {
        return b[off + 1] & 0x3F;
    }

    public static int duration(byte[] b, int off) {
        return ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    /** The keypad character of a DTMF event code (0-15), or 0 for other events (flash, tones). */
    public static char digit(int event) {
        return event >= 0 && event < DIGITS.length ? DIGITS[event] : 0;
    }

    /** The event code of a keypad character, or -1. */
    public static int eventOf(char digit) {
        for (int i = 0; i < DIGITS.length; i++) {
            if (DIGITS[i] == Character.toUpperCase(digit)) {
                return i;
            }
        }
        return -1;
    }

    public static void write(byte[] b, int off, int event, boolean end, int volume, int duration) {
        b[off] = (byte) event;
        b[off + 1] = (byte) ((end ? 0x80 : 0) | (volume & 0x3F));
        b[off + 2] = (byte) (duration >> 8);
        b[off + 3] = (byte) duration;
    }
}
