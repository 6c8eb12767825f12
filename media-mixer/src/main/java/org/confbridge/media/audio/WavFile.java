package org.confbridge.media.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads RIFF/WAVE files of 16-bit PCM (mono, or the first channel of several), the format the
 * prompt directory holds. Unknown chunks (LIST, fact, ...) are skipped.
 */
public final class WavFile {
    private WavFile() {
    }

    public static AudioClip read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return parse(file.getFileName().toString().replaceFirst("\\.wav$", ""), bytes, file.toString());
    }

    public static AudioClip parse(String name, byte[] bytes, String origin) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException(origin + ": not a RIFF/WAVE file");
        }
        int pos = 12;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int format = 0;
        while (pos + 8 <= bytes.length) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (size < 0 || body + size > bytes.length) {
                size = bytes.length - body; // a file cut short (crash): take what is there
            }
            if (id == 0x20746d66) { // "fmt "
                format = b.getShort(body) & 0xFFFF;
                channels = b.getShort(body + 2);
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14);
            } else if (id == 0x61746164) { // "data"
                if (format != 1 || bits != 16 || channels < 1) {
                    throw new IOException(origin + ": need 16-bit PCM, got format " + format + ", " + bits + " bits, "
                            + channels + " channel(s)");
                }
                int frames = size / (2 * channels);
                short[] s = new short[frames];
                for (int i = 0; i < frames; i++) {
                    s[i] = b.getShort(body + i * 2 * channels);
                }
                return new AudioClip(name, s, rate);
            }
            pos = body + size + (size & 1);
        }
        throw new IOException(origin + ": no data chunk");
    }
}
