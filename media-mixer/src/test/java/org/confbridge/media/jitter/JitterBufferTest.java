package org.confbridge.media.jitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.confbridge.media.codec.AudioDecoder;
import org.junit.jupiter.api.Test;

class JitterBufferTest {
    /** A decoder whose output tells which packet it came from: every sample = first payload byte. */
    static final class MarkerDecoder implements AudioDecoder {
        int concealed;

        @Override
        public int sampleRate() {
            return 8000;
        }

        @Override
        public int decode(byte[] payload, int off, int len, short[] out, int outOff) {
            for (int i = 0; i < len; i++) {
                out[outOff + i] = payload[off];
            }
            return len;
        }

        @Override
        public void conceal(short[] out, int outOff, int samples) {
            concealed++;
            for (int i = 0; i < samples; i++) {
                out[outOff + i] = -1;
            }
        }
    }

    private final MarkerDecoder decoder = new MarkerDecoder();
    private final JitterBuffer jb = new JitterBuffer(16, 320, 8000, 8000, 40, 200, 2 * (480 + 160));
    private final short[] frame = new short[160];

    private void put(int seq, int marker) {
        put(1234, seq, marker);
    }

    private void put(long ssrc, int seq, int marker) {
        byte[] p = new byte[160];
        java.util.Arrays.fill(p, (byte) marker);
        jb.put(ssrc, seq & 0xFFFF, (long) seq * 160, p, 0, 160);
    }

    /** Reads one frame and returns its marker (0 = silence, -1 = concealed). */
    private int read() {
        boolean audio = jb.read(decoder, frame, 0, 160);
        return audio ? frame[0] : 0;
    }

    @Test
    void buildsUpTargetDelayBeforePlaying() {
        put(10, 1);
        assertEquals(0, read(), "20 ms buffered < 40 ms target");
        put(11, 2);
        assertEquals(1, read());
        assertEquals(2, read());
    }

    @Test
    void reordersPackets() {
        put(10, 1);
        put(12, 3);
        put(11, 2);
        put(13, 4);
        assertEquals(1, read());
        assertEquals(2, read());
        assertEquals(3, read());
        assertEquals(4, read());
        assertEquals(0, jb.stats().lost());
    }

    @Test
    void dropsDuplicatesAndLatePackets() {
        put(10, 1);
        put(11, 2);
        put(11, 2);
        assertEquals(1, jb.stats().duplicates());
        assertEquals(1, read());
        put(10, 1);
        assertEquals(1, jb.stats().late());
        assertEquals(2, read());
    }

    @Test
    void concealsALostPacketOnceALaterOneArrived() {
        put(10, 1);
        put(12, 3);
        assertEquals(1, read());
        assertEquals(-1, read(), "11 missing: concealed");
        assertEquals(3, read());
        assertEquals(1, jb.stats().lost());
        assertEquals(1, decoder.concealed);
    }

    @Test
    void sequenceWrapIsNotLoss() {
        put(65534, 1);
        put(65535, 2);
        put(65536, 3);
        put(65537, 4);
        assertEquals(1, read());
        assertEquals(2, read());
        assertEquals(3, read());
        assertEquals(4, read());
        assertEquals(0, jb.stats().lost());
        assertEquals(0, jb.stats().restarts());
    }

    @Test
    void ssrcChangeStartsOver() {
        put(10, 1);
        put(11, 2);
        assertEquals(1, read());
        put(999, 500, 7);
        put(999, 501, 8);
        assertEquals(7, read());
        assertEquals(8, read());
        assertEquals(1, jb.stats().restarts());
    }

    @Test
    void underrunRefillsInsteadOfPlayingDribbles() {
        put(10, 1);
        put(11, 2);
        assertEquals(1, read());
        assertEquals(2, read());
        assertEquals(0, read());
        assertEquals(0, read());
        assertEquals(0, read());
        put(12, 3);
        assertEquals(0, read(), "refilling after three empty ticks");
        put(13, 4);
        assertEquals(3, read());
        assertTrue(jb.stats().underruns() >= 3);
    }

    @Test
    void delayIsBoundedWhenSenderRunsAhead() {
        for (int s = 0; s < 14; s++) {
            put(s, s + 1);
        }
        // 280 ms queued > 200 ms maximum: the oldest are discarded, newer audio plays.
        int first = read();
        assertTrue(first > 1, "played " + first);
        assertTrue(jb.stats().discarded() > 0);
        assertTrue(jb.bufferedSpan() <= 200 * 8);
    }

    @Test
    void variablePacketTimesFillTwentyMillisecondFrames() {
        JitterBuffer b = new JitterBuffer(16, 480, 8000, 8000, 40, 200, 2 * (480 + 160));
        byte[] p = new byte[240]; // 30 ms packets
        for (int i = 0; i < 4; i++) {
            java.util.Arrays.fill(p, (byte) (i + 1));
            b.put(1, i, i * 240L, p, 0, 240);
        }
        int total = 0;
        for (int i = 0; i < 6; i++) {
            assertTrue(b.read(decoder, frame, 0, 160));
            total += 160;
        }
        assertEquals(960, total);
        assertEquals(4, frame[159]);
        assertFalse(b.read(decoder, frame, 0, 160) && frame[0] > 0 && b.stats().lost() > 0);
    }
}
