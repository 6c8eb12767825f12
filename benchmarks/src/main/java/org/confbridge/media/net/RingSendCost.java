package org.confbridge.media.net;

import io.netty.channel.unix.Socket;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.locks.LockSupport;

/**
 * What one loop thread spends to send a 20 ms tick's RTP packets on many connected UDP sockets:
 * through our io_uring binding ({@link LoopRing}, one system call a tick) or with one
 * {@code send} per packet. Compared with Netty 4.2's io_uring transport by bench/ring-compare.sh,
 * which runs the same load there (bench/netty-io_uring).
 * <p>
 * {@code java -cp benchmarks/target/benchmarks.jar org.confbridge.media.net.RingSendCost ring|direct SOCKETS SECONDS}
 */
public final class RingSendCost {
    private static final long TICK_NANOS = 20_000_000L;
    private static final int PACKET = 172;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "ring";
        int sockets = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        io.netty.channel.epoll.Epoll.ensureAvailability(); // loads the native library the sockets need
        Socket sink = Socket.newSocketDgram();
        sink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress to = (InetSocketAddress) sink.localAddress();
        int[] fds = new int[sockets];
        Socket[] senders = new Socket[sockets];
        for (int i = 0; i < sockets; i++) {
            senders[i] = Socket.newSocketDgram();
            senders[i].bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            senders[i].connect(to);
            fds[i] = senders[i].intValue();
        }
        LoopRing ring = mode.equals("ring") ? LoopRing.open(new Uncounted()) : null;
        byte[] packet = new byte[PACKET];
        io.netty.buffer.ByteBuf direct = io.netty.buffer.Unpooled.directBuffer(PACKET).writeBytes(packet);
        long address = direct.memoryAddress();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long warmTicks = 3 * 50L;
        long ticks = warmTicks + seconds * 50L;
        long next = System.nanoTime();
        long cpuStart = 0;
        for (long t = 0; t < ticks; t++) {
            if (t == warmTicks) {
                cpuStart = threads.getCurrentThreadCpuTime();
            }
            for (int i = 0; i < sockets; i++) {
                if (ring != null) {
                    ring.send(fds[i], packet, 0, PACKET);
                } else {
                    senders[i].sendAddress(address, 0, PACKET);
                }
            }
            if (ring != null) {
                ring.flush();
            }
            next += TICK_NANOS;
            LockSupport.parkNanos(next - System.nanoTime());
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        long packets = (ticks - warmTicks) * sockets;
        System.out.printf("ours-%s: %d sockets, %d packets, loop thread CPU %.2f µs per packet, %.1f %% of a core%n",
                mode, sockets, packets, cpu / 1000.0 / packets, 100.0 * cpu / ((ticks - warmTicks) * TICK_NANOS));
        if (ring != null) {
            ring.close();
        }
        for (Socket s : senders) {
            s.close();
        }
        sink.close();
    }

    private static final class Uncounted implements SocketCounters {
        @Override
        public void socketError() {
        }

        @Override
        public void sendDropped() {
        }

        @Override
        public void droppedOverrun() {
        }

        @Override
        public void sent(int packets) {
        }
    }
}
