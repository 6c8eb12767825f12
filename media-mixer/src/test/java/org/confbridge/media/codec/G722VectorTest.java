package org.confbridge.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Bit-exact regression vectors for {@link G722}: CRC-32s of what the encoder makes of a fixed
 * signal and of what the decoder makes of that bitstream and of random bytes (every code, every
 * state), recorded from the implementation that {@code G722ReferenceIT} checked against ffmpeg.
 * A faster rewrite of either direction must leave every value unchanged.
 */
class G722VectorTest {
    private static final int FRAME = 320;

    /** Three seconds: a sweep 50 Hz to 7.9 kHz with noise, then full-scale square bursts and silence. */
    static short[] signal() {
        Random random = new Random(722);
        short[] s = new short[16000 * 3];
        double phase = 0;
        for (int i = 0; i < s.length; i++) {
            double t = i / 16000.0;
            double f = 50 + (7900 - 50) * t / 3;
            phase += 2 * Math.PI * f / 16000;
            double v = 9000 * Math.sin(phase) + random.nextGaussian() * 300;
            if (i % 8000 < 800) {
                v = (i / 20) % 2 == 0 ? 32767 : -32768; // saturation, big steps
            } else if (i % 8000 < 1600) {
                v = 0;
            }
            s[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }
        return s;
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    private static long crc(short[] s) {
        byte[] b = new byte[2 * s.length];
        for (int i = 0; i < s.length; i++) {
            b[2 * i] = (byte) s[i];
            b[2 * i + 1] = (byte) (s[i] >> 8);
        }
        return crc(b);
    }

    private static short[] decode(byte[] bits, int frameBytes) {
        G722 dec = new G722();
        short[] out = new short[2 * bits.length];
        for (int off = 0; off < bits.length; off += frameBytes) {
            dec.decode(bits, off, Math.min(frameBytes, bits.length - off), out, 2 * off);
        }
        return out;
    }

    @Test
    void encoderMatchesItsRecordedVector() {
        short[] in = signal();
        byte[] bits = new byte[in.length / 2];
        G722 enc = new G722();
        for (int f = 0; f < in.length / FRAME; f++) {
            assertEquals(FRAME / 2, enc.encode(in, f * FRAME, FRAME, bits, f * FRAME / 2));
        }
        assertEquals(1926594447L, crc(bits), "bitstream");
    }

    @Test
    void decoderMatchesItsRecordedVectors() {
        short[] in = signal();
        byte[] bits = new byte[in.length / 2];
        G722 enc = new G722();
        enc.encode(in, 0, in.length, bits, 0);
        assertEquals(614506727L, crc(decode(bits, 160)), "decoded bitstream");
        byte[] random = new byte[24000];
        new Random(9).nextBytes(random);
        assertEquals(1904506677L, crc(decode(random, 160)), "decoded random bytes");
        // Frame size does not matter: 1 byte at a time gives the same samples.
        assertEquals(crc(decode(random, 160)), crc(decode(random, 1)));
    }
}
