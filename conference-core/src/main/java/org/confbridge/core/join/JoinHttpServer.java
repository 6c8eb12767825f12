package org.confbridge.core.join;

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
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.confbridge.config.RoomSettings;
import org.confbridge.core.http.HttpListener;
import org.confbridge.sip.LogBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The join listener (DESIGN section 13): a browser opens its link ({@code GET /join/{token}}, the
 * page), sends its offer in WHIP's shape ({@code POST /join/{token}}, {@code application/sdp} →
 * {@code 201}, {@code Location}, the answer) and leaves ({@code DELETE} that location). Separate
 * from the admin API, on its own port. Everything in a request is untrusted: a body beyond an
 * offer's size is refused before it is read, a source beyond its call limits gets what a SIP
 * caller would ({@code 403}/{@code 503}), and each refusal is one WARN line (within a budget).
 * HTTPS where the bridge has a certificate for it ({@code join.tls.*}).
 */
public final class JoinHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JoinHttpServer.class);
    /** Refusals: at most 20 lines per ten seconds, so a flood of requests cannot fill the disk. */
    private static final LogBudget REFUSALS = new LogBudget(log, 20, 10_000_000_000L);
    /** An offer and its headers; a larger body is answered 413 unread. */
    private static final int MAX_BODY = 20 * 1024;
    private static final Pattern PAGE = Pattern.compile("/join/([A-Za-z0-9_-]{1,64})");
    private static final Pattern SESSION = Pattern.compile("/join/([A-Za-z0-9_-]{1,64})/([0-9a-f]{1,64})");
    private static final Pattern CHAT = Pattern.compile("/join/([A-Za-z0-9_-]{1,64})/chat");
    /** A chat line from the page; longer is refused by the room's rules anyway. */
    private static final int MAX_CHAT = 2000;

    /** Who may start a join from where: the per-source limits SIP callers meet; null admits. */
    @FunctionalInterface
    public interface Screen {
        /** Why a new join from {@code source} is refused (its status and reason), or null. */
        BrowserDesk.Refused refuse(InetAddress source);
    }

    /** Our address as a browser at {@code page} reaches us: the candidate in our answers. */
    @FunctionalInterface
    public interface Addresses {
        String toward(InetAddress page);
    }

    private final JoinLinks links;
    private final BrowserDesk desk;
    private final Function<String, Optional<RoomSettings>> rooms;
    private final Screen screen;
    private final Addresses addresses;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final String page;
    private final HttpListener listener = new HttpListener("join-http");

    public JoinHttpServer(JoinLinks links, BrowserDesk desk, Function<String, Optional<RoomSettings>> rooms, Screen screen,
                          Addresses addresses, Clock clock) {
        this.links = links;
        this.desk = desk;
        this.rooms = rooms;
        this.screen = screen;
        this.addresses = addresses;
        this.clock = clock;
        try (InputStream in = JoinHttpServer.class.getResourceAsStream("/join/index.html")) {
            this.page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the join page is missing from the jar", e);
        }
    }

    /**
     * Binds and serves, over TLS with engines from {@code tls} (plain HTTP where it is null); returns
     * the port (the one chosen where {@code port} is 0).
     */
    public int start(String bind, int port, java.util.function.Supplier<javax.net.ssl.SSLEngine> tls)
            throws InterruptedException {
        int bound = listener.start(bind, port, tls,
                () -> new io.netty.channel.ChannelHandler[] {new Aggregator(), new Handler()});
        log.info("join listener on {}://{}:{}/join/ (browsers joining from links)", tls == null ? "http" : "https",
                bind.contains(":") ? "[" + bind + "]" : bind, bound);
        return bound;
    }

    @Override
    public void close() {
        listener.close();
    }

    /** An offer's size at most: a larger body is answered 413 unread, with one WARN line. */
    private static final class Aggregator extends HttpObjectAggregator {
        Aggregator() {
            super(MAX_BODY);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpMessage m)
                throws Exception {
            InetAddress from = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            REFUSALS.warn("join {} from {} refused (413): a body over {} bytes",
                    m instanceof io.netty.handler.codec.http.HttpRequest r ? r.method() : "request", from.getHostAddress(),
                    MAX_BODY);
            super.handleOversizedMessage(ctx, m);
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            InetAddress from = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            String path = new QueryStringDecoder(request.uri()).path();
            if (request.method() == HttpMethod.POST) {
                post(ctx, request, path, from);
                return;
            }
            respond(ctx, request, handle(request, path, from));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private FullHttpResponse handle(FullHttpRequest request, String path, InetAddress from) {
        HttpMethod method = request.method();
        if (method == HttpMethod.OPTIONS) {
            FullHttpResponse r = text(HttpResponseStatus.NO_CONTENT, "", "text/plain");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, POST, DELETE, OPTIONS");
            return r;
        }
        Matcher session = SESSION.matcher(path);
        if (method == HttpMethod.DELETE && session.matches()) {
            JoinLinks.Link link = links.find(session.group(1), clock.instant());
            boolean left = link != null && desk.leave(session.group(2));
            log.info("join DELETE {} from {} -> {}", path, from.getHostAddress(), left ? 200 : 404);
            return left ? text(HttpResponseStatus.OK, "", "text/plain") : text(HttpResponseStatus.NOT_FOUND, "", "text/plain");
        }
        Matcher pageMatch = PAGE.matcher(path);
        if ((method == HttpMethod.GET || method == HttpMethod.HEAD) && pageMatch.matches()) {
            JoinLinks.Link link = links.find(pageMatch.group(1), clock.instant());
            Optional<RoomSettings> room = link == null ? Optional.empty() : rooms.apply(link.room());
            return page(link, room.orElse(null));
        }
        if (pageMatch.matches() || session.matches()) {
            FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "", "text/plain");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, POST, DELETE, OPTIONS");
            return r;
        }
        return text(HttpResponseStatus.NOT_FOUND, "", "text/plain");
    }

    /** {@code POST /join/{token}}: the offer; answered when the leg is up (off the HTTP thread's back). */
    private void post(ChannelHandlerContext ctx, FullHttpRequest request, String path, InetAddress from) {
        Matcher chat = CHAT.matcher(path);
        if (chat.matches()) {
            chat(ctx, request, chat.group(1), from);
            return;
        }
        Matcher m = PAGE.matcher(path);
        if (!m.matches()) {
            respond(ctx, request, text(HttpResponseStatus.NOT_FOUND, "", "text/plain"));
            return;
        }
        JoinLinks.Link link = linkFor(ctx, request, m.group(1), from, "application/sdp");
        if (link == null) {
            return;
        }
        BrowserDesk.Refused refused = screen.refuse(from);
        if (refused != null) {
            refuse(ctx, request, from, refused.status(), refused.getMessage());
            return;
        }
        String offer = request.content().toString(StandardCharsets.UTF_8);
        String token = link.token();
        request.retain();
        desk.join(link, offer, from, addresses.toward(from)).whenComplete((answer, failure) -> {
            try {
                if (failure != null) {
                    Throwable why = failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                            ? c.getCause() : failure;
                    int status = why instanceof BrowserDesk.Refused r ? r.status() : 503;
                    refuse(ctx, request, from, status, why.getMessage());
                    return;
                }
                FullHttpResponse r = text(HttpResponseStatus.CREATED, answer.sdp(), "application/sdp");
                r.headers().set(HttpHeaderNames.LOCATION, "/join/" + token + "/" + answer.session());
                log.info("join POST /join/{}… from {} -> 201 session {}", token.substring(0, 6), from.getHostAddress(),
                        answer.session());
                respond(ctx, request, r);
            } finally {
                request.release();
            }
        });
    }

    /** {@code POST /join/{token}/chat}, {@code text/plain}: a line into the room, as from the link's participant. */
    private void chat(ChannelHandlerContext ctx, FullHttpRequest request, String token, InetAddress from) {
        if (linkFor(ctx, request, token, from, "text/plain") == null) {
            return;
        }
        if (request.content().readableBytes() > MAX_CHAT) {
            refuse(ctx, request, from, 413, "a chat line over " + MAX_CHAT + " bytes");
            return;
        }
        int status = desk.chat(token, request.content().toString(StandardCharsets.UTF_8));
        if (status != 200) {
            refuse(ctx, request, from, status, "chat refused");
            return;
        }
        respond(ctx, request, text(HttpResponseStatus.OK, "", "text/plain"));
    }

    /**
     * The live link of {@code token} for a POST whose body is {@code type}; null once the request
     * is answered (404 for a dead link, 415 for another body).
     */
    private JoinLinks.Link linkFor(ChannelHandlerContext ctx, FullHttpRequest request, String token, InetAddress from,
                                   String type) {
        JoinLinks.Link link = links.find(token, clock.instant());
        if (link == null) {
            refuse(ctx, request, from, 404, "unknown or expired link");
            return null;
        }
        String sent = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!sent.toLowerCase(java.util.Locale.ROOT).startsWith(type)) {
            refuse(ctx, request, from, 415, "the body must be " + type);
            return null;
        }
        return link;
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request, InetAddress from, int status, String why) {
        REFUSALS.warn("join {} from {} refused ({}): {}", LogBudget.clean(request.method().name()), from.getHostAddress(),
                status, LogBudget.clean(why));
        respond(ctx, request, jsonResponse(HttpResponseStatus.valueOf(status), Map.of("error", why == null ? "" : why)));
    }

    /** The page, with what it needs to know as JSON data (never markup) in it; 404's page for a dead link. */
    private FullHttpResponse page(JoinLinks.Link link, RoomSettings room) {
        Map<String, Object> info = link == null || room == null
                ? Map.of("valid", false, "language", "en")
                : Map.of("valid", true, "language", room.language(), "room", room.name(), "name", link.displayName());
        String data;
        try {
            data = json.writeValueAsString(info).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (IOException e) {
            data = "{\"valid\":false}";
        }
        FullHttpResponse r = text(link == null || room == null ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.OK,
                page.replace("\"__JOIN_INFO__\"", data), "text/html; charset=utf-8");
        r.headers().set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; "
                + "style-src 'unsafe-inline'; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'");
        r.headers().set("Referrer-Policy", "no-referrer"); // the link is the credential
        r.headers().set("Cache-Control", "no-store");
        return r;
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        org.confbridge.core.http.Replies.send(ctx, response, HttpUtil.isKeepAlive(request));
    }

    private FullHttpResponse jsonResponse(HttpResponseStatus status, Object body) {
        try {
            return text(status, json.writeValueAsString(body), "application/json");
        } catch (IOException e) {
            return text(status, "{}", "application/json");
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        return r;
    }
}
