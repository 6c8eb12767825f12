package org.confbridge.media.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.confbridge.media.rtp.RtpHeader;
import org.confbridge.media.srtp.SrtpKeying;
import org.confbridge.media.srtp.SrtpProtection;
import org.confbridge.media.srtp.SrtpSuite;
import org.confbridge.media.testing.BrowserPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our DTLS-SRTP server against a BouncyCastle DTLS client playing the browser, in memory: the
 * handshake completes, both sides export the same SRTP keys (what one protects the other
 * unprotects), and a certificate that is not the offer's is refused.
 */
class DtlsSrtpServerTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final DtlsCertificate bridge = DtlsCertificate.generate();
    private final DtlsCertificate browser = DtlsCertificate.generate();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void theHandshakeGivesBothSidesTheSameSrtpKeys() throws Exception {
        Browser client = new Browser(browser, bridge.fingerprint());
        DtlsSrtpServer server = new DtlsSrtpServer(bridge, browser.fingerprint(), client::deliver);
        client.connectTo(server, threads);
        SrtpKeying ours = server.start(threads).get(10, TimeUnit.SECONDS);
        SrtpKeying theirs = client.keys.get(10, TimeUnit.SECONDS);
        assertEquals(SrtpSuite.AES_CM_128_HMAC_SHA1_80, ours.suite());
        assertArrayEquals(theirs.localKeySalt(), ours.remoteKeySalt(), "the browser's sending key is what we check with");
        assertArrayEquals(theirs.remoteKeySalt(), ours.localKeySalt());

        byte[] packet = rtp(160);
        byte[] wire = Arrays.copyOf(packet, packet.length + 16);
        SrtpProtection browserSide = theirs.protection();
        SrtpProtection bridgeSide = ours.protection();
        try {
            int protectedLength = browserSide.protectRtp(wire, 0, packet.length);
            assertTrue(protectedLength > packet.length);
            int plain = bridgeSide.unprotectRtp(wire, 0, protectedLength);
            assertEquals(packet.length, plain);
            assertArrayEquals(packet, Arrays.copyOf(wire, plain));
            // And back.
            byte[] back = Arrays.copyOf(packet, packet.length + 16);
            int n = bridgeSide.protectRtp(back, 0, packet.length);
            assertEquals(packet.length, browserSide.unprotectRtp(back, 0, n));
        } finally {
            browserSide.close();
            bridgeSide.close();
        }
    }

    @Test
    void aCertificateThatIsNotTheOffersIsRefused() {
        DtlsCertificate impostor = DtlsCertificate.generate();
        Browser client = new Browser(impostor, bridge.fingerprint());
        DtlsSrtpServer server = new DtlsSrtpServer(bridge, browser.fingerprint(), client::deliver);
        client.connectTo(server, threads);
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> server.start(threads).get(10, TimeUnit.SECONDS));
        TlsFatalAlert alert = (TlsFatalAlert) refused.getCause();
        assertEquals(AlertDescription.bad_certificate, alert.getAlertDescription());
        assertThrows(ExecutionException.class, () -> client.keys.get(10, TimeUnit.SECONDS));
    }

    @Test
    void fingerprintsAreTheSdpForm() {
        assertTrue(bridge.fingerprint().matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"), bridge.fingerprint());
        assertTrue(DtlsCertificate.sameFingerprint(bridge.fingerprint(), bridge.fingerprint().toLowerCase()));
        assertTrue(!DtlsCertificate.sameFingerprint(bridge.fingerprint(), browser.fingerprint()));
    }

    private static byte[] rtp(int payload) {
        byte[] p = new byte[12 + payload];
        RtpHeader.write(p, 0, false, 111, 7, 960, 0x1234);
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    /** A browser's DTLS client ({@link BrowserPeer.DtlsClient}) on datagrams handed over in memory. */
    private static final class Browser {
        final CompletableFuture<SrtpKeying> keys = new CompletableFuture<>();
        private final BrowserPeer.DtlsClient client;
        private final BlockingQueue<byte[]> in = new ArrayBlockingQueue<>(64);

        Browser(DtlsCertificate own, String expectedServer) {
            this.client = new BrowserPeer.DtlsClient(own, expectedServer);
        }

        void deliver(byte[] datagram) {
            in.offer(datagram);
        }

        void connectTo(DtlsSrtpServer server, ExecutorService threads) {
            DatagramTransport transport = new DatagramTransport() {
                @Override
                public int getReceiveLimit() {
                    return 1200;
                }

                @Override
                public int getSendLimit() {
                    return 1200;
                }

                @Override
                public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
                    try {
                        byte[] d = in.poll(waitMillis, TimeUnit.MILLISECONDS);
                        if (d == null) {
                            return -1;
                        }
                        System.arraycopy(d, 0, buf, off, d.length);
                        return d.length;
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }

                @Override
                public void send(byte[] buf, int off, int len) {
                    server.received(buf, off, len);
                }

                @Override
                public void close() {
                }
            };
            threads.execute(() -> {
                try {
                    new DTLSClientProtocol().connect(client, transport);
                    keys.complete(client.keys());
                } catch (IOException e) {
                    keys.completeExceptionally(e);
                }
            });
        }
    }
}
