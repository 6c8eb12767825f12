package org.confbridge.media.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a 16-bit PCM mono WAV file so that it is valid at every moment a reader looks: the header
 * is written first with the sizes so far, and {@link #patchHeader()} updates them (the recorder
 * calls it every few seconds and on close). Not thread-safe: one writer thread owns it.
 */
public final class WavWriter implements AutoCloseable {
    public static final int HEADER_SIZE = 44;

    private final FileChannel channel;
    private final int sampleRate;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private long dataBytes;
    private long flushedBytes;

    public WavWriter(Path file, int sampleRate) throws IOException {
        this.sampleRate = sampleRate;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        writeHeader();
    }

    public void write(short[] samples, int off, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            if (buffer.remaining() < 2) {
                flushBuffer();
            }
            buffer.putShort(samples[off + i]);
        }
        dataBytes += 2L * n;
    }

    /** Writes buffered audio and updates the RIFF and data sizes in the header. */
    public void patchHeader() throws IOException {
        flushBuffer();
        writeHeader();
        channel.force(false);
    }

    public long samples() {
        return dataBytes / 2;
    }

    public double seconds() {
        return (double) samples() / sampleRate;
    }

    @Override
    public void close() throws IOException {
        try {
            patchHeader();
        } finally {
            channel.close();
        }
    }

    private void flushBuffer() throws IOException {
        buffer.flip();
        long pos = HEADER_SIZE + flushedBytes;
        while (buffer.hasRemaining()) {
            int n = channel.write(buffer, pos);
            pos += n;
            flushedBytes += n;
        }
        buffer.clear();
    }

    private void writeHeader() throws IOException {
        long data = Math.min(dataBytes, 0xFFFFFFFFL - 36);
        header.clear();
        header.putInt(0x46464952).putInt((int) (36 + data)).putInt(0x45564157);
        header.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(sampleRate)
                .putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        header.putInt(0x61746164).putInt((int) data);
        header.flip();
        channel.write(header, 0);
    }

    /**
     * Fixes the sizes of a WAV file left behind by a crash (header sizes smaller than the data
     * written). Returns true if the file needed repair.
     */
    public static boolean repair(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size < HEADER_SIZE) {
                return false;
            }
            ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(h, 0);
            long data = (size - HEADER_SIZE) & ~1L;
            if ((h.getInt(40) & 0xFFFFFFFFL) == data && (h.getInt(4) & 0xFFFFFFFFL) == 36 + data) {
                return false;
            }
            h.putInt(4, (int) (36 + data));
            h.putInt(40, (int) data);
            h.rewind();
            ch.write(h, 0);
            return true;
        }
    }
}
