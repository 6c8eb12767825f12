package org.confbridge.core.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.confbridge.core.NodeDrain;
import org.confbridge.core.security.SourceGuard;
import org.confbridge.sip.LogBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's HTTP side on Netty: {@code /health}, {@code /metrics} (Prometheus text) and the
 * read-only room API. Runs on its own small event loop group, never on a room's loop.
 */
public final class AdminHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpServer.class);

    private final SessionFiles sessions;
    /** Rooms on demand; null without a configuration directory (the embedded configuration). */
    private volatile org.confbridge.core.room.OnDemandRooms onDemand;
    private volatile BooleanSupplier degraded = () -> false;
    private volatile RoomRelay relay;
    private volatile SessionsElsewhere elsewhere;
    /** Refused requests: at most 20 lines per ten seconds, so a scan cannot fill the disk. */
    private static final LogBudget REFUSALS = new LogBudget(LoggerFactory.getLogger(AdminHttpServer.class), 20,
            10_000_000_000L);
    private volatile String advertisedAddress = "";
    private final RoomApi api;
    private final SourceGuard guard;
    private final NodeDrain drain;
    private final Supplier<String> metrics;
    private final BooleanSupplier healthy;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpListener listener = new HttpListener("http");

    private final ApiAccess access;
    private final String dashboard;

    /**
     * @param adminToken the token every {@code /api/} request must carry (see {@link AdminToken})
     * @param hosts      host names answered besides localhost, IP literals and this machine's name
     */
    public AdminHttpServer(RoomApi api, SessionFiles sessions, SourceGuard guard, NodeDrain drain,
                           Supplier<String> metrics, BooleanSupplier healthy, Supplier<String> adminToken,
                           Supplier<List<String>> hosts) {
        this.access = new ApiAccess(adminToken, hosts, ownHostName());
        this.api = api;
        this.sessions = sessions;
        this.guard = guard;
        this.drain = drain;
        this.metrics = metrics;
        this.healthy = healthy;
        try (java.io.InputStream in = AdminHttpServer.class.getResourceAsStream("/dashboard/index.html")) {
            this.dashboard = in == null ? "<p>dashboard missing from the jar</p>"
                    : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This machine's name as its resolver gives it, read once at start (never per request). */
    private static String ownHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Binds; returns the bound port (useful with port 0). */
    public int start(String bind, int port) throws InterruptedException {
        int bound = listener.start(bind, port,
                () -> new io.netty.channel.ChannelHandler[] {new HttpObjectAggregator(64 * 1024), new Handler()});
        log.info("HTTP on http://{}:{}/ (health, metrics, api)", bind, bound);
        return bound;
    }

    @Override
    public void close() {
        listener.close();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = "?";
            FullHttpResponse response;
            try {
                path = new QueryStringDecoder(request.uri()).path();
                ApiAccess.Refusal refused = access.check(request, path, request.content().isReadable());
                if (refused != null) {
                    REFUSALS.warn("HTTP {} {} from {} refused ({}): {}", request.method(), LogBudget.clean(path),
                            ctx.channel().remoteAddress(), refused.status(), refused.reason());
                    response = jsonResponse(HttpResponseStatus.valueOf(refused.status()), Map.of("error", refused.reason()));
                    if (refused.status() == 401) {
                        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
                    }
                } else if (relay != null && relay.relay(ctx, request, path)) {
                    return;
                } else if (download(ctx, request, path)) {
                    return;
                } else {
                    response = route(request, path);
                }
            } catch (Exception e) {
                log.warn("HTTP {} {} failed: {}", request.method(), LogBudget.clean(path), e.toString());
                response = jsonResponse(HttpResponseStatus.INTERNAL_SERVER_ERROR, Map.of("error", "internal error"));
            }
            Replies.send(ctx, response, HttpUtil.isKeepAlive(request));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * {@code GET|HEAD /api/sessions/{id}/<file>}: streamed from disk ({@link FileDownload}); whether
     * the request was one (answered here, a 404 included).
     */
    private boolean download(ChannelHandlerContext ctx, FullHttpRequest request, String path) throws java.io.IOException {
        java.util.regex.Matcher m = SESSION_FILE.matcher(path);
        if ((request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) || !m.matches()) {
            return false;
        }
        java.util.Optional<java.nio.file.Path> file = sessions.file(m.group(1), m.group(2));
        if (file.isEmpty()) {
            return false; // the router answers 404
        }
        FileDownload.send(ctx, request, file.get(), SessionFiles.SERVED.get(m.group(2)));
        return true;
    }

    private static final java.util.regex.Pattern ROOM_ACTION =
            java.util.regex.Pattern.compile("/api/rooms/([^/]+)/(lock|unlock|record/start|record/stop)");
    private static final java.util.regex.Pattern SESSION_FILE =
            java.util.regex.Pattern.compile("/api/sessions/([^/]+)/([^/]+)");
    private static final java.util.regex.Pattern CHAT = java.util.regex.Pattern.compile("/api/rooms/([^/]+)/chat");
    private static final java.util.regex.Pattern DIAL = java.util.regex.Pattern.compile("/api/rooms/([^/]+)/dial");
    private static final java.util.regex.Pattern LINKS = java.util.regex.Pattern.compile("/api/rooms/([^/]+)/links");

    private volatile JoinLinkApi links;

    /** Enables {@code POST /api/rooms/{room}/links}. */
    public void linker(JoinLinkApi.Linker l) {
        this.links = new JoinLinkApi(l, json);
    }

    static org.confbridge.core.admission.Role role(String name) {
        return switch (name) {
            case "participant" -> org.confbridge.core.admission.Role.PARTICIPANT;
            case "moderator" -> org.confbridge.core.admission.Role.MODERATOR;
            case "listener" -> org.confbridge.core.admission.Role.LISTENER;
            default -> throw new IllegalArgumentException("role must be participant, moderator or listener");
        };
    }

    /** Places a dial-out: (room, to, displayName, role) → the callee's leg id. */
    public interface Dialer {
        String dial(String room, String to, String displayName, org.confbridge.core.admission.Role role, boolean confirm);
    }

    private volatile Dialer dialer;

    /** Enables {@code POST /api/rooms/{room}/dial}. */
    public void dialer(Dialer d) {
        this.dialer = d;
    }

    /** {@code POST /api/rooms/{room}/dial} {@code {"to", "displayName", "role"}}: {@code 202} with the leg. */
    private FullHttpResponse dial(String room, FullHttpRequest request) {
        try {
            com.fasterxml.jackson.databind.JsonNode b = json.readTree(request.content().toString(StandardCharsets.UTF_8));
            org.confbridge.core.admission.Role role = role(b.path("role").asText("participant"));
            String leg = dialer.dial(room, b.path("to").asText(null), b.path("displayName").asText(null), role,
                    b.path("confirm").asBoolean(false));
            log.info("HTTP POST /api/rooms/{}/dial -> 202 leg {}", room, leg);
            return jsonResponse(HttpResponseStatus.ACCEPTED, Map.of("leg", leg));
        } catch (SecurityException e) {
            log.warn("HTTP POST /api/rooms/{}/dial refused (403): {}", room, e.getMessage());
            return jsonResponse(HttpResponseStatus.FORBIDDEN, Map.of("error", e.getMessage()));
        } catch (java.util.NoSuchElementException e) {
            return jsonResponse(HttpResponseStatus.NOT_FOUND, Map.of("error", "no such room: " + room));
        } catch (IllegalStateException e) {
            return jsonResponse(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("error", e.getMessage()));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return jsonResponse(HttpResponseStatus.BAD_REQUEST, Map.of("error", String.valueOf(e.getMessage())));
        }
    }
    private static final java.util.regex.Pattern LEG_ACTION =
            java.util.regex.Pattern.compile("/api/rooms/([^/]+)/participants/([^/]+)/(mute|unmute|kick)");

    private FullHttpResponse route(FullHttpRequest request, String path) throws Exception {
        if (request.method() == HttpMethod.POST) {
            return post(request, path);
        }
        if (request.method() == HttpMethod.DELETE) {
            return delete(request, path);
        }
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            return jsonResponse(HttpResponseStatus.METHOD_NOT_ALLOWED, Map.of("error", "use GET, or POST for actions"));
        }
        if (path.equals(BLOCKED)) {
            return jsonResponse(HttpResponseStatus.OK, guard.blocked());
        }
        if (path.equals("/") || path.equals("/index.html")) {
            return text(HttpResponseStatus.OK, dashboard, "text/html; charset=utf-8");
        }
        if (path.equals("/health")) {
            boolean ok = healthy.getAsBoolean();
            return jsonResponse(ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    Map.of("status", !ok ? "down" : drain.draining() ? "draining" : degraded.getAsBoolean() ? "degraded" : "up"));
        }
        if (path.equals("/metrics")) {
            return text(HttpResponseStatus.OK, metrics.get(), "text/plain; version=0.0.4; charset=utf-8");
        }
        if (path.equals("/api/sessions") || path.startsWith("/api/sessions/")) {
            return session(request, path);
        }
        java.util.regex.Matcher chat = CHAT.matcher(path);
        if (chat.matches()) {
            RoomApi.Result r = api.chatTranscript(chat.group(1));
            return jsonResponse(HttpResponseStatus.valueOf(r.status()), r.body());
        }
        if (path.equals("/api/rooms")) {
            return jsonResponse(HttpResponseStatus.OK, api.rooms());
        }
        if (path.startsWith("/api/rooms/") && path.indexOf('/', "/api/rooms/".length()) < 0) {
            String room = path.substring("/api/rooms/".length());
            return api.room(room).map(r -> jsonResponse(HttpResponseStatus.OK, r))
                    .orElseGet(() -> jsonResponse(HttpResponseStatus.NOT_FOUND, Map.of("error", "no such room: " + room)));
        }
        return jsonResponse(HttpResponseStatus.NOT_FOUND, Map.of("error", "not found: " + path));
    }

    /** Enables {@code POST /api/rooms} and {@code DELETE /api/rooms/{room}}. */
    /** Other nodes' sessions are listed here, and their files redirected to. */
    public void sessionsElsewhere(SessionsElsewhere elsewhere) {
        this.elsewhere = elsewhere;
    }

    /** Requests for rooms running on other nodes go there from now on. */
    public void forwardTo(org.confbridge.core.cluster.RoomForwarding forwarding) {
        this.relay = new RoomRelay(forwarding);
    }

    /** {@code /health} says "degraded" (still 200: calls are served) while this holds: Redis away. */
    public void degradedWhen(BooleanSupplier degraded) {
        this.degraded = degraded;
    }

    public void onDemand(org.confbridge.core.room.OnDemandRooms rooms, String advertised) {
        this.onDemand = rooms;
        this.advertisedAddress = advertised;
    }

    /** {@code POST /api/rooms}: a new room on demand, {@code 201} with its number and PINs. */
    private FullHttpResponse createRoom(FullHttpRequest request) {
        if (onDemand == null) {
            return jsonResponse(HttpResponseStatus.CONFLICT,
                    Map.of("error", "rooms on demand need a configuration directory (--config DIR)"));
        }
        try {
            String text = request.content().toString(StandardCharsets.UTF_8);
            com.fasterxml.jackson.databind.JsonNode b = text.isBlank() ? json.createObjectNode() : json.readTree(text);
            var r = new org.confbridge.core.room.OnDemandRooms.Request(b.path("name").asText(null),
                    b.path("language").asText(null), b.path("record").asText(null),
                    b.has("recordTracks") ? b.get("recordTracks").asBoolean() : null, b.path("srtp").asText(null),
                    b.has("expiresMinutes") ? b.get("expiresMinutes").asInt() : null);
            Map<String, Object> created = onDemand.create(r, advertisedAddress);
            log.info("HTTP POST /api/rooms -> 201 room {}", created.get("room"));
            return jsonResponse(HttpResponseStatus.CREATED, created);
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return jsonResponse(HttpResponseStatus.BAD_REQUEST, Map.of("error", String.valueOf(e.getMessage())));
        } catch (IllegalStateException e) {
            return jsonResponse(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("error", e.getMessage()));
        } catch (java.io.IOException e) {
            return jsonResponse(HttpResponseStatus.INTERNAL_SERVER_ERROR, Map.of("error", "cannot write the room file"));
        }
    }

    /** {@code GET /api/sessions[?room=…]}; a session's files are downloads (see {@link #download}). */
    private FullHttpResponse session(FullHttpRequest request, String path) throws java.io.IOException {
        SessionsElsewhere others = elsewhere;
        if (path.equals("/api/sessions")) {
            List<String> rooms = new QueryStringDecoder(request.uri()).parameters().get("room");
            String room = rooms == null ? null : rooms.get(0);
            List<Map<String, Object>> list = new java.util.ArrayList<>(sessions.list(room));
            if (others != null) {
                try {
                    list.addAll(others.list(room));
                    list.sort(java.util.Comparator.comparing((Map<String, Object> m) -> String.valueOf(m.get("start")))
                            .reversed());
                } catch (IllegalStateException redisAway) {
                    // this node's own sessions only, while Redis is away
                }
            }
            return jsonResponse(HttpResponseStatus.OK, list);
        }
        java.util.regex.Matcher m = SESSION_FILE.matcher(path);
        if (others != null && m.matches() && request.headers().get(org.confbridge.core.cluster.RoomForwarding.FORWARDED) == null) {
            try {
                String base = others.locate(m.group(1));
                if (base != null) {
                    FullHttpResponse moved = jsonResponse(HttpResponseStatus.TEMPORARY_REDIRECT,
                            Map.of("error", "the session's files are on another node", "location", base + path));
                    moved.headers().set(HttpHeaderNames.LOCATION, base + path);
                    return moved;
                }
            } catch (IllegalStateException redisAway) {
                // not known here: 404 below
            }
        }
        return jsonResponse(HttpResponseStatus.NOT_FOUND, Map.of("error", "no such session file: " + LogBudget.clean(path)));
    }

    private static final String BLOCKED = "/api/security/blocked";
    private static final String DRAIN = "/api/drain";

    /** {@code DELETE /api/security/blocked/{address}}: lifts a block. */
    private FullHttpResponse delete(FullHttpRequest request, String path) {
        if (path.equals(DRAIN)) {
            drain.set(false, "admin-api");
            return jsonResponse(HttpResponseStatus.OK, Map.of("draining", false));
        }
        if (path.startsWith("/api/rooms/") && path.indexOf('/', "/api/rooms/".length()) < 0) {
            String room = path.substring("/api/rooms/".length());
            try {
                var outcome = onDemand == null ? org.confbridge.core.room.OnDemandRooms.Deletion.NOT_FOUND
                        : onDemand.delete(room);
                log.info("HTTP DELETE {} -> {}", path, outcome);
                return switch (outcome) {
                    case DELETED -> {
                        if (links != null) {
                            links.roomDeleted(room);
                        }
                        yield jsonResponse(HttpResponseStatus.OK, Map.of("deleted", room));
                    }
                    case ADMIN_FILE -> jsonResponse(HttpResponseStatus.CONFLICT,
                            Map.of("error", "room " + room + " is an admin's room file; only rooms created over the API are deleted here"));
                    case NOT_FOUND -> jsonResponse(HttpResponseStatus.NOT_FOUND, Map.of("error", "no such room: " + room));
                };
            } catch (org.confbridge.core.room.OnDemandRooms.Unavailable e) {
                return jsonResponse(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("error", e.getMessage()));
            } catch (java.io.IOException e) {
                return jsonResponse(HttpResponseStatus.INTERNAL_SERVER_ERROR, Map.of("error", "cannot remove the room"));
            }
        }
        if (!path.startsWith(BLOCKED + "/")) {
            return jsonResponse(HttpResponseStatus.NOT_FOUND, Map.of("error", "not found: " + path));
        }
        String address = path.substring(BLOCKED.length() + 1);
        boolean lifted = guard.unblock(address);
        log.info("HTTP DELETE {} -> {}", path, lifted ? 200 : 404);
        return lifted ? jsonResponse(HttpResponseStatus.OK, Map.of("unblocked", address))
                : jsonResponse(HttpResponseStatus.NOT_FOUND, Map.of("error", "not blocked: " + address));
    }

    /** Actions (the token was checked before routing). */
    private FullHttpResponse post(FullHttpRequest request, String path) {
        if (path.equals(DRAIN)) {
            drain.set(true, "admin-api");
            return jsonResponse(HttpResponseStatus.OK, Map.of("draining", true));
        }
        if (path.equals("/api/rooms")) {
            return createRoom(request);
        }
        java.util.regex.Matcher dial = DIAL.matcher(path);
        if (dial.matches() && dialer != null) {
            return dial(dial.group(1), request);
        }
        java.util.regex.Matcher linked = LINKS.matcher(path);
        if (linked.matches() && links != null) {
            JoinLinkApi.Answer a = links.post(linked.group(1), request);
            return jsonResponse(HttpResponseStatus.valueOf(a.status()), a.body());
        }
        java.util.regex.Matcher m = LEG_ACTION.matcher(path);
        RoomApi.Result result;
        java.util.regex.Matcher chat = CHAT.matcher(path);
        if (chat.matches()) {
            result = chatPosted(chat.group(1), request);
        } else if (m.matches()) {
            result = api.act(m.group(1), m.group(2), m.group(3));
        } else if ((m = ROOM_ACTION.matcher(path)).matches()) {
            result = api.act(m.group(1), null, m.group(2));
        } else {
            result = new RoomApi.Result(404, Map.of("error", "no such action: " + path));
        }
        log.info("HTTP POST {} -> {}", path, result.status());
        return jsonResponse(HttpResponseStatus.valueOf(result.status()), result.body());
    }

    /** {@code POST /api/rooms/{room}/chat} with {@code {"from": …, "text": …}}. */
    private RoomApi.Result chatPosted(String room, FullHttpRequest request) {
        try {
            com.fasterxml.jackson.databind.JsonNode body = json.readTree(request.content().toString(StandardCharsets.UTF_8));
            return api.chat(room, body.path("from").asText(null), body.path("text").asText(null));
        } catch (java.io.IOException e) {
            return new RoomApi.Result(400, Map.of("error", "JSON body expected: {\"from\": …, \"text\": …}"));
        }
    }

    private FullHttpResponse jsonResponse(HttpResponseStatus status, Object body) {
        try {
            return text(status, json.writeValueAsString(body), "application/json");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }
}
