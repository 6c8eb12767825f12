package org.confbridge.core.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.confbridge.core.cluster.RoomForwarding;
import org.confbridge.sip.LogBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's side of {@link RoomForwarding}: a request for a room running on another node is
 * answered with that node's answer, written when it comes, so the HTTP thread never waits on it.
 */
final class RoomRelay {
    private static final Logger log = LoggerFactory.getLogger(RoomRelay.class);
    private static final LogBudget UNANSWERED = new LogBudget(log, 20, 10_000_000_000L);

    private final RoomForwarding forwarding;

    RoomRelay(RoomForwarding forwarding) {
        this.forwarding = forwarding;
    }

    /** Whether the request went to another node (its answer is on its way), or is this node's to answer. */
    boolean relay(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        RoomForwarding.Target to = forwarding.target(path, request.headers().get(RoomForwarding.FORWARDED));
        if (to == null) {
            return false;
        }
        String method = request.method().name();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        log.info("HTTP {} {} -> node {}", method, LogBudget.clean(path), to.node());
        forwarding.send(to, method, request.uri(), request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                request.headers().get(HttpHeaderNames.AUTHORIZATION), ByteBufUtil.getBytes(request.content()))
                .whenComplete((answer, error) -> {
                    FullHttpResponse response;
                    if (error != null) {
                        UNANSWERED.warn("HTTP {} {}: node {} did not answer ({})", method, LogBudget.clean(path), to.node(),
                                error.getClass().getSimpleName());
                        response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY,
                                Unpooled.copiedBuffer("{\"error\":\"the room runs on node " + to.node()
                                        + ", which did not answer\"}", StandardCharsets.UTF_8));
                        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                    } else {
                        response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                HttpResponseStatus.valueOf(answer.statusCode()), Unpooled.wrappedBuffer(answer.body()));
                        answer.headers().firstValue("Content-Type")
                                .ifPresent(type -> response.headers().set(HttpHeaderNames.CONTENT_TYPE, type));
                        response.headers().set(RoomForwarding.ACTED, to.node());
                    }
                    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
                    Replies.send(ctx, response, keepAlive);
                });
        return true;
    }
}
