package org.confbridge.sip;

import org.slf4j.Logger;

/**
 * WARN lines about input from the network, at most {@code lines} per window: a scan or a flood is
 * counted where it is refused, and its log stays readable and bounded. When lines were left out,
 * the next line that fits says how many.
 */
public final class LogBudget {
    private final Logger log;
    private final int lines;
    private final long windowNanos;
    private long windowStart = System.nanoTime();
    private int used;
    private int suppressed;

    public LogBudget(Logger log, int lines, long windowNanos) {
        this.log = log;
        this.lines = lines;
        this.windowNanos = windowNanos;
    }

    /** A WARN line if the window's budget allows; the arguments must already be clean (see {@link #clean}). */
    public void warn(String format, Object... args) {
        int dropped;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - windowStart > windowNanos) {
                windowStart = now;
                used = 0;
            }
            if (used >= lines) {
                suppressed++;
                return;
            }
            used++;
            dropped = suppressed;
            suppressed = 0;
        }
        if (dropped > 0) {
            log.warn("{} more such lines suppressed", dropped);
        }
        log.warn(format, args);
    }

    /** Printable ASCII only, at most 160 characters: what may reach a log line from the network. */
    public static String clean(String s) {
        if (s == null) {
            return "?";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 160));
        for (int i = 0; i < s.length() && b.length() < 160; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return b.toString();
    }
}
