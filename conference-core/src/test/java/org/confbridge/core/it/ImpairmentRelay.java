package org.confbridge.core.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A bad network on loopback, between a client and the bridge: packets from the client are
 * dropped with {@code lossPercent} and delayed by 0..2·{@code jitterMs} (so they also reorder);
 * the bridge's packets go back to the client untouched.
 */
final class ImpairmentRelay implements AutoCloseable {
    private final DatagramSocket socket;
    private final ScheduledExecutorService delayer = Executors.newSingleThreadScheduledExecutor();
    private final Thread pump;
    private final Random random;
    private final int jitterMs;
    private final double lossPercent;
    private volatile InetSocketAddress bridge;
    private volatile SocketAddress client;
    private volatile boolean running = true;
    volatile int dropped;
    volatile int forwarded;

    ImpairmentRelay(int jitterMs, double lossPercent, long seed) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setSoTimeout(200);
        this.random = new Random(seed);
        this.jitterMs = jitterMs;
        this.lossPercent = lossPercent;
        this.pump = new Thread(this::run, "impairment-relay");
        this.pump.setDaemon(true);
        this.pump.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    void forwardTo(InetSocketAddress bridgeRtp) {
        this.bridge = bridgeRtp;
    }

    private void run() {
        byte[] buf = new byte[2048];
        while (running) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            byte[] data = java.util.Arrays.copyOf(buf, p.getLength());
            if (bridge != null && p.getSocketAddress().equals(bridge)) {
                send(data, client);
            } else {
                client = p.getSocketAddress();
                if (bridge == null) {
                    continue;
                }
                if (random.nextDouble() * 100 < lossPercent) {
                    dropped++;
                    continue;
                }
                long delay = (long) (random.nextDouble() * 2 * jitterMs * 1000);
                forwarded++;
                delayer.schedule(() -> send(data, bridge), delay, TimeUnit.MICROSECONDS);
            }
        }
    }

    private void send(byte[] data, SocketAddress to) {
        if (to == null) {
            return;
        }
        try {
            socket.send(new DatagramPacket(data, data.length, to));
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        running = false;
        delayer.shutdownNow();
        socket.close();
    }
}
