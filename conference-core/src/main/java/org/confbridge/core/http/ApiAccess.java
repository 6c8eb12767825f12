package org.confbridge.core.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.confbridge.config.IpLiteral;

/**
 * Who may use the admin API (DESIGN section 9), checked before anything is routed: the bearer
 * token on every {@code /api/} request, reads included; a {@code Host} the bridge answers to (a
 * name that merely resolves to it is DNS rebinding); no {@code Origin} but the bridge's own (a page
 * elsewhere driving an admin's browser); a body only as {@code application/json} (a form or
 * {@code text/plain} post is how a page sends without asking first). {@code /health} and
 * {@code /metrics} hold no personal data and stay open to monitoring.
 */
final class ApiAccess {
    /** A refusal: status and the reason given to the client. */
    record Refusal(int status, String reason) {
    }

    private final Supplier<String> token;
    private final Supplier<List<String>> extraHosts;
    private final String ownHostName;

    /**
     * @param token       the admin token in force (never empty)
     * @param extraHosts  names besides localhost, IP literals and {@code ownHostName} ({@code http.hosts})
     * @param ownHostName this machine's name, or null
     */
    ApiAccess(Supplier<String> token, Supplier<List<String>> extraHosts, String ownHostName) {
        this.token = token;
        this.extraHosts = extraHosts;
        this.ownHostName = ownHostName == null ? null : ownHostName.toLowerCase(Locale.ROOT);
    }

    /** Whether a path is open to anyone (monitoring). */
    static boolean open(String path) {
        return path.equals("/health") || path.equals("/metrics");
    }

    /** Why {@code request} for {@code path} is refused, or null when it may go on. */
    Refusal check(HttpRequest request, String path, boolean hasBody) {
        if (open(path)) {
            return null;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null || !answersTo(hostName(host))) {
            return new Refusal(403, "unknown Host: the bridge answers to its own names only (http.hosts)");
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !sameOrigin(origin, host)) {
            return new Refusal(403, "cross-origin requests are refused");
        }
        if ("cross-site".equals(request.headers().get("Sec-Fetch-Site"))) {
            return new Refusal(403, "cross-site requests are refused");
        }
        if (!path.startsWith("/api/")) {
            return null; // the dashboard page itself: it asks for the token
        }
        if (!authorized(request)) {
            return new Refusal(401, "Authorization: Bearer <admin.token> required");
        }
        if (hasBody && !isJson(request.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            return new Refusal(415, "a request body must be Content-Type: application/json");
        }
        return null;
    }

    private boolean authorized(HttpRequest request) {
        String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION, "");
        return MessageDigest.isEqual(("Bearer " + token.get()).getBytes(StandardCharsets.UTF_8),
                auth.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    /** A Host header's name: without its port, IPv6 brackets kept off. */
    static String hostName(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? h : h.substring(1, close);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** An IP literal names this machine as reached, not a name someone else's DNS controls. */
    boolean answersTo(String name) {
        if (name.isEmpty()) {
            return false;
        }
        if (name.equals("localhost") || name.endsWith(".localhost") || name.equals(ownHostName)
                || IpLiteral.orNull(name) != null) {
            return true;
        }
        return extraHosts.get().stream().anyMatch(h -> h.equalsIgnoreCase(name));
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            URI o = URI.create(origin.trim());
            if (!"http".equalsIgnoreCase(o.getScheme()) && !"https".equalsIgnoreCase(o.getScheme())) {
                return false;
            }
            String authority = o.getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host.trim());
        } catch (IllegalArgumentException e) {
            return false; // "null" and other non-URIs
        }
    }
}
