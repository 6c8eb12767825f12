package org.confbridge.media.loop;


import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.confbridge.media.metrics.MediaMetrics;
import org.confbridge.media.net.ChannelSocket;
import org.confbridge.media.net.LegSocket;
import org.confbridge.media.net.PolledSocket;
import org.confbridge.media.net.RtcpPort;
import org.confbridge.media.net.TickIo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a new leg's sockets: an even RTP port from the pool, bound for the loop that will send on
 * it (see {@link RoomLoops#socketLoopFor}), and RTCP on the odd port above. On epoll the RTP
 * socket is the leg's own, polled by the room's tick ({@link PolledSocket}); elsewhere a Netty
 * channel ({@link ChannelSocket}). A port taken by another program is skipped: every port of the
 * pool is tried once before a leg is refused, as another program may hold a long run of them.
 */
public final class LegSockets {
    private static final Logger log = LoggerFactory.getLogger(LegSockets.class);

    /** A leg's bound sockets; {@code rtcp} is null when its port could not be bound (a leg works without). */
    public record Opened(LegSocket rtp, RtcpPort rtcp) {
    }

    /** The room a leg's sockets are opened for: the loop it lives on, and its tick's buffers. */
    private record Home(EventLoop loop, TickIo io) {
        void execute(Runnable task) {
            if (loop.inEventLoop()) {
                task.run();
            } else {
                loop.execute(task);
            }
        }
    }

    private final RoomLoops loops;
    private final String bindAddress;

    private final MediaMetrics metrics;

    LegSockets(RoomLoops loops, String bindAddress, MediaMetrics metrics) {
        this.loops = loops;
        this.metrics = metrics;
        this.bindAddress = bindAddress;
    }

    /**
     * Binds a leg's sockets for a room living on {@code home} whose tick reads through {@code io},
     * IPv4 ones when {@code peer} is an IPv4 address (see {@link RoomLoops#ipv4Sockets}); completes
     * there.
     */
    public CompletableFuture<Opened> open(EventLoop home, TickIo io, InetSocketAddress peer) {
        Home group = new Home(home, io);
        CompletableFuture<Opened> result = new CompletableFuture<>();
        try {
            bind(group, peer, result, loops.ports().capacity());
        } catch (RuntimeException e) {
            result.completeExceptionally(e); // never lost in the loop's task queue
        }
        return result;
    }

    private void bind(Home group, InetSocketAddress peer, CompletableFuture<Opened> result, int attempts) {
        // Polled sockets bind at once: retried in this loop, not by recursion, however many ports are taken.
        for (int left = attempts; left > 0; left--) {
            int port = loops.ports().acquire();
            if (port < 0) {
                result.completeExceptionally(new IllegalStateException("no free RTP port in " + loops.ports().range()));
                return;
            }
            EventLoop socketLoop = loops.socketLoopFor(group.loop());
            // The port is free again only once its socket really is closed.
            Runnable released = () -> {
                loops.socketClosed(socketLoop);
                loops.ports().release(port);
            };
            if (!(loops.epoll() && group.io().direct())) {
                bindChannel(group, peer, port, socketLoop, released, result, left);
                return;
            }
            Throwable failure = bindPolled(group, peer, port, socketLoop, released, result);
            if (failure == null) {
                return;
            }
            if (portTaken(port, socketLoop, failure, result, left)) {
                return;
            }
        }
    }

    /**
     * The leg's own RTP socket, outside Netty: the tick reads it directly, and sends on it when
     * {@code socketLoop} is the room's own loop; otherwise that loop sends the leg's packets.
     * Returns why it could not be bound, or null.
     */
    private Throwable bindPolled(Home group, InetSocketAddress peer, int port, EventLoop socketLoop, Runnable released,
                                 CompletableFuture<Opened> result) {
        Socket socket = null;
        try {
            socket = PolledSocket.open(loops.ipv4Sockets(peer));
            socket.bind(new InetSocketAddress(bindAddress, port));
        } catch (IOException | RuntimeException e) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // never bound: nothing to release
                }
            }
            return e;
        }
        PolledSocket rtp = new PolledSocket(socket, port, loops.loopIndex(socketLoop), loops.ring(socketLoop),
                metrics, released);
        bindRtcp(group, peer, rtp, port + 1, result);
        return null;
    }

    private void bindChannel(Home group, InetSocketAddress peer, int port, EventLoop socketLoop, Runnable released,
                             CompletableFuture<Opened> result, int attempts) {
        ChannelSocket rtp = new ChannelSocket(port, metrics);
        Bootstrap bootstrap = new Bootstrap().group(socketLoop)
                .channelFactory(() -> loops.newDatagramChannel(peer))
                // One datagram per read: RTP brings one packet per socket per 20 ms, so reading on
                // until the socket says "empty" would cost a second system call for every packet.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048).maxMessagesPerRead(1))
                .handler(rtp.handler(loops.clock()));
        if (loops.epoll()) {
            // Level-triggered, so a packet left in the socket is reported again instead of re-read now.
            bootstrap.option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
        }
        bootstrap.bind(new InetSocketAddress(bindAddress, port)).addListener(f -> group.execute(() -> {
            if (f.isSuccess()) {
                io.netty.channel.Channel ch = ((ChannelFuture) f).channel();
                rtp.attach(ch);
                ch.closeFuture().addListener(c -> released.run());
                bindRtcp(group, peer, rtp, port + 1, result);
                return;
            }
            if (!portTaken(port, socketLoop, f.cause(), result, attempts)) {
                bind(group, peer, result, attempts - 1);
            }
        }));
    }

    /**
     * A port taken by another program: returns it to the pool (at the back, so the next attempt
     * does not get it straight back) and tells whether that was the last attempt, in which case
     * the leg is refused naming the range, so an operator sees whose ports to look for.
     */
    private boolean portTaken(int port, EventLoop socketLoop, Throwable cause, CompletableFuture<Opened> result,
                              int attempts) {
        loops.socketClosed(socketLoop);
        loops.ports().release(port);
        if (attempts > 1) {
            log.debug("RTP port {} not bindable ({}), trying another", port, cause.toString());
            return false;
        }
        result.completeExceptionally(new IOException("no RTP port of " + loops.ports().range()
                + " could be bound (another program holds them?), the last, " + port + ": " + cause.getMessage(),
                cause));
        return true;
    }

    /** RTCP on the odd port above, on the room's loop; a leg works without it if that port is taken. */
    private void bindRtcp(Home group, InetSocketAddress peer, LegSocket rtp, int port,
                          CompletableFuture<Opened> result) {
        RtcpPort rtcp = new RtcpPort(metrics);
        new Bootstrap().group(group.loop()).channelFactory(() -> loops.newDatagramChannel(peer))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(1500))
                .handler(rtcp.handler())
                .bind(new InetSocketAddress(bindAddress, port))
                .addListener(f -> {
                    if (f.isSuccess()) {
                        rtcp.attach(((ChannelFuture) f).channel());
                        result.complete(new Opened(rtp, rtcp));
                    } else {
                        log.debug("RTCP port {} not bindable: {}", port, f.cause().toString());
                        result.complete(new Opened(rtp, null));
                    }
                });
    }
}
