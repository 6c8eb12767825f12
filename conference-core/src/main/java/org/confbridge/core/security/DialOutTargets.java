package org.confbridge.core.security;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Where the API may have the bridge call: a {@code sip:}/{@code sips:} URI of plain form
 * ({@code user@host[:port][;params]}, no headers, no spaces or quotes) that one of the
 * {@code dialout.allow} patterns names; {@code *} stands for any characters but {@code @}, so a
 * pattern's host part can't be satisfied by a user part. Nothing allowed by default: a bridge
 * that dials anything is a port scanner and a toll-fraud tool for whoever holds its token.
 */
public final class DialOutTargets {
    /** user@host, an optional port, optional parameters: what a trunk or PBX number looks like. */
    private static final Pattern PLAIN_URI = Pattern.compile(
            "sips?:[^\\s@<>\"?;]+@(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.\\-]+)(:\\d{1,5})?(;[A-Za-z0-9.\\-_=+%]*)*");

    private final Supplier<List<String>> patterns;

    public DialOutTargets(Supplier<List<String>> patterns) {
        this.patterns = patterns;
    }

    /**
     * Checks a target: {@link IllegalArgumentException} when it is no plain SIP URI,
     * {@link SecurityException} when no pattern names it (or none is configured).
     */
    public void check(String to) {
        if (to == null || to.length() > 256 || !PLAIN_URI.matcher(to).matches()) {
            throw new IllegalArgumentException("\"to\" must be a plain sip: URI (user@host[:port][;params])");
        }
        List<String> allowed = patterns.get();
        if (allowed.isEmpty()) {
            throw new SecurityException("dial-out is off: dialout.allow names no target");
        }
        for (String p : allowed) {
            if (glob(p).matcher(to).matches()) {
                return;
            }
        }
        throw new SecurityException("dialout.allow names no pattern that matches " + to);
    }

    /** The host of a plain target, without brackets. */
    public static String host(String to) {
        String afterAt = to.substring(to.indexOf('@') + 1);
        if (afterAt.startsWith("[")) {
            return afterAt.substring(1, afterAt.indexOf(']'));
        }
        return afterAt.split("[:;]", 2)[0];
    }

    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append("[^@]*");
            }
            regex.append(Pattern.quote(part.toLowerCase(Locale.ROOT)));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }
}
