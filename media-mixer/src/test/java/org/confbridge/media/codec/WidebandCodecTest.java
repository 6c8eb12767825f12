package org.confbridge.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.confbridge.media.testing.Tone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WidebandCodecTest {
    @Test
    void g722KeepsWidebandContent() {
        // 6 kHz is above what G.711 can carry; G.722 must keep it.
        short[] in = Tone.sine(6000, 16000, 16000, 8000);
        short[] out = roundTrip(new G722Codec(), new G722Codec(), in, 320);
        assertEquals(6000, Tone.dominantFrequency(out, 16000, 7500), 10);
        assertTrue(Tone.goertzel(out, 8000, 8000, 6000, 16000) > 5000);
    }

    @Test
    void g722PacketIsHalfASamplePerByte() {
        byte[] buf = new byte[200];
        assertEquals(160, new G722Codec().encode(new short[320], 0, 320, buf, 0), "20 ms = 160 bytes at 64 kbit/s");
    }

    @ParameterizedTest
    @EnumSource(OpusLibrary.class)
    void opusRoundTripAtRoomRate(OpusLibrary library) {
        OpusCodec enc = new OpusCodec(16000, 32000, library);
        OpusCodec dec = new OpusCodec(16000, 32000, library);
        short[] in = Tone.sine(1000, 16000, 16000, 10000);
        short[] out = roundTrip(enc, dec, in, 320);
        assertEquals(1000, Tone.dominantFrequency(out, 16000, 7000), 10);
        double level = Tone.goertzel(out, 8000, 8000, 1000, 16000);
        // Opus is a perceptual codec: a pure tone comes back within a few dB, not sample-exact.
        assertTrue(level > 5000 && level < 13000, "level kept: " + level);
    }

    @ParameterizedTest
    @EnumSource(OpusLibrary.class)
    void opusRebuildsALostPacketFromTheNextOnesFec(OpusLibrary library) {
        OpusCodec enc = new OpusCodec(16000, 32000, library);
        short[] in = Tone.sine(700, 16000, 16000, 10000);
        byte[][] packets = new byte[50][];
        for (int f = 0; f < 50; f++) {
            byte[] b = new byte[OpusCodec.MAX_PAYLOAD];
            int n = enc.encode(in, f * 320, 320, b, 0);
            packets[f] = java.util.Arrays.copyOf(b, n);
        }
        OpusCodec dec = new OpusCodec(16000, 32000, library);
        short[] out = new short[320];
        for (int f = 0; f < 30; f++) {
            dec.decode(packets[f], 0, packets[f].length, out, 0);
        }
        // Packet 30 lost: FEC in packet 31 brings back a frame close to the tone.
        assertTrue(dec.recover(packets[31], 0, packets[31].length, out, 0, 320));
        double recovered = Tone.goertzel(out, 0, 320, 700, 16000);
        assertTrue(recovered > 4000, "FEC frame carries the tone: " + recovered);
    }

    private static short[] roundTrip(AudioEncoder enc, AudioDecoder dec, short[] in, int frame) {
        short[] out = new short[in.length];
        byte[] buf = new byte[2000];
        for (int f = 0; f + frame <= in.length; f += frame) {
            int n = enc.encode(in, f, frame, buf, 0);
            dec.decode(buf, 0, n, out, f);
        }
        return out;
    }
}
