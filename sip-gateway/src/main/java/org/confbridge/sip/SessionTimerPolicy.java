package org.confbridge.sip;

/**
 * Session timers as the answering side (RFC 4028): what interval and refresher an INVITE's
 * {@code Session-Expires}, {@code Min-SE} and {@code Supported: timer} lead to, and when a refresh
 * is due or a silent session is given up. Pure.
 */
final class SessionTimerPolicy {
    /** RFC 4028 section 4: no interval below 90 seconds. */
    static final int MIN_SE = 90;
    /**
     * The interval the bridge asks for when the caller supports timers but proposes none: a
     * vanished trunk's call is ended within half an hour, and refreshes stay rare.
     */
    static final int DEFAULT_SE = 1800;

    /** What to do with the INVITE. */
    sealed interface Decision {
    }

    /** {@code 422 Session Interval Too Small} with our {@code Min-SE}. */
    record TooSmall(int minSe) implements Decision {
    }

    /** No session timer for this call (the caller knows none and proposed none). */
    record None() implements Decision {
    }

    /** A timer of {@code seconds}; {@code weRefresh}: the bridge sends the refreshes. */
    record Timer(int seconds, boolean weRefresh) implements Decision {
        /** After how long the refresher sends its refresh: half the interval (section 7.4). */
        long refreshAfterMillis() {
            return seconds * 500L;
        }

        /** After how long without a refresh the other side gives up: the interval less min(32 s, a third). */
        long expireAfterMillis() {
            return seconds * 1000L - Math.min(32_000L, seconds * 1000L / 3);
        }

        /** The header value of our answer. */
        String header() {
            return seconds + ";refresher=" + (weRefresh ? "uas" : "uac");
        }
    }

    private SessionTimerPolicy() {
    }

    /**
     * @param sessionExpires the INVITE's Session-Expires delta, or -1 without one
     * @param refresher      its refresher parameter ({@code uac}, {@code uas}), or null
     * @param callerMinSe    the INVITE's Min-SE, or -1
     * @param callerSupports whether the INVITE says {@code Supported: timer}
     */
    static Decision decide(int sessionExpires, String refresher, int callerMinSe, boolean callerSupports) {
        if (sessionExpires >= 0 && sessionExpires < MIN_SE) {
            return new TooSmall(Math.max(MIN_SE, callerMinSe));
        }
        if (sessionExpires < 0) {
            // Without a proposal the bridge may add one only if the caller can refresh (section 9).
            return callerSupports ? new Timer(Math.max(DEFAULT_SE, callerMinSe), false) : new None();
        }
        // A caller without "Supported: timer" cannot take the refresher's role, whatever its
        // refresher parameter says (a proxy may have added it): the bridge refreshes (section 9).
        boolean weRefresh = !callerSupports || "uas".equalsIgnoreCase(refresher);
        return new Timer(sessionExpires, weRefresh);
    }
}
