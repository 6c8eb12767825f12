package org.confbridge.core;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code System.err} as a log: some libraries print there directly (Jain-SIP's internal-error
 * handler prints a peer's failed exchange with a stack trace), which a stream of bad input would
 * turn into a flood. Each line becomes a WARN line of printable text, at most
 * {@link #LINES_PER_WINDOW} per ten seconds; stack-trace lines go to DEBUG.
 */
final class StandardErrorLog extends OutputStream {
    private static final Logger log = LoggerFactory.getLogger("stderr");
    static final int LINES_PER_WINDOW = 20;
    private static final int MAX_LINE = 4096;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long windowStart = System.nanoTime();
    private int lines;
    private int suppressed;

    /** Replaces {@code System.err}. */
    static void install() {
        System.setErr(new PrintStream(new StandardErrorLog(), true, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else if (line.size() < MAX_LINE) {
            line.write(b);
        }
    }

    private void flushLine() {
        String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
        line.reset();
        if (text.isEmpty()) {
            return;
        }
        if (isTrace(text)) {
            log.debug("{}", text);
            return;
        }
        long now = System.nanoTime();
        if (now - windowStart > 10_000_000_000L) {
            windowStart = now;
            lines = 0;
        }
        if (lines >= LINES_PER_WINDOW) {
            suppressed++;
            return;
        }
        lines++;
        if (suppressed > 0) {
            log.warn("{} more lines on stderr suppressed", suppressed);
            suppressed = 0;
        }
        log.warn("{}", printable(text));
    }

    static boolean isTrace(String text) {
        String t = text.stripLeading();
        return t.startsWith("at ") && text.length() > t.length() || t.startsWith("Caused by:")
                || t.matches("\\.\\.\\. \\d+ more") || t.startsWith("Suppressed:");
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c != 0x7F ? c : '?');
        }
        return b.toString();
    }
}
