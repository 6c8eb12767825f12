package org.confbridge.core.it;

import org.confbridge.media.testing.Tone;

/** Measures what a listener heard: level of one frequency (Goertzel) and overall RMS. */
final class ToneMeter {
    private ToneMeter() {
    }

    /** Amplitude of {@code freq} in {@code s[from, to)}, in sample units (a full-scale sine gives ~32767). */
    static double level(short[] s, int from, int to, double freq, int rate) {
        return to <= from ? 0 : Tone.goertzel(s, from, to - from, freq, rate);
    }

    static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / Math.max(1, to - from));
    }

    /** Reads 16-bit PCM mono or stereo (first channel) from a WAV file; returns {samples, rate}. */
    static Wav readWav(java.nio.file.Path file) throws java.io.IOException {
        try (javax.sound.sampled.AudioInputStream in = javax.sound.sampled.AudioSystem.getAudioInputStream(file.toFile())) {
            javax.sound.sampled.AudioFormat f = in.getFormat();
            byte[] bytes = in.readAllBytes();
            int channels = f.getChannels();
            int frameSize = f.getFrameSize();
            int frames = bytes.length / frameSize;
            short[] s = new short[frames];
            boolean big = f.isBigEndian();
            for (int i = 0; i < frames; i++) {
                int o = i * frameSize;
                s[i] = big ? (short) ((bytes[o] << 8) | (bytes[o + 1] & 0xFF)) : (short) ((bytes[o + 1] << 8) | (bytes[o] & 0xFF));
            }
            if (f.getSampleSizeInBits() != 16 || channels < 1) {
                throw new java.io.IOException("expected 16-bit PCM in " + file + ", got " + f);
            }
            return new Wav(s, (int) f.getSampleRate());
        } catch (javax.sound.sampled.UnsupportedAudioFileException e) {
            throw new java.io.IOException(file + ": " + e.getMessage(), e);
        }
    }

    record Wav(short[] samples, int rate) {
    }
}
