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
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One HTTP listener on one thread: every connection gets an idle timeout (a minute without a byte
 * either way closes it: a slow client can hold the thread's sockets, never the thread), the HTTP
 * codec, and then the handlers its server makes for it.
 */
public final class HttpListener implements AutoCloseable {
    private final EventLoopGroup group;
    private Channel channel;

    public HttpListener(String threadName) {
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory(threadName, true));
    }

    /** Binds to {@code bind:port}; returns the port (the one chosen where {@code port} is 0). */
    public int start(String bind, int port, Supplier<ChannelHandler[]> handlers) throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, 60), new IdleClose(), new HttpServerCodec());
                        ch.pipeline().addLast(handlers.get());
                    }
                })
                .bind(bind, port).sync().channel();
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
