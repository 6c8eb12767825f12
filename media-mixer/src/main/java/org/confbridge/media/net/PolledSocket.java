package org.confbridge.media.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.Socket;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A leg's own UDP socket outside Netty (epoll hosts): the room's tick reads it itself, with no
 * readiness event, Netty read or hand-over between a packet and the tick, and sends on it with one
 * system call per packet, or with the rest of its loop's packets in one when the loop has a
 * {@link LoopRing}. In a large room another loop sends on it: the tick's packets for it go there
 * in a {@link SendBatch}.
 */
public final class PolledSocket implements LegSocket {
    /** At most this many datagrams are read per tick (a burst after a stall). */
    private static final int MAX_READS_PER_TICK = 16;

    private final Socket socket;
    private final int localPort;
    /** The loop that sends on this socket, by its index among the engine's loops. */
    private final int sendLoop;
    private final SocketCounters counters;
    /** The sending loop's ring, or null: that loop sends each packet with its own system call. */
    private final LoopRing ring;
    /** Returns the port and the loop's socket count once the socket is closed. */
    private final Runnable released;
    private final SocketReads reads = new SocketReads();
    /**
     * Set once connected to the latched source: the kernel then filters other senders, and packets
     * go out by {@code send} without an address (no route lookup, no arrays).
     */
    private volatile boolean connected;
    /** The address given to {@link #connect}: reads of a clean connected socket are reported from it. */
    private InetSocketAddress connectedTo;
    /**
     * The socket was found empty once since it was connected: datagrams a stranger sent before the
     * connect, still queued, have been read with their source and judged. From then on a connected
     * read needs no source address.
     */
    private boolean connectedClean;
    private volatile boolean closed;
    /** The ring that has read this socket (the room's loop's), which must let it go before it closes. */
    private LoopRing readRing;
    /** This tick's first read, done by the loop's ring: for which tick, its result and where its datagram is. */
    private long queuedTick = Long.MIN_VALUE;
    private boolean queuedDone;
    private int queuedResult;
    private long queuedSlot;

    /** Opens an unbound UDP socket: IPv4 when {@code ipv4} (cheaper sends to IPv4 callers), else dual-stack. */
    public static Socket open(boolean ipv4) {
        return RtpSocket.open(ipv4);
    }

    public PolledSocket(Socket bound, int localPort, int sendLoop, LoopRing ring, SocketCounters counters,
                        Runnable released) {
        this.socket = bound;
        this.localPort = localPort;
        this.sendLoop = sendLoop;
        this.ring = ring;
        this.counters = counters;
        this.released = released;
    }

    /** The index of the loop that sends on this socket. */
    public int sendLoop() {
        return sendLoop;
    }

    @Override
    public int localPort() {
        return localPort;
    }

    /**
     * Queues the tick's first read of a connected socket in the loop's ring (see {@link LoopRing}),
     * where there is one. A socket not yet connected reads for itself: it needs each sender's address.
     */
    @Override
    public void queueRead(TickIo io) {
        LoopRing r = io.ring();
        if (r != null && !closed && connectedClean && r.read(this, socket.intValue())) {
            readRing = r;
            queuedTick = io.tickNanos();
            queuedDone = false;
        }
    }

    /** The ring has done the read queued by {@link #queueRead}: {@code result} bytes, or a negative errno. */
    void readDone(LoopRing r, int index, int result) {
        queuedResult = result;
        queuedSlot = r.readSlot(index);
        queuedDone = true;
    }

    /**
     * Reads what the socket holds: one system call per datagram (the first done by the ring, where queued). The arrival time is the tick's,
     * which is when the packet became usable. Reading stops where {@link SocketReads} expects the
     * next read to find the socket empty, so that call is mostly left out.
     */
    @Override
    public void read(Receiver receiver, TickIo io) {
        ByteBuf in = io.receiveBuffer;
        long address = in.memoryAddress();
        byte[] bytes = io.receiveBytes;
        long now = io.tickNanos();
        reads.startTick();
        int first = 0;
        if (queuedDone && queuedTick == now) {
            queuedDone = false;
            first = 1;
            int n = queuedResult;
            if (n == LoopRing.EAGAIN) {
                reads.foundEmpty();
                return;
            }
            if (n < 0) {
                counters.socketError(); // as below: the read consumed the error; read on
            } else if (n > 0) {
                PlatformDependent.copyMemory(queuedSlot, bytes, 0, n);
                if (!reads.readAgainAfterPacket(receiver.receive(bytes, 0, n, connectedTo, now))) {
                    return;
                }
            }
        }
        for (int i = first; i < MAX_READS_PER_TICK && !closed; i++) {
            int n;
            InetSocketAddress from;
            try {
                if (connectedClean) {
                    n = socket.recvAddress(address, 0, bytes.length);
                    if (n == 0) {
                        reads.foundEmpty();
                        return;
                    }
                    from = connectedTo;
                } else {
                    DatagramSocketAddress d = socket.recvFromAddress(address, 0, bytes.length);
                    if (d == null) {
                        connectedClean = connected;
                        reads.foundEmpty();
                        return;
                    }
                    n = d.receivedAmount();
                    from = d;
                }
            } catch (IOException e) {
                // ICMP port unreachable on a connected socket and the like: reading consumed the error.
                counters.socketError();
                continue;
            } catch (RuntimeException e) {
                // Anything else the native layer throws is this socket's problem, never the room's tick.
                counters.socketError();
                return;
            }
            if (n > 0) {
                in.getBytes(0, bytes, 0, n);
                if (!reads.readAgainAfterPacket(receiver.receive(bytes, 0, n, from, now))) {
                    return;
                }
            }
        }
    }

    @Override
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to, TickIo io) {
        if (closed) {
            return false;
        }
        if (sendLoop == io.loopIndex()) {
            if (ring != null && connected && ring.send(socket.intValue(), buf, off, len)) {
                return true; // refusals are counted at the flush
            }
            ByteBuf out = io.sendBuffer;
            out.setBytes(0, buf, off, len);
            return sendPrepared(out.memoryAddress(), len, to);
        }
        // Another loop's socket: that loop sends it, with the rest of this tick's packets for it.
        SendBatch batch = io.batchFor(sendLoop);
        if (batch == null) {
            counters.sendDropped(); // that loop has not sent the last two ticks yet
            return false;
        }
        int at = batch.reserve(this, to, len); // first: it may move the batch to a larger buffer
        batch.buffer().setBytes(at, buf, off, len);
        return false;
    }

    /**
     * Sends one assembled packet with one system call: no buffer, promise or queue entry per
     * packet. {@code send}, not {@code write}: a socket call skips the file layer (position lock,
     * VFS). A packet the socket cannot take now is dropped (and counted), never queued behind
     * newer audio. Runs on the socket's sending loop.
     */
    boolean sendPrepared(long address, int size, InetSocketAddress to) {
        if (closed) {
            return false; // closed after the packet was made
        }
        if (ring != null && connected && ring.owned() && ring.send(socket.intValue(), address, size)) {
            return true; // out with the batch's flush (SendBatch)
        }
        try {
            int sent = connected ? socket.sendAddress(address, 0, size)
                    : socket.sendToAddress(address, 0, size, to.getAddress(), to.getPort());
            if (sent > 0) {
                return true;
            }
            counters.sendDropped();
        } catch (IOException | RuntimeException e) {
            // One socket's failure (ICMP unreachable, or anything the native layer throws) costs
            // that packet only, never the rest of the tick or the batch.
            counters.socketError();
        }
        return false;
    }

    /** Packets queued for this socket go out before it changes its destination or closes, or as a batch ends. */
    void sendQueued() {
        if (ring != null && ring.owned()) {
            ring.flush();
        }
    }

    @Override
    public void connect(InetSocketAddress source) {
        sendQueued();
        connectedClean = false;
        connectedTo = source;
        try {
            connected = socket.connect(source);
        } catch (IOException e) {
            counters.socketError(); // stays unconnected: sends carry the address
        }
    }

    @Override
    public void disconnect() {
        sendQueued();
        connectedClean = false;
        if (connected) {
            connected = false; // sends carry the address again until the new source has latched
            try {
                socket.disconnect();
            } catch (IOException e) {
                counters.socketError();
            }
        }
    }

    @Override
    public void leaveLoop(TickIo io) {
        if (readRing != null && readRing == io.ring()) {
            readRing.forget(socket.intValue()); // a ring that held it and no longer reads it would keep it open
            readRing = null;
        }
    }

    @Override
    public void close(TickIo io) {
        if (closed) {
            return;
        }
        closed = true;
        if (readRing != null) {
            readRing.forget(socket.intValue()); // on the room's loop, which owns that ring
        }
        if (sendLoop != io.loopIndex()) {
            // Another loop sends on this socket: close it there, after any batch already posted
            // with a packet for it (tasks run in order), so no send can reach a closed descriptor
            // or one the kernel has given to a new socket since.
            LoopTasks.runOn(io.loop(sendLoop), this::closeNow);
        } else {
            closeNow();
        }
    }

    private void closeNow() {
        sendQueued();
        if (ring != null) {
            ring.forget(socket.intValue()); // the sending loop's ring, on its loop
        }
        try {
            socket.close();
        } catch (IOException e) {
            counters.socketError();
        }
        released.run();
    }
}
