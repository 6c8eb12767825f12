package org.confbridge.core.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Makes test audio with sox (Debian package {@code sox}). */
final class Sox {
    private Sox() {
    }

    /**
     * A phone line as a PSTN caller sends it: {@code leadMs} of silence, keypad tones for
     * {@code keys} (100 ms tone, 100 ms pause, -10 dBFS per tone), then a sine of {@code freq} Hz,
     * all as 8 kHz µ-law WAV.
     */
    static void keysThenTone(Path out, String keys, double freq, int toneSeconds) throws IOException,
            InterruptedException {
        String rows = "123A456B789C*0#D";
        double[] r = {697, 770, 852, 941};
        double[] c = {1209, 1336, 1477, 1633};
        List<Path> parts = new ArrayList<>();
        Path dir = out.getParent();
        Path lead = dir.resolve("lead.wav");
        sox(List.of("-n", "-r", "8000", "-c", "1", "-e", "u-law", lead.toString(), "trim", "0", "1.5"));
        parts.add(lead);
        for (int i = 0; i < keys.length(); i++) {
            int k = rows.indexOf(keys.charAt(i));
            Path key = dir.resolve("key" + i + ".wav");
            sox(List.of("-n", "-r", "8000", "-c", "1", "-e", "u-law", key.toString(), "synth", "0.1", "sine",
                    String.valueOf(r[k / 4]), "sine", String.valueOf(c[k % 4]), "channels", "1", "vol", "0.3", "pad", "0",
                    "0.1"));
            parts.add(key);
        }
        Path tone = dir.resolve("after-keys.wav");
        sox(List.of("-n", "-r", "8000", "-c", "1", "-e", "u-law", tone.toString(), "synth", String.valueOf(toneSeconds),
                "sine", String.valueOf(freq), "vol", "0.5"));
        parts.add(tone);
        List<String> args = new ArrayList<>();
        parts.forEach(p -> args.add(p.toString()));
        args.add(out.toString());
        sox(args);
    }

    private static void sox(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("sox"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("sox failed: " + output);
        }
    }

    /** A sine at half scale, 8 kHz mono, in the given encoding ({@code u-law} for SIPp, {@code signed-integer} for baresip). */
    static void tone(Path out, double freq, int seconds, String encoding) throws IOException, InterruptedException {
        tone(out, freq, seconds, encoding, 8000, 1);
    }

    /** A sine at half scale at the given rate and channel count. */
    static void tone(Path out, double freq, int seconds, String encoding, int rate, int channels)
            throws IOException, InterruptedException {
        if (Files.exists(out)) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("sox", "-n", "-r", String.valueOf(rate), "-c",
                String.valueOf(channels), "-e", encoding));
        if (encoding.equals("signed-integer")) {
            cmd.addAll(List.of("-b", "16"));
        }
        cmd.addAll(List.of(out.toString(), "synth", String.valueOf(seconds), "sine", String.valueOf(freq), "vol", "0.5"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("sox failed: " + output);
        }
    }
}
