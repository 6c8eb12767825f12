package org.confbridge.media.dtmf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.confbridge.media.codec.G711;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-band detector must not hear keys in speech: synthetic speech (espeak-ng, Debian package)
 * in German and English, several voices and pitches, through µ-law as on a trunk. Reports false
 * detections per hour of audio.
 */
class InbandDtmfSpeechIT {
    private static final String DE = "Guten Tag, Sie sind mit der Kundenberatung verbunden. Wir besprechen heute "
            + "Ihren Vertrag, die offenen Rechnungen und die neue Lieferung. Können Sie mir bitte Ihre Kundennummer "
            + "nennen? Vielen Dank. Ich sehe hier, dass die letzte Zahlung am dritten März eingegangen ist. "
            + "Einen Moment bitte, ich verbinde Sie mit meiner Kollegin aus der Technik. Haben Sie noch Fragen? "
            + "Dann wünsche ich Ihnen einen schönen Tag und auf Wiederhören.";
    private static final String EN = "Hello and welcome to customer support. Today we will go through your contract, "
            + "the open invoices and the next delivery. Could you please tell me your customer number? Thank you. "
            + "I can see that your last payment arrived on the third of March. One moment please, I will bring in "
            + "my colleague from engineering. Is there anything else I can help you with? Have a lovely day.";

    @TempDir
    Path dir;

    @Test
    void speechTriggersNoKeys() throws Exception {
        List<String[]> voices = List.of(new String[] {"de", "30", "140"}, new String[] {"de+f3", "70", "170"},
                new String[] {"en", "40", "150"}, new String[] {"en-us+f2", "80", "180"},
                new String[] {"en+m3", "20", "120"}, new String[] {"de+m2", "55", "160"});
        long samples = 0;
        int falseKeys = 0;
        StringBuilder found = new StringBuilder();
        for (String[] v : voices) {
            for (String text : List.of(DE, EN)) {
                Path wav = dir.resolve("speech.wav");
                Path raw = dir.resolve("speech.raw");
                run("espeak-ng", "-v", v[0], "-p", v[1], "-s", v[2], "-w", wav.toString(), text + " " + text);
                run("sox", wav.toString(), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw",
                        raw.toString());
                byte[] b = Files.readAllBytes(raw);
                short[] s = new short[b.length / 2];
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
                for (int i = 0; i < s.length; i++) {
                    s[i] = G711.decodeUlaw(G711.encodeUlaw(s[i]));
                }
                String keys = InbandDtmfDetectorTest.detect(s);
                falseKeys += keys.length();
                found.append(keys);
                samples += s.length;
            }
        }
        double hours = samples / 8000.0 / 3600;
        System.out.printf("in-band DTMF on %.1f min of espeak-ng speech: %d false detections (%.1f per hour) %s%n",
                hours * 60, falseKeys, falseKeys / hours, found);
        assertTrue(hours * 60 > 5, "enough speech analysed: " + hours * 60 + " min");
        assertTrue(falseKeys / hours <= 1.0, falseKeys + " false detections in " + hours * 60 + " min: " + found);
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
