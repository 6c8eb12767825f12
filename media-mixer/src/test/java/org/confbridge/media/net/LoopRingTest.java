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
import org.confbridge.media.testing.FaultyKernel;

/**
 * A loop's batched sends through io_uring, on real loopback sockets: nothing leaves before the
 * flush, everything leaves with it, byte for byte and in order; a full queue flushes itself; a
 * refused destination is counted, not thrown.
 */
class LoopRingTest {
    private final Counters counters = new Counters();
    private LoopRing ring;
    private Socket sender;
    private DatagramSocket receiver;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Epoll.isAvailable(), "Linux native transport");
        try {
            ring = LoopRing.open(counters);
        } catch (IoUring.Refused refused) {
            // Only a kernel or container that forbids io_uring; one that allows it must work.
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
    void aRefusedDestinationIsCountedNotThrown() throws IOException {
        int port = receiver.getLocalPort();
        receiver.close(); // nobody listens there now: the kernel answers with ICMP port unreachable
        receiver = null;
        byte[] p = packet(0, 172);
        // On loopback the ICMP answer is queued on the socket within microseconds: the next sends see it.
        for (int i = 0; i < 10_000 && counters.errors.get() == 0; i++) {
            ring.send(sender.intValue(), p, 0, p.length);
            ring.flush();
        }
        assertTrue(counters.errors.get() > 0, "a send after the unreachable answer fails and is counted (port " + port + ")");
    }

    /**
     * A connected leg socket's first read of each tick goes through the ring: what the caller sent
     * arrives whole and in order, tick after tick, and an empty socket is an answer, not a wait.
     */
    @Test
    void eachTicksFirstReadComesThroughTheRing() throws IOException {
        Socket own = Socket.newSocketDgram();
        own.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress caller = (InetSocketAddress) receiver.getLocalSocketAddress();
        PolledSocket leg = new PolledSocket(own, own.localAddress().getPort(), 0, ring, counters, () -> { });
        TickIo io = new TickIo(0, new io.netty.channel.EventLoop[0], counters, ring);
        java.util.List<byte[]> heard = new java.util.ArrayList<>();
        LegSocket.Receiver take = (buf, off, len, from, at) -> {
            assertEquals(caller, from);
            heard.add(Arrays.copyOfRange(buf, off, off + len));
            return SocketReads.Arrival.ON_TIME; // nothing more expected this tick
        };
        leg.connect(caller);
        long tick = 1_000;
        io.startTick(tick);
        leg.read(take, io); // empty: from now on a clean connected socket, whose reads the ring may do
        for (int i = 0; i < 5; i++) {
            byte[] p = packet(i, 172 + i);
            receiver.send(new DatagramPacket(p, p.length, own.localAddress()));
            io.startTick(tick += 20_000_000);
            ring.beginWakeUp();
            leg.queueRead(io);
            ring.submitReads();
            int before = heard.size();
            leg.read(take, io);
            assertEquals(before + 1, heard.size(), "tick " + i);
            assertArrayEquals(p, heard.get(heard.size() - 1));
        }
        assertEquals(5, ring.datagramsRead(), "the datagrams came through the ring");
        io.startTick(tick + 20_000_000);
        ring.beginWakeUp();
        leg.queueRead(io);
        ring.submitReads();
        leg.read(take, io); // nothing sent: the ring's read found the socket empty
        assertEquals(5, heard.size());
        assertEquals(0, counters.errors.get());
        leg.close(io);
        io.release();
    }

    /** The hot path's promise holds through the ring: no allocation per packet sent or read. */
    @Test
    void sendingAndReadingAllocateNothingPerPacket() throws IOException {
        Socket own = Socket.newSocketDgram();
        own.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Socket peer = Socket.newSocketDgram();
        peer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        peer.connect(own.localAddress());
        PolledSocket leg = new PolledSocket(own, own.localAddress().getPort(), 0, ring, counters, () -> { });
        TickIo io = new TickIo(0, new io.netty.channel.EventLoop[0], counters, ring);
        long[] heard = {0};
        LegSocket.Receiver take = (buf, off, len, from, at) -> {
            heard[0]++;
            return SocketReads.Arrival.ON_TIME;
        };
        leg.connect((InetSocketAddress) peer.localAddress());
        byte[] p = packet(1, 172);
        long[] tick = {1_000};
        Runnable round = () -> {
            ring.send(peer.intValue(), p, 0, p.length); // the caller's packet to the leg
            for (int i = 0; i < 9; i++) {
                ring.send(sender.intValue(), p, 0, p.length); // and the room's to others
            }
            ring.flush();
            io.startTick(tick[0] += 20_000_000);
            ring.beginWakeUp();
            leg.queueRead(io);
            ring.submitReads();
            leg.read(take, io);
        };
        for (int i = 0; i < 20_000; i++) {
            round.run(); // compiled before it is measured
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long readBefore = ring.datagramsRead();
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 10_000; i++) {
            round.run();
        }
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertEquals(10_000, ring.datagramsRead() - readBefore, "every tick's datagram read through the ring");
        assertTrue(allocated < 10_000, allocated + " bytes for 100 000 packets sent and 10 000 read");
        leg.close(io);
        peer.close();
        io.release();
    }

    /**
     * A leg's socket goes into the ring's file table with its first read and send, and out of it as
     * the leg closes: its port is free at once. A socket the table still held would stay open (and
     * its port taken) whoever closed its descriptor, which the second half shows.
     */
    @Test
    void aClosedLegLeavesTheFileTableAndItsPortIsFreeAtOnce() throws IOException {
        assertTrue(ring.fileTable(), "this kernel gives the ring a file table");
        InetSocketAddress caller = (InetSocketAddress) receiver.getLocalSocketAddress();
        Socket own = Socket.newSocketDgram();
        own.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress local = (InetSocketAddress) own.localAddress();
        PolledSocket leg = new PolledSocket(own, local.getPort(), 0, ring, counters, () -> { });
        TickIo io = new TickIo(0, new io.netty.channel.EventLoop[0], counters, ring);
        int[] heard = {0};
        LegSocket.Receiver take = (buf, off, len, from, at) -> {
            heard[0]++;
            return SocketReads.Arrival.ON_TIME;
        };
        leg.connect(caller);
        io.startTick(1_000);
        leg.read(take, io);
        byte[] p = packet(1, 172);
        receiver.send(new DatagramPacket(p, p.length, local));
        io.startTick(20_001_000);
        ring.beginWakeUp();
        leg.queueRead(io);
        ring.submitReads();
        leg.read(take, io);
        assertTrue(leg.send(p, 0, p.length, caller, io));
        ring.endWakeUp();
        assertEquals(1, heard[0]);
        assertEquals(1, ring.datagramsRead(), "read through the ring, by the socket's slot");
        receiver.receive(new DatagramPacket(new byte[2048], 2048)); // and sent through it
        leg.close(io);
        try (DatagramSocket again = new DatagramSocket(local)) {
            assertEquals(local.getPort(), again.getLocalPort(), "the port is free as the leg closes");
        }
        assertEquals(0, counters.errors.get() + counters.dropped.get());
        io.release();

        // Closed without leaving the table: the kernel keeps the socket, and its port.
        Socket kept = Socket.newSocketDgram();
        kept.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress keptAt = (InetSocketAddress) kept.localAddress();
        kept.connect(caller);
        assertTrue(ring.send(kept.intValue(), p, 0, p.length));
        ring.flush();
        kept.close();
        assertThrows(java.net.BindException.class, () -> new DatagramSocket(keptAt).close(),
                "a socket the table holds stays bound after its descriptor is closed");
    }

    /**
     * A leg moved to a room on another loop is read through that loop's ring; the ring it left lets
     * the socket go as it leaves, so closing it later (on the new loop) frees the port.
     */
    @Test
    void aLegMovedToAnotherLoopIsLetGoByTheRingItLeft() throws IOException {
        InetSocketAddress caller = (InetSocketAddress) receiver.getLocalSocketAddress();
        Socket own = Socket.newSocketDgram();
        own.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress local = (InetSocketAddress) own.localAddress();
        try (LoopRing other = LoopRing.open(counters)) {
            // Sent on by a loop of its own without a ring (a large room's spread sockets): only
            // the reading rings hold it.
            PolledSocket leg = new PolledSocket(own, local.getPort(), 0, null, counters, () -> { });
            TickIo first = new TickIo(0, new io.netty.channel.EventLoop[0], counters, ring);
            TickIo second = new TickIo(0, new io.netty.channel.EventLoop[0], counters, other);
            int[] heard = {0};
            LegSocket.Receiver take = (buf, off, len, from, at) -> {
                heard[0]++;
                return SocketReads.Arrival.ON_TIME;
            };
            leg.connect(caller);
            first.startTick(1_000);
            leg.read(take, first);
            long tick = 1_000;
            for (TickIo io : new TickIo[] {first, second}) {
                byte[] p = packet(heard[0], 172);
                receiver.send(new DatagramPacket(p, p.length, local));
                io.startTick(tick += 20_000_000);
                io.ring().beginWakeUp();
                leg.queueRead(io);
                io.ring().submitReads();
                leg.read(take, io);
                io.ring().endWakeUp();
                if (io == first) {
                    leg.leaveLoop(first); // the leg's room changes loops
                }
            }
            assertEquals(2, heard[0]);
            assertEquals(1, ring.datagramsRead());
            assertEquals(1, other.datagramsRead());
            leg.close(second);
            try (DatagramSocket again = new DatagramSocket(local)) {
                assertEquals(local.getPort(), again.getLocalPort(), "neither ring holds the socket");
            }
            first.release();
            second.release();
        }
    }

    // ---- faults, as a kernel, a container or a busy machine could answer ----

    @Test
    void withoutAFileTableOperationsNameDescriptors() throws IOException {
        LoopRing r = faulty(new FaultyKernel().noFileTable());
        assertTrue(!r.fileTable());
        assertAllArrivedInOrder(sendThrough(r, 10));
        assertEquals(0, counters.stopped.get() + counters.handedBack.get() + counters.errors.get());
    }

    /** Opens a second ring on {@code kernel} for the test (the one from setUp stays for the default kernel). */
    private LoopRing faulty(FaultyKernel kernel) throws IOException {
        ring.close();
        ring = LoopRing.open(counters, kernel);
        return ring;
    }

    /** Sends {@code count} packets through the ring and flushes; returns what was sent. */
    private byte[][] sendThrough(LoopRing r, int count) {
        byte[][] sent = new byte[count][];
        for (int i = 0; i < count; i++) {
            sent[i] = packet(i, 172);
            assertTrue(r.send(sender.intValue(), sent[i], 0, sent[i].length), "queued " + i);
        }
        r.flush();
        return sent;
    }

    private void assertAllArrivedInOrder(byte[][] sent) throws IOException {
        for (byte[] expected : sent) {
            DatagramPacket got = new DatagramPacket(new byte[2048], 2048);
            receiver.receive(got);
            assertArrayEquals(expected, Arrays.copyOf(got.getData(), got.getLength()));
        }
    }

    @Test
    void aShortSubmitIsSubmittedAgainUntilAllIsTaken() throws IOException {
        LoopRing r = faulty(new FaultyKernel().shortSubmits());
        assertAllArrivedInOrder(sendThrough(r, 40));
        assertTrue(counters.retried.get() > 0, "the rest of each short submit went again");
        assertEquals(0, counters.stopped.get() + counters.handedBack.get() + counters.errors.get());
        assertTrue(!r.stopped());
    }

    @Test
    void ebusyIsRetried() throws IOException {
        LoopRing r = faulty(new FaultyKernel().busyEvery(2));
        for (int round = 0; round < 5; round++) {
            assertAllArrivedInOrder(sendThrough(r, 10));
        }
        assertTrue(counters.retried.get() >= 2, "EBUSY answers retried: " + counters.retried.get());
        assertEquals(0, counters.stopped.get() + counters.handedBack.get() + counters.errors.get());
    }

    @Test
    void sendsTheKernelRefusesAreSentAnotherWayAndTheRingStops() throws IOException {
        LoopRing r = faulty(new FaultyKernel().sendsRefused(true));
        assertAllArrivedInOrder(sendThrough(r, 5));
        assertEquals(5, counters.handedBack.get(), "each refused send went out with a system call of its own");
        assertEquals(1, counters.stopped.get());
        assertTrue(r.stopped());
        assertTrue(!r.send(sender.intValue(), packet(9, 172), 0, 172), "a stopped ring leaves the next packet to its socket");
        assertEquals(0, counters.errors.get() + counters.dropped.get());
    }

    @Test
    void aRingThatFailsForGoodHandsBackWhatItHeld() throws IOException {
        FaultyKernel kernel = new FaultyKernel();
        LoopRing r = faulty(kernel.failAfter(kernel.submits() + 1)); // the no-op at set-up passes, then all fail
        assertAllArrivedInOrder(sendThrough(r, 40));
        assertEquals(40, counters.handedBack.get());
        assertEquals(1, counters.stopped.get());
        assertEquals(0, counters.errors.get() + counters.dropped.get());
    }

    @Test
    void readsTheRingCouldNotDoAreLeftToTheSocket() throws IOException {
        FaultyKernel kernel = new FaultyKernel();
        LoopRing r = faulty(kernel.failAfter(1));
        Socket own = Socket.newSocketDgram();
        own.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress caller = (InetSocketAddress) receiver.getLocalSocketAddress();
        PolledSocket leg = new PolledSocket(own, own.localAddress().getPort(), 0, r, counters, () -> { });
        TickIo io = new TickIo(0, new io.netty.channel.EventLoop[0], counters, r);
        java.util.List<byte[]> heard = new java.util.ArrayList<>();
        LegSocket.Receiver take = (buf, off, len, from, at) -> {
            heard.add(Arrays.copyOfRange(buf, off, off + len));
            return SocketReads.Arrival.ON_TIME;
        };
        leg.connect(caller);
        io.startTick(1_000);
        leg.read(take, io);
        byte[] p = packet(3, 172);
        receiver.send(new DatagramPacket(p, p.length, own.localAddress()));
        io.startTick(2_000);
        r.beginWakeUp();
        leg.queueRead(io);
        r.submitReads(); // fails: the read was never done
        leg.read(take, io);
        assertEquals(1, heard.size(), "the socket read its datagram itself");
        assertArrayEquals(p, heard.get(0));
        assertTrue(r.stopped());
        leg.close(io);
        io.release();
    }

    @Test
    void aKernelThatRefusesOrLacksWhatWeUseIsRefusedAtSetUp() {
        counters.stopped.set(0);
        IoUring.Refused setup = assertThrows(IoUring.Refused.class, () -> LoopRing.open(counters, new FaultyKernel().refuseSetup()));
        assertTrue(setup.getMessage().contains("not permitted"), setup.getMessage());
        IoUring.Refused old = assertThrows(IoUring.Refused.class, () -> LoopRing.open(counters, new FaultyKernel().noProbe()));
        assertTrue(old.getMessage().contains("5.6"), old.getMessage());
        IoUring.Refused missing = assertThrows(IoUring.Refused.class,
                () -> LoopRing.open(counters, new FaultyKernel().sendsRefused(false)));
        assertTrue(missing.getMessage().contains("opcode 200 (send)"), missing.getMessage());
    }

    @Test
    void copiesIntoTheRingAreBoundsChecked() {
        byte[] p = packet(0, 172);
        assertThrows(IndexOutOfBoundsException.class, () -> ring.send(sender.intValue(), p, 100, 100));
        assertThrows(IndexOutOfBoundsException.class, () -> ring.send(sender.intValue(), p, -1, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> ring.send(sender.intValue(), new byte[5000], 0, 5000));
        assertThrows(IndexOutOfBoundsException.class, () -> ring.send(sender.intValue(), 0L, TickIo.MAX_PACKET + 1));
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
        final AtomicInteger retried = new AtomicInteger();
        final AtomicInteger handedBack = new AtomicInteger();
        final AtomicInteger stopped = new AtomicInteger();

        @Override
        public void ringRetried(long times) {
            retried.addAndGet((int) times);
        }

        @Override
        public void ringHandedBack() {
            handedBack.incrementAndGet();
        }

        @Override
        public void ringStopped() {
            stopped.incrementAndGet();
        }

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
