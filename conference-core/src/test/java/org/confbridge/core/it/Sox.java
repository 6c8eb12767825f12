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

    /** A sine at half scale, 8 kHz mono, in the given encoding ({@code u-law} for SIPp, {@code signed-integer} for baresip). */
    static void tone(Path out, double freq, int seconds, String encoding) throws IOException, InterruptedException {
        if (Files.exists(out)) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("sox", "-n", "-r", "8000", "-c", "1", "-e", encoding));
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
