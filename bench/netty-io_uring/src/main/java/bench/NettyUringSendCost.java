package bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The load of org.confbridge.media.net.RingSendCost on Netty 4.2's io_uring transport: one loop,
 * SOCKETS connected datagram channels, each sent one 172-byte packet every 20 ms (a pooled direct
 * buffer per packet, as a mixer handing packets to channels would), and the loop thread's CPU per
 * packet. {@code java -jar netty-io_uring.jar SOCKETS SECONDS}
 */
public final class NettyUringSendCost {
    /** Nothing comes back: the sink never answers. */
    @ChannelHandler.Sharable
    private static final class Ignore extends ChannelInboundHandlerAdapter {
    }

    private static final int PACKET = 172;

    public static void main(String[] args) throws Exception {
        int sockets = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        if (!IoUring.isAvailable()) {
            throw new IllegalStateException("Netty's io_uring is not available: " + IoUring.unavailabilityCause());
        }
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory());
        try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            InetSocketAddress to = (InetSocketAddress) sink.getLocalSocketAddress();
            Bootstrap bootstrap = new Bootstrap().group(group).channel(IoUringDatagramChannel.class)
                    .handler(new Ignore());
            Channel[] channels = new Channel[sockets];
            for (int i = 0; i < sockets; i++) {
                channels[i] = bootstrap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
                channels[i].connect(to).sync();
            }
            EventLoop loop = channels[0].eventLoop();
            long loopThread = loop.submit(() -> Thread.currentThread().getId()).get();
            byte[] packet = new byte[PACKET];
            Runnable tick = () -> {
                for (Channel ch : channels) {
                    ByteBuf buf = ch.alloc().directBuffer(PACKET).writeBytes(packet);
                    ch.write(buf, ch.voidPromise());
                }
                for (Channel ch : channels) {
                    ch.flush();
                }
            };
            var ticking = loop.scheduleAtFixedRate(tick, 20, 20, TimeUnit.MILLISECONDS);
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            Thread.sleep(3000);
            long cpuStart = threads.getThreadCpuTime(loopThread);
            long wallStart = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu = threads.getThreadCpuTime(loopThread) - cpuStart;
            long wall = System.nanoTime() - wallStart;
            ticking.cancel(false);
            long packets = wall / 20_000_000L * sockets;
            System.out.printf("netty-4.2-io_uring: %d sockets, %d packets, loop thread CPU %.2f µs per packet, %.1f %% of a core%n",
                    sockets, packets, cpu / 1000.0 / packets, 100.0 * cpu / wall);
            CountDownLatch closed = new CountDownLatch(sockets);
            for (Channel ch : channels) {
                ch.close().addListener(f -> closed.countDown());
            }
            closed.await(5, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
