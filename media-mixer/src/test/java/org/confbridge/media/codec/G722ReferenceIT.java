package org.confbridge.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our G.722 against an independent implementation: ffmpeg's (Debian package {@code ffmpeg}, used
 * by tests only). Same input through both encoders, both bitstreams through both decoders.
 */
class G722ReferenceIT {
    @TempDir
    Path dir;

    @Test
    void encoderAndDecoderAgreeWithFfmpeg() throws Exception {
        short[] input = testSignal(16000 * 3);
        Path raw = dir.resolve("in.raw");
        Files.write(raw, toBytes(input));
        Path theirs = dir.resolve("ffmpeg.g722");
        ffmpeg("-f", "s16le", "-ar", "16000", "-ac", "1", "-i", raw.toString(), "-acodec", "g722", "-f", "g722",
                theirs.toString());
        byte[] theirBits = Files.readAllBytes(theirs);

        byte[] ourBits = new byte[input.length / 2];
        G722Codec codec = new G722Codec();
        for (int f = 0; f < input.length / 320; f++) {
            codec.encode(input, f * 320, 320, ourBits, f * 160);
        }
        assertEquals(theirBits.length, ourBits.length);
        int same = 0;
        for (int i = 0; i < ourBits.length; i++) {
            same += ourBits[i] == theirBits[i] ? 1 : 0;
        }
        double bitstreamAgreement = 100.0 * same / ourBits.length;

        // Their decoder on our bitstream and on theirs; our decoder on theirs.
        Path ours = dir.resolve("ours.g722");
        Files.write(ours, ourBits);
        short[] theirDecodeOfOurs = decodeWithFfmpeg(ours);
        short[] theirDecodeOfTheirs = decodeWithFfmpeg(theirs);
        short[] ourDecodeOfTheirs = new short[theirBits.length * 2];
        G722Codec decoder = new G722Codec();
        for (int f = 0; f < theirBits.length / 160; f++) {
            decoder.decode(theirBits, f * 160, 160, ourDecodeOfTheirs, f * 320);
        }

        double decoderSnr = snr(theirDecodeOfTheirs, ourDecodeOfTheirs);
        double encoderSnr = snr(theirDecodeOfTheirs, theirDecodeOfOurs);
        double codingSnr = snr(delayed(input, 22), theirDecodeOfOurs);
        System.out.printf("G.722 vs ffmpeg: bitstream %.2f %% identical, decoder SNR %.1f dB, encoder SNR %.1f dB,"
                + " coding SNR vs input %.1f dB%n", bitstreamAgreement, decoderSnr, encoderSnr, codingSnr);
        // Measured: bit-exact in both directions. Keep it that way.
        org.junit.jupiter.api.Assertions.assertArrayEquals(theirBits, ourBits, "encoder is bit-exact with ffmpeg");
        org.junit.jupiter.api.Assertions.assertArrayEquals(theirDecodeOfTheirs, ourDecodeOfTheirs,
                "decoder is bit-exact with ffmpeg");
        assertTrue(codingSnr > 15, "the codec itself works: " + codingSnr + " dB against the input");
    }

    /** A sweep plus a second tone and a little noise: exercises both sub-bands and the adaptation. */
    private static short[] testSignal(int n) {
        short[] s = new short[n];
        java.util.Random rnd = new java.util.Random(1);
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double f = 100 + 6900.0 * i / n;
            phase += 2 * Math.PI * f / 16000;
            double v = 9000 * Math.sin(phase) + 4000 * Math.sin(2 * Math.PI * 5500 * i / 16000.0)
                    + 300 * rnd.nextGaussian();
            s[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }
        return s;
    }

    private short[] decodeWithFfmpeg(Path bits) throws Exception {
        Path out = dir.resolve(bits.getFileName() + ".raw");
        ffmpeg("-f", "g722", "-i", bits.toString(), "-f", "s16le", "-ar", "16000", out.toString());
        byte[] b = Files.readAllBytes(out);
        short[] s = new short[b.length / 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    private static void ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "ffmpeg failed: " + out);
    }

    private static byte[] toBytes(short[] s) {
        ByteBuffer b = ByteBuffer.allocate(s.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(s);
        return b.array();
    }

    private static short[] delayed(short[] s, int delay) {
        short[] d = new short[s.length];
        System.arraycopy(s, 0, d, delay, s.length - delay);
        return d;
    }

    /** Signal-to-noise ratio of {@code test} against {@code reference} in dB (infinite when equal). */
    static double snr(short[] reference, short[] test) {
        int n = Math.min(reference.length, test.length);
        double sig = 0;
        double noise = 0;
        for (int i = 0; i < n; i++) {
            sig += (double) reference[i] * reference[i];
            double e = reference[i] - test[i];
            noise += e * e;
        }
        return noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(sig / noise);
    }
}
