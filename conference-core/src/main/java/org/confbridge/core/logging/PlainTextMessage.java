package org.confbridge.core.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.slf4j.helpers.MessageFormatter;

/**
 * The log pattern's {@code %text}: the message as {@code %msg} makes it, but every value from the
 * network stays text. Each argument is cut at {@value #MAX_ARGUMENT} characters, and control
 * characters anywhere in the line are written as {@code \xNN}: a Call-ID full of NUL bytes, a CRLF
 * in a display name (a forged second log line) or an escape sequence for the admin's terminal
 * can't reach the log as such, and {@code grep} keeps calling it a text file.
 */
public final class PlainTextMessage extends ClassicConverter {
    static final int MAX_ARGUMENT = 300;

    @Override
    public String convert(ILoggingEvent event) {
        Object[] args = event.getArgumentArray();
        String message;
        if (args == null || args.length == 0 || event.getMessage() == null) {
            message = event.getFormattedMessage();
        } else {
            Object[] cut = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                cut[i] = args[i] instanceof Throwable ? args[i] : cut(args[i]);
            }
            message = MessageFormatter.arrayFormat(event.getMessage(), cut).getMessage();
        }
        return escape(message);
    }

    private static Object cut(Object arg) {
        if (arg == null) {
            return null;
        }
        String s = String.valueOf(arg);
        return s.length() <= MAX_ARGUMENT ? s
                : s.substring(0, MAX_ARGUMENT) + "…(" + (s.length() - MAX_ARGUMENT) + " more)";
    }

    /** Control characters (C0, DEL, C1) as {@code \xNN}; a backslash stays one, everything else as it is. */
    static String escape(String s) {
        if (s == null) {
            return "null";
        }
        int i = 0;
        while (i < s.length() && !control(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (control(c)) {
                b.append("\\x").append(Character.forDigit(c >> 4 & 0xF, 16)).append(Character.forDigit(c & 0xF, 16));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean control(char c) {
        return c < 0x20 || (c >= 0x7F && c < 0xA0);
    }
}
