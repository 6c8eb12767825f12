package org.confbridge.sip;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where SIP input that cannot be served is counted by reason and logged: one WARN line per case
 * with the source and a reason, never the message's bytes or a stack trace, and at most
 * {@link #LINES_PER_WINDOW} lines per ten seconds, so a scan cannot fill the disk. Static because
 * Jain-SIP creates its parser by class name; the gateway binds the counts as meters.
 */
public final class InputErrors {
    private static final Logger log = LoggerFactory.getLogger("org.confbridge.sip.input");
    static final int LINES_PER_WINDOW = 20;
    private static final long WINDOW_NANOS = 10_000_000_000L;
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
    private static final LogBudget BUDGET = new LogBudget(log, LINES_PER_WINDOW, WINDOW_NANOS);

    private InputErrors() {
    }

    /** Counts one rejected input under {@code reason} (a short fixed word) and logs it if the budget allows. */
    static void reject(String reason, String source, String detail) {
        COUNTS.computeIfAbsent(reason, r -> new LongAdder()).increment();
        warn("SIP input from {} rejected ({}): {}", clean(source), reason, clean(detail));
    }

    /** A rate-limited WARN line; arguments are already clean. */
    static void warn(String format, Object... args) {
        BUDGET.warn(format, args);
    }

    /** The counts so far, by reason (live view). */
    static Map<String, LongAdder> counts() {
        return COUNTS;
    }

    /** Printable ASCII only, at most 160 characters: what may reach a log line from the network. */
    static String clean(String s) {
        return LogBudget.clean(s);
    }
}
