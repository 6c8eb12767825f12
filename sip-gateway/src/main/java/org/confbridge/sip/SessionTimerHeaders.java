package org.confbridge.sip;

import gov.nist.javax.sip.header.extensions.SessionExpiresHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.SupportedHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Session timers (RFC 4028) as headers: what a request asks for ({@code Session-Expires},
 * {@code Min-SE}, {@code Supported: timer}) and what our 2xx answers. The decision itself is
 * {@link SessionTimerPolicy}'s.
 */
final class SessionTimerHeaders {
    private SessionTimerHeaders() {
    }

    /** The session timer an INVITE (or a refresh) asks for. */
    static SessionTimerPolicy.Decision requested(Request request) {
        int se = -1;
        String refresher = null;
        if (request.getHeader("Session-Expires") instanceof SessionExpiresHeader h) {
            se = h.getExpires();
            refresher = h.getRefresher();
        }
        int minSe = deltaSeconds(request.getHeader("Min-SE"));
        return SessionTimerPolicy.decide(se, refresher, minSe, supportsTimer(request));
    }

    /** Our 2xx names the session timer, and requires it of a caller that supports it (section 9). */
    static void addTo(Response ok, SipCall call, Request request, HeaderFactory headers) throws java.text.ParseException {
        SessionTimerPolicy.Timer t = call.sessionTimer();
        if (t == null) {
            return;
        }
        ok.addHeader(headers.createHeader("Session-Expires", t.header()));
        if (supportsTimer(request) || !t.weRefresh()) {
            ok.addHeader(headers.createRequireHeader("timer"));
        }
    }

    /** The delta-seconds value of a header such as {@code Min-SE: 120;param}, or -1. */
    private static int deltaSeconds(javax.sip.header.Header header) {
        if (header == null) {
            return -1;
        }
        String value = header.toString();
        value = value.substring(value.indexOf(':') + 1).trim();
        int end = 0;
        while (end < value.length() && Character.isDigit(value.charAt(end))) {
            end++;
        }
        try {
            return end == 0 ? -1 : Integer.parseInt(value.substring(0, Math.min(end, 9)));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean supportsTimer(Request request) {
        for (var it = request.getHeaders(SupportedHeader.NAME); it.hasNext(); ) {
            if (it.next() instanceof SupportedHeader s && "timer".equalsIgnoreCase(s.getOptionTag())) {
                return true;
            }
        }
        return false;
    }
}
