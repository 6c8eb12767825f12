package org.confbridge.media.net;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * A leg socket in memory, for tests and benchmarks: datagrams {@link #deliver delivered} to it are
 * read by the next tick, and what the leg sends is counted and its last packet kept. Used on one
 * thread at a time; nothing is allocated per packet once the queue has grown. Buffers are sized
 * to the packets seen, so a thousand legs stay within the caches as real sockets' do.
 */
public final class MemorySocket implements LegSocket {
    private final int port;
    private byte[][] queued = new byte[4][];
    private int[] lengths = new int[4];
    private InetSocketAddress[] senders = new InetSocketAddress[4];
    private int count;
    private byte[] lastSent = new byte[0];
    private int lastSentLength;
    private long sent;
    private InetSocketAddress lastDestination;
    private InetSocketAddress connectedTo;
    private boolean closed;

    public MemorySocket(int port) {
        this.port = port;
    }

    /** A datagram arrives from {@code from}; the next tick reads it. */
    public void deliver(byte[] buf, int off, int len, InetSocketAddress from) {
        if (count == queued.length) {
            queued = Arrays.copyOf(queued, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
            senders = Arrays.copyOf(senders, count * 2);
        }
        if (queued[count] == null || queued[count].length < len) {
            queued[count] = new byte[len];
        }
        System.arraycopy(buf, off, queued[count], 0, len);
        lengths[count] = len;
        senders[count] = from;
        count++;
    }

    @Override
    public int localPort() {
        return port;
    }

    @Override
    public void read(Receiver receiver, TickIo io) {
        for (int i = 0; i < count; i++) {
            // A connected socket reports its source as the very address it was connected to.
            InetSocketAddress from = senders[i].equals(connectedTo) ? connectedTo : senders[i];
            receiver.receive(queued[i], 0, lengths[i], from, io.tickNanos());
            senders[i] = null;
        }
        count = 0;
    }

    @Override
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to, TickIo io) {
        if (closed) {
            return false;
        }
        if (lastSent.length < len) {
            lastSent = new byte[len];
        }
        System.arraycopy(buf, off, lastSent, 0, len);
        lastSentLength = len;
        lastDestination = connectedTo != null ? connectedTo : to;
        sent++;
        return true;
    }

    @Override
    public void connect(InetSocketAddress source) {
        connectedTo = source;
    }

    @Override
    public void disconnect() {
        connectedTo = null;
    }

    @Override
    public void close(TickIo io) {
        closed = true;
    }

    /** Packets sent so far. */
    public long sent() {
        return sent;
    }

    /** A copy of the last packet sent. */
    public byte[] lastSent() {
        return Arrays.copyOf(lastSent, lastSentLength);
    }

    /** Where the last packet went. */
    public InetSocketAddress lastDestination() {
        return lastDestination;
    }

    /** The source the leg connected to (strict RTP latched it), or null. */
    public InetSocketAddress connectedTo() {
        return connectedTo;
    }

    public boolean closed() {
        return closed;
    }
}
