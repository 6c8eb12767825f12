package org.confbridge.core.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.confbridge.media.codec.G711;
import org.confbridge.media.rtp.RtpHeader;

/**
 * An attacker of the "RTP bleed" kind: from an address of its own it sends a PCMU tone to every
 * even port of a range, over and over, each port its own in-sequence stream, and counts whatever
 * comes back to it.
 */
final class RtpSprayer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread sender;
    private final Thread receiver;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile boolean running = true;

    RtpSprayer(String fromIp, int firstPort, int lastPort, double freq) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(fromIp), 0));
        socket.setSoTimeout(100);
        InetAddress target = InetAddress.getLoopbackAddress();
        sender = new Thread(() -> spray(target, firstPort, lastPort, freq), "rtp-sprayer");
        receiver = new Thread(this::receive, "rtp-sprayer-rx");
        sender.setDaemon(true);
        receiver.setDaemon(true);
        sender.start();
        receiver.start();
    }

    private void spray(InetAddress target, int firstPort, int lastPort, double freq) {
        byte[] pkt = new byte[RtpHeader.FIXED_SIZE + 160];
        int seq = 0;
        long ts = 0;
        while (running) {
            for (int i = 0; i < 160; i++) {
                short s = (short) (8000 * Math.sin(2 * Math.PI * freq * (ts + i) / 8000));
                pkt[RtpHeader.FIXED_SIZE + i] = G711.encodeUlaw(s);
            }
            for (int port = firstPort & ~1; port <= lastPort && running; port += 2) {
                RtpHeader.write(pkt, 0, false, 0, seq, ts, 0x5ca77e2L + port);
                try {
                    socket.send(new DatagramPacket(pkt, pkt.length, target, port));
                    sent.incrementAndGet();
                } catch (IOException e) {
                    // ICMP from a closed port: spray on
                }
            }
            seq = (seq + 1) & 0xFFFF;
            ts += 160;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void receive() {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (running) {
            try {
                socket.receive(p);
                received.incrementAndGet();
            } catch (SocketTimeoutException e) {
                // poll running
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    long sent() {
        return sent.get();
    }

    /** Packets anyone sent back to the sprayer's address and port. */
    long received() {
        return received.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sender.join(2000);
        receiver.join(2000);
        socket.close();
    }
}
