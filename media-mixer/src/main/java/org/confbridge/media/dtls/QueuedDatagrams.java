package org.confbridge.media.dtls;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The handshake's side of a leg's socket: datagrams the room loop received wait in a short queue
 * (a flood of DTLS garbage fills it and is dropped, never held), and what the handshake sends goes
 * out through the leg.
 */
final class QueuedDatagrams implements DatagramTransport {
    /** A browser's flight is a few datagrams; more waiting than this is not a browser. */
    private static final int QUEUED = 16;
    /** Under any path MTU a browser uses; BouncyCastle fragments its flights to this. */
    private static final int MTU = 1200;
    private static final byte[] CLOSED = new byte[0];

    private final BlockingQueue<byte[]> in = new ArrayBlockingQueue<>(QUEUED);
    private final DtlsSrtpServer.DatagramOut out;
    private volatile boolean closed;

    QueuedDatagrams(DtlsSrtpServer.DatagramOut out) {
        this.out = out;
    }

    boolean offer(byte[] datagram) {
        return !closed && in.offer(datagram);
    }

    void shutDown() {
        closed = true;
        in.clear();
        in.offer(CLOSED); // wakes a waiting handshake
    }

    @Override
    public int getReceiveLimit() {
        return MTU;
    }

    @Override
    public int getSendLimit() {
        return MTU;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        byte[] datagram;
        try {
            datagram = in.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (datagram == null) {
            return -1;
        }
        if (datagram == CLOSED) {
            throw new IOException("closed");
        }
        int n = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (!closed) {
            out.send(java.util.Arrays.copyOfRange(buf, off, off + len));
        }
    }

    /** BouncyCastle closing its transport: the same as the leg's ending. */
    @Override
    public void close() {
        shutDown();
    }
}
