package org.confbridge.media.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavWriterTest {
    @TempDir
    Path dir;

    @Test
    void headerIsValidBeforeAnyAudio() throws Exception {
        Path f = dir.resolve("a.wav");
        try (WavWriter w = new WavWriter(f, 16000)) {
            assertValid(f, 0);
        }
        assertValid(f, 0);
    }

    @Test
    void sizesArePatchedWhileWritingAndOnClose() throws Exception {
        Path f = dir.resolve("b.wav");
        short[] frame = new short[320];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (short) (i * 50);
        }
        try (WavWriter w = new WavWriter(f, 16000)) {
            for (int i = 0; i < 50; i++) {
                w.write(frame, 0, 320);
            }
            w.patchHeader();
            assertValid(f, 50 * 320 * 2);
            for (int i = 0; i < 25; i++) {
                w.write(frame, 0, 320);
            }
            // Not yet patched: the header still describes what was there at the last patch,
            // which is a valid (shorter) file for any reader.
            assertValid(f, 50 * 320 * 2);
            assertEquals(1.5, w.seconds(), 1e-9);
        }
        assertValid(f, 75 * 320 * 2);
        AudioClip back = WavFile.read(f);
        assertEquals(75 * 320, back.length());
        assertEquals(16000, back.sampleRate());
        assertEquals(frame[100], back.sample(320 + 100));
    }

    @Test
    void crashLeftoverIsRepaired() throws Exception {
        Path f = dir.resolve("c.wav");
        WavWriter w = new WavWriter(f, 8000);
        w.write(new short[800], 0, 800);
        w.patchHeader(); // header says 1600 bytes; then more audio lands without a patch (crash)
        Files.write(f, new byte[400], java.nio.file.StandardOpenOption.APPEND);
        assertTrue(WavWriter.repair(f));
        assertValid(f, 2000);
        assertFalse(WavWriter.repair(f), "a valid file is left alone");
    }

    @Test
    void readsStereoAndSkipsUnknownChunks() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + 4 + 8 + 16 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(b.capacity() - 8).putInt(0x45564157);
        b.putInt(0x5453494c).putInt(4).putInt(0); // LIST chunk
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 2).putInt(8000).putInt(32000)
                .putShort((short) 4).putShort((short) 16);
        b.putInt(0x61746164).putInt(8).putShort((short) 100).putShort((short) -5).putShort((short) 200)
                .putShort((short) -6);
        AudioClip c = WavFile.parse("x", b.array(), "test");
        assertEquals(2, c.length());
        assertEquals(100, c.sample(0));
        assertEquals(200, c.sample(1));
    }

    @Test
    void clipResamplesToRoomRate() {
        AudioClip beep = AudioClip.tone("beep", 8000, new double[] {440}, 200, 10000);
        AudioClip wide = beep.resampledTo(16000);
        assertEquals(16000, wide.sampleRate());
        assertEquals(2 * beep.length(), wide.length());
    }

    private static void assertValid(Path f, long dataBytes) throws Exception {
        byte[] h = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x46464952, b.getInt(0), "RIFF");
        assertEquals(36 + dataBytes, b.getInt(4) & 0xFFFFFFFFL, "RIFF size");
        assertEquals(0x45564157, b.getInt(8), "WAVE");
        assertEquals(1, b.getShort(20), "PCM");
        assertEquals(1, b.getShort(22), "mono");
        assertEquals(16, b.getShort(34), "16 bit");
        assertEquals(0x61746164, b.getInt(36), "data");
        assertEquals(dataBytes, b.getInt(40) & 0xFFFFFFFFL, "data size");
        assertTrue(h.length >= 44 + dataBytes);
    }
}
