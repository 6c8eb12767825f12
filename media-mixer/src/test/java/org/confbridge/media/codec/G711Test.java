package org.confbridge.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class G711Test {
    @Test
    void ulawDecodesReferenceValues() {
        // G.711 table 2: 0xFF/0x7F are +0/-0, 0x80/0x00 the extremes ±32124.
        assertEquals(0, G711.decodeUlaw((byte) 0xFF));
        assertEquals(0, G711.decodeUlaw((byte) 0x7F));
        assertEquals(32124, G711.decodeUlaw((byte) 0x80));
        assertEquals(-32124, G711.decodeUlaw((byte) 0x00));
        assertEquals(8, G711.decodeUlaw((byte) 0xFE));
        assertEquals(-8, G711.decodeUlaw((byte) 0x7E));
        assertEquals(7932, G711.decodeUlaw((byte) 0xA0));
        assertEquals(132, G711.decodeUlaw((byte) 0xEF));
        assertEquals(120, G711.decodeUlaw((byte) 0xF0));
    }

    @Test
    void alawDecodesReferenceValues() {
        assertEquals(8, G711.decodeAlaw((byte) 0xD5));
        assertEquals(-8, G711.decodeAlaw((byte) 0x55));
        assertEquals(32256, G711.decodeAlaw((byte) 0xAA));
        assertEquals(-32256, G711.decodeAlaw((byte) 0x2A));
        assertEquals(24, G711.decodeAlaw((byte) 0xD4));
    }

    @Test
    void everyUlawCodeRoundTrips() {
        for (int c = 0; c < 256; c++) {
            byte code = (byte) c;
            byte again = G711.encodeUlaw(G711.decodeUlaw(code));
            // -0 (0x7F) decodes to 0, which encodes as +0 (0xFF): the only code that cannot come back.
            int expected = c == 0x7F ? 0xFF : c;
            assertEquals(expected, again & 0xFF, "code " + Integer.toHexString(c));
        }
    }

    @Test
    void everyAlawCodeRoundTrips() {
        for (int c = 0; c < 256; c++) {
            byte code = (byte) c;
            assertEquals(c, G711.encodeAlaw(G711.decodeAlaw(code)) & 0xFF, "code " + Integer.toHexString(c));
        }
    }

    @Test
    void encodingIsMonotonicAndCloseToInput() {
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s += 7) {
            short x = (short) s;
            int u = G711.decodeUlaw(G711.encodeUlaw(x));
            int a = G711.decodeAlaw(G711.encodeAlaw(x));
            // Companding error stays within half a step of the segment: under 1/16 of the value + small floor.
            assertTrue(Math.abs(u - s) <= Math.abs(s) / 16 + 130, "ulaw " + s + " -> " + u);
            assertTrue(Math.abs(a - s) <= Math.abs(s) / 16 + 130, "alaw " + s + " -> " + a);
        }
    }

    @Test
    void concealmentFadesToSilence() {
        short[] out = new short[160];
        G711Codec c = afterLoudPacket(out);
        int previous = 10000;
        for (int i = 0; i < 20; i++) {
            c.conceal(out, 0, 160);
            assertTrue(Math.abs(out[0]) < previous || out[0] == 0);
            previous = Math.abs(out[0]) + 1;
        }
        assertEquals(0, out[0]);
    }

    /** A µ-law codec that has just decoded a loud packet (level 10000) into {@code out}. */
    private static G711Codec afterLoudPacket(short[] out) {
        G711Codec c = G711Codec.ulaw();
        byte[] loud = new byte[160];
        java.util.Arrays.fill(loud, G711.encodeUlaw((short) 10000));
        c.decode(loud, 0, 160, out, 0);
        return c;
    }

    /** The level from the bytes is exactly the mean magnitude of the decoded samples, for both laws. */
    @Test
    void levelFromBytesIsTheDecodedLevel() {
        java.util.Random random = new java.util.Random(7);
        for (G711Codec c : new G711Codec[] {G711Codec.ulaw(), G711Codec.alaw()}) {
            for (int trial = 0; trial < 200; trial++) {
                byte[] payload = new byte[160];
                random.nextBytes(payload);
                short[] pcm = new short[160];
                c.decode(payload, 0, 160, pcm, 0);
                long sum = 0;
                for (short v : pcm) {
                    sum += Math.abs(v);
                }
                assertEquals((int) (sum / 160), c.meanLevel(payload, 0, 160));
            }
        }
    }

    /** After a packet played undecoded, a loss is concealed with silence, not with older audio. */
    @Test
    void aLossAfterASkippedPacketIsSilence() {
        short[] out = new short[160];
        G711Codec c = afterLoudPacket(out);
        c.skipped();
        c.conceal(out, 0, 160);
        for (short v : out) {
            assertEquals(0, v);
        }
    }
}
