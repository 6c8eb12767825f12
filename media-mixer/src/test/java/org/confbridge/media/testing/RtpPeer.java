package org.confbridge.media.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.confbridge.media.codec.G711;
import org.confbridge.media.rtp.RtpHeader;
import org.confbridge.media.rtp.TelephoneEvent;

/**
 * The tests' RTP endpoint on loopback, as a phone: records the PCMU audio it receives (decoded, in arrival
 * order) and can send a PCMU tone and RFC 4733 key presses, like a phone would.
 */
public final class RtpPeer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread receiver;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    private short[] received = new short[8000 * 60];
    private int receivedCount;
    private int packets;
    private volatile boolean running = true;
    private int seq;
    private long timestamp;
    private long samplesSent;
    private int digitSeq = 1000;
    private long digitTimestamp = 5000;

    public RtpPeer() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    /** On {@code address} (e.g. the IPv6 loopback). */
    public RtpPeer(InetAddress address) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(address, 0));
        socket.setSoTimeout(200);
        receiver = new Thread(this::receiveLoop, "rtp-peer");
        receiver.setDaemon(true);
        receiver.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void receiveLoop() {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (running) {
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            int off = RtpHeader.payloadOffset(buf, 0, p.getLength());
            if (off < 0 || RtpHeader.payloadType(buf, 0) != 0) {
                continue;
            }
            int len = RtpHeader.payloadLength(buf, 0, p.getLength());
            synchronized (this) {
                if (receivedCount + len > received.length) {
                    received = Arrays.copyOf(received, received.length * 2);
                }
                for (int i = 0; i < len; i++) {
                    received[receivedCount++] = G711.decodeUlaw(buf[off + i]);
                }
                packets++;
            }
        }
    }

    public synchronized short[] received() {
        return Arrays.copyOf(received, receivedCount);
    }

    public synchronized int packetsReceived() {
        return packets;
    }

    /** Streams a PCMU sine to {@code target} every 20 ms until closed. */
    public void sendTone(InetSocketAddress target, double freq, int amplitude) {
        long ssrc = 0x1234_5678L;
        sender.scheduleAtFixedRate(() -> {
            byte[] pkt = new byte[12 + 160];
            RtpHeader.write(pkt, 0, false, 0, seq++ & 0xFFFF, timestamp & 0xFFFFFFFFL, ssrc);
            for (int i = 0; i < 160; i++) {
                double t = (samplesSent + i) / 8000.0;
                pkt[12 + i] = G711.encodeUlaw((short) (amplitude * Math.sin(2 * Math.PI * freq * t)));
            }
            samplesSent += 160;
            timestamp += 160;
            send(pkt, target);
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends key presses as RFC 4733 events on a second SSRC (as SIPp does): for each key, updates
     * every 20 ms for 100 ms, then three end packets.
     */
    public void sendDigits(InetSocketAddress target, String keys, int payloadType) throws InterruptedException {
        long ssrc = 0x0DDF00DL;
        for (char key : keys.toCharArray()) {
            int event = TelephoneEvent.eventOf(key);
            for (int d = 160; d <= 800; d += 160) {
                boolean end = d == 800;
                for (int r = 0; r < (end ? 3 : 1); r++) {
                    byte[] pkt = new byte[16];
                    RtpHeader.write(pkt, 0, d == 160, payloadType, digitSeq++ & 0xFFFF, digitTimestamp, ssrc);
                    TelephoneEvent.write(pkt, 12, event, end, 10, d);
                    send(pkt, target);
                }
                Thread.sleep(20);
            }
            digitTimestamp += 2000;
            Thread.sleep(100);
        }
    }

    private void send(byte[] pkt, InetSocketAddress target) {
        try {
            socket.send(new DatagramPacket(pkt, pkt.length, target));
        } catch (IOException e) {
            // the bridge may already be gone at the end of a test
        }
    }

    @Override
    public void close() {
        running = false;
        sender.shutdownNow();
        socket.close();
    }
}
