package org.confbridge.sip;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the Jain-SIP stack's own logging to SLF4J, so no log4j is needed at run time. The stack
 * reports a peer's bad input as errors, some with the packet's bytes or a stack trace: those
 * reach the log as rate-limited single WARN lines of printable text ({@link InputErrors}); stack
 * traces only at DEBUG.
 */
public final class JainSipStackLogger implements StackLogger {
    private static final Logger log = LoggerFactory.getLogger("javax.sip.stack");

    @Override
    public void logStackTrace() {
        if (log.isTraceEnabled()) {
            log.trace("stack trace", new Throwable());
        }
    }

    @Override
    public void logStackTrace(int traceLevel) {
        logStackTrace();
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        InputErrors.warn("SIP stack: {}", InputErrors.clean(String.valueOf(ex)));
        log.debug("SIP stack exception", ex);
    }

    @Override
    public void logDebug(String message) {
        log.debug(message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        log.debug(message, ex);
    }

    @Override
    public void logTrace(String message) {
        log.trace(message);
    }

    @Override
    public void logFatalError(String message) {
        logError(message);
    }

    @Override
    public void logError(String message) {
        InputErrors.warn("SIP stack: {}", firstWords(message));
    }

    /**
     * What of a stack message may be logged: its text up to the first line break or dumped byte
     * array ({@code [73, 78, ...]}), whose rest is the peer's packet.
     */
    static String firstWords(String message) {
        if (message == null) {
            return "?";
        }
        String s = message;
        int cut = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == '[' && i + 1 < s.length()
                    && (Character.isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '-')) {
                cut = i;
                break;
            }
        }
        String head = s.substring(0, cut);
        // The stack appends the message to these: keep only its own words.
        for (String prefix : new String[] {"bad message", ">>> Dropped Bad Msg", "Rejecting message"}) {
            if (head.startsWith(prefix)) {
                return prefix;
            }
        }
        return InputErrors.clean(head.strip());
    }

    @Override
    public boolean isLoggingEnabled() {
        return log.isInfoEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        return switch (logLevel) {
            case TRACE_FATAL, TRACE_ERROR -> log.isErrorEnabled();
            case TRACE_WARN -> log.isWarnEnabled();
            case TRACE_INFO -> log.isInfoEnabled();
            case TRACE_DEBUG -> log.isDebugEnabled();
            case TRACE_TRACE -> log.isTraceEnabled();
            default -> false;
        };
    }

    @Override
    public void logError(String message, Exception ex) {
        InputErrors.warn("SIP stack: {}: {}", firstWords(message), InputErrors.clean(String.valueOf(ex)));
        log.debug("SIP stack error", ex);
    }

    @Override
    public void logWarning(String message) {
        // The stack warns at every start that TLS is unconfigured even when no TLS listening point exists.
        if (message != null && (message.startsWith("TLS ") || message.startsWith("Using default")
                || message.startsWith("using default tls"))) {
            log.debug(message);
        } else {
            InputErrors.warn("SIP stack: {}", firstWords(message));
        }
    }

    @Override
    public void logInfo(String message) {
        log.info(message);
    }

    @Override
    public void disableLogging() {
        // Levels come from the SLF4J backend's configuration.
    }

    @Override
    public void enableLogging() {
        // Levels come from the SLF4J backend's configuration.
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        log.debug("Jain-SIP build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // Nothing to read: SLF4J is configured on its own.
    }

    @Override
    public String getLoggerName() {
        return log.getName();
    }
}
