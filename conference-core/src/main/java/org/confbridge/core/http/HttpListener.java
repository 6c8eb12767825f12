package org.confbridge.core.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import org.confbridge.sip.LogBudget;
import org.slf4j.LoggerFactory;

/**
 * One HTTP listener on one thread: every connection gets TLS where the server has an identity, an
 * idle timeout (a minute without a byte either way closes it: a slow client can hold the thread's
 * sockets, never the thread; a handshake gets ten seconds), the HTTP codec, and then the handlers
 * its server makes for it.
 */
public final class HttpListener implements AutoCloseable {
    /** Failed TLS handshakes (scanners, plain HTTP on the HTTPS port): at most 20 lines per ten seconds. */
    private static final LogBudget HANDSHAKES = new LogBudget(LoggerFactory.getLogger(HttpListener.class), 20,
            10_000_000_000L);
    private final EventLoopGroup group;
    private Channel channel;

    public HttpListener(String threadName) {
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory(threadName, true));
    }

    /** Binds to {@code bind:port}; returns the port (the one chosen where {@code port} is 0). */
    public int start(String bind, int port, Supplier<ChannelHandler[]> handlers) throws InterruptedException {
        return start(bind, port, null, handlers);
    }

    /** The same over TLS, each connection's engine from {@code tls} (plain HTTP where it is null). */
    public int start(String bind, int port, Supplier<SSLEngine> tls, Supplier<ChannelHandler[]> handlers)
            throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            SslHandler ssl = new SslHandler(tls.get());
                            ssl.setHandshakeTimeoutMillis(10_000);
                            ssl.handshakeFuture().addListener(f -> {
                                if (!f.isSuccess()) {
                                    HANDSHAKES.warn("TLS handshake from {} failed: {}",
                                            ((InetSocketAddress) ch.remoteAddress()).getAddress().getHostAddress(),
                                            handshakeProblem(f.cause()));
                                }
                            });
                            ch.pipeline().addLast(ssl);
                        }
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, 60), new IdleClose(), new HttpServerCodec());
                        ch.pipeline().addLast(handlers.get());
                    }
                })
                .bind(bind, port).sync().channel();
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Why a handshake failed, in words that hold none of the peer's bytes. */
    private static String handshakeProblem(Throwable cause) {
        if (cause instanceof io.netty.handler.ssl.NotSslRecordException) {
            return "not TLS (plain HTTP to the HTTPS port?)";
        }
        if (cause instanceof io.netty.handler.ssl.SslHandshakeTimeoutException) {
            return "no handshake within 10 s";
        }
        if (cause instanceof javax.net.ssl.SSLException) {
            return LogBudget.clean(cause.getMessage());
        }
        return cause.getClass().getSimpleName();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
