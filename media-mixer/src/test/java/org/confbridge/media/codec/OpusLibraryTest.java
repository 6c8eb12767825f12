package org.confbridge.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.confbridge.media.jitter.InboundPacket;
import org.confbridge.media.jitter.JitterBuffer;
import org.confbridge.media.testing.Tone;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The system's libopus next to Concentus: same streams, no heap allocation, no harm from bad packets. */
class OpusLibraryTest {
    @BeforeAll
    static void libopusIsInstalled() {
        // scripts/install-test-tools.sh installs it; without it this class must fail, not skip.
        assertNull(OpusLibrary.LIBOPUS.unavailableReason(), "libopus must be installed for the tests");
    }

    @Test
    void eachLibraryDecodesWhatTheOtherEncoded() {
        short[] in = Tone.sine(1000, 16000, 16000, 10000);
        for (OpusLibrary from : OpusLibrary.values()) {
            for (OpusLibrary to : OpusLibrary.values()) {
                OpusCodec enc = new OpusCodec(16000, 32000, from);
                OpusCodec dec = new OpusCodec(16000, 32000, to);
                short[] out = new short[in.length];
                byte[] packet = new byte[OpusCodec.MAX_PAYLOAD];
                for (int f = 0; f + 320 <= in.length; f += 320) {
                    int n = enc.encode(in, f, 320, packet, 0);
                    assertTrue(n > 0 && n <= 160, from + " packet of " + n + " bytes");
                    assertEquals(320, dec.decode(packet, 0, n, out, f));
                }
                String pair = from + " -> " + to;
                assertEquals(1000, Tone.dominantFrequency(out, 16000, 7000), 10, pair);
                double level = Tone.goertzel(out, 8000, 8000, 1000, 16000);
                assertTrue(level > 5000 && level < 13000, pair + ": level kept, " + level);
                enc.close();
                dec.close();
            }
        }
    }

    /**
     * A browser sends fullband Opus (encoded at 48 kHz); a room mixing at 16 kHz must hear it with
     * either library. Concentus decoded such a stream to silence below 48 kHz.
     */
    @Test
    void aFullbandStreamIsHeardAtTheRoomRate() {
        short[] in = Tone.sine(440, 48000, 48000, 12000);
        for (OpusLibrary from : OpusLibrary.values()) {
            for (OpusLibrary to : OpusLibrary.values()) {
                OpusCodec enc = new OpusCodec(48000, 32000, from);
                OpusCodec dec = new OpusCodec(16000, 32000, to);
                short[] out = new short[16000];
                byte[] packet = new byte[OpusCodec.MAX_PAYLOAD];
                for (int f = 0; f < 50; f++) {
                    int n = enc.encode(in, f * 960, 960, packet, 0);
                    assertEquals(320, dec.decode(packet, 0, n, out, f * 320));
                }
                double level = Tone.goertzel(out, 8000, 8000, 440, 16000);
                assertTrue(level > 5000, from + " at 48 kHz -> " + to + " at 16 kHz: " + level);
                enc.close();
                dec.close();
            }
        }
    }

    @Test
    void libopusAllocatesNothingPerFrame() {
        OpusCodec enc = new OpusCodec(16000, 32000, OpusLibrary.LIBOPUS);
        OpusCodec dec = new OpusCodec(16000, 32000, OpusLibrary.LIBOPUS);
        short[] in = Tone.sine(440, 16000, 16000, 8000);
        short[] out = new short[1920];
        byte[] packet = new byte[OpusCodec.MAX_PAYLOAD];
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = 0;
        int frames = 2000;
        for (int i = 0; i < 2 * frames; i++) {
            if (i == frames) {
                before = threads.getThreadAllocatedBytes(id); // the first half warms up
            }
            int n = enc.encode(in, (i % 50) * 320, 320, packet, 0);
            dec.decode(packet, 0, n, out, 0);
            if (i % 10 == 0) {
                dec.conceal(out, 0, 320);
            }
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        // Concentus allocates about 8 KB per decoded frame and more per encoded one.
        assertTrue(allocated < frames, allocated + " bytes allocated over " + frames + " frames");
        enc.close();
        dec.close();
    }

    @Test
    void garbagePacketsAreConcealedAndHarmNothing() {
        for (OpusLibrary library : OpusLibrary.values()) {
            OpusCodec dec = new OpusCodec(16000, 32000, library);
            Random random = new Random(7);
            short[] out = new short[1920];
            byte[] junk = new byte[OpusCodec.MAX_PAYLOAD];
            for (int i = 0; i < 20000; i++) {
                int len = random.nextInt(i % 2 == 0 ? 8 : junk.length + 1);
                random.nextBytes(junk);
                int n = dec.decode(junk, 0, len, out, 0);
                assertTrue(n >= 0 && n <= 1920, library + ": " + n + " samples from " + len + " random bytes");
            }
            // And it still decodes a real stream afterwards.
            OpusCodec enc = new OpusCodec(16000, 32000, library);
            short[] in = Tone.sine(1000, 16000, 8000, 10000);
            short[] heard = new short[in.length];
            byte[] packet = new byte[OpusCodec.MAX_PAYLOAD];
            for (int f = 0; f + 320 <= in.length; f += 320) {
                dec.decode(packet, 0, enc.encode(in, f, 320, packet, 0), heard, f);
            }
            assertEquals(1000, Tone.dominantFrequency(heard, 16000, 7000), 10, library.spelling());
            dec.close();
            enc.close();
        }
    }

    /**
     * The same garbage on the way a caller's packets take: through a jitter buffer as a leg builds
     * it, with every third packet missing (concealment and FEC in between), one read per tick.
     */
    @Test
    void garbageThroughAJitterBufferOnlyCostsFrames() {
        for (OpusLibrary library : OpusLibrary.values()) {
            OpusCodec dec = new OpusCodec(16000, 32000, library);
            JitterBuffer buffer = new JitterBuffer(32, 1500, 160, 48000, 16000, 20, 200);
            Random random = new Random(11);
            byte[] junk = new byte[400];
            short[] frame = new short[320];
            InboundPacket packet = new InboundPacket();
            for (int t = 0; t < 5000; t++) {
                random.nextBytes(junk);
                if (t % 3 != 2) {
                    buffer.put(packet.set(5, t & 0xFFFF, t * 960L, junk, 0, 1 + random.nextInt(junk.length),
                            t * 20_000_000L));
                }
                buffer.read(dec, frame, 0, frame.length, 0);
            }
            assertTrue(buffer.stats().played() > 2000, library + ": " + buffer.stats().played() + " played");
            dec.close();
        }
    }

    @Test
    void closingTwiceIsHarmlessAndAClosedCodecStartsAfresh() {
        OpusCodec codec = new OpusCodec(48000, 32000, OpusLibrary.LIBOPUS);
        byte[] packet = new byte[OpusCodec.MAX_PAYLOAD];
        short[] frame = Tone.sine(1000, 48000, 960, 10000);
        assertTrue(codec.encode(frame, 0, 960, packet, 0) > 0);
        codec.close();
        codec.close();
        assertTrue(codec.encode(frame, 0, 960, packet, 0) > 0);
        codec.close();
    }

    @Test
    void libraryNamesAreTheConfigurationSpelling() {
        assertEquals(OpusLibrary.LIBOPUS, OpusLibrary.named("LibOpus"));
        assertEquals(OpusLibrary.CONCENTUS, OpusLibrary.named("concentus"));
        assertThrows(IllegalArgumentException.class, () -> OpusLibrary.named("ffmpeg"));
        assertTrue(LibOpus.version().startsWith("libopus "), LibOpus.version());
    }
}
