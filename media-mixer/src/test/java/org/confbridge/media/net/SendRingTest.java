package org.confbridge.media.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A loop's batched sends through io_uring, on real loopback sockets: nothing leaves before the
 * flush, everything leaves with it, byte for byte and in order; a full queue flushes itself; a
 * refused destination is counted, not thrown.
 */
class SendRingTest {
    private final Counters counters = new Counters();
    private SendRing ring;
    private Socket sender;
    private DatagramSocket receiver;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Epoll.isAvailable(), "Linux native transport");
        try {
            ring = SendRing.open(counters);
        } catch (IOException refused) {
            assumeTrue(false, "io_uring refused here: " + refused.getMessage());
        }
        receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        receiver.setSoTimeout(1000);
        sender = Socket.newSocketDgram();
        sender.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        sender.connect(receiver.getLocalSocketAddress());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (ring != null) {
            ring.close();
        }
        if (sender != null) {
            sender.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void packetsLeaveAtTheFlushWholeAndInOrder() throws IOException {
        byte[][] sent = new byte[5][];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = packet(i, 172 + i);
            byte[] framed = new byte[sent[i].length + 10];
            System.arraycopy(sent[i], 0, framed, 7, sent[i].length);
            ring.send(sender.intValue(), framed, 7, sent[i].length);
            Arrays.fill(framed, (byte) 0); // the ring keeps its own copy
        }
        receiver.setSoTimeout(100);
        assertThrows(SocketTimeoutException.class, () -> receiver.receive(new DatagramPacket(new byte[2048], 2048)),
                "nothing is sent before the flush");
        ring.flush();
        receiver.setSoTimeout(1000);
        for (byte[] expected : sent) {
            DatagramPacket got = new DatagramPacket(new byte[2048], 2048);
            receiver.receive(got);
            assertArrayEquals(expected, Arrays.copyOf(got.getData(), got.getLength()));
        }
        assertEquals(0, counters.errors.get() + counters.dropped.get());
    }

    @Test
    void aFullQueueFlushesItself() throws IOException {
        receiver.setReceiveBufferSize(4 << 20);
        for (int i = 0; i < 1100; i++) {
            byte[] p = packet(i, 172);
            ring.send(sender.intValue(), p, 0, p.length);
        }
        DatagramPacket first = new DatagramPacket(new byte[2048], 2048);
        receiver.receive(first); // the first 1024 went out when the queue was full
        assertArrayEquals(packet(0, 172), Arrays.copyOf(first.getData(), first.getLength()));
        ring.flush();
        assertEquals(0, counters.errors.get());
    }

    @Test
    void aRefusedDestinationIsCountedNotThrown() throws IOException, InterruptedException {
        int port = receiver.getLocalPort();
        receiver.close(); // nobody listens there now: the kernel answers with ICMP port unreachable
        receiver = null;
        byte[] p = packet(0, 172);
        for (int i = 0; i < 5 && counters.errors.get() == 0; i++) {
            ring.send(sender.intValue(), p, 0, p.length);
            ring.flush();
            Thread.sleep(20);
        }
        assertTrue(counters.errors.get() > 0, "a send after the unreachable answer fails and is counted (port " + port + ")");
    }

    private static byte[] packet(int n, int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (n * 31 + i);
        }
        p[1] = (byte) (n >> 8);
        return p;
    }

    private static final class Counters implements SocketCounters {
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();

        @Override
        public void socketError() {
            errors.incrementAndGet();
        }

        @Override
        public void sendDropped() {
            dropped.incrementAndGet();
        }

        @Override
        public void droppedOverrun() {
        }

        @Override
        public void sent(int packets) {
        }
    }
}
