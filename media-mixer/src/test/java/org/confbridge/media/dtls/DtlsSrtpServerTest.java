package org.confbridge.media.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.confbridge.media.rtp.RtpHeader;
import org.confbridge.media.srtp.SrtpKeying;
import org.confbridge.media.srtp.SrtpProtection;
import org.confbridge.media.srtp.SrtpSuite;
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

    /** A BouncyCastle DTLS client as a browser is one: use_srtp offered, its own certificate, ours checked by fingerprint. */
    private static final class Browser extends DefaultTlsClient {
        final CompletableFuture<SrtpKeying> keys = new CompletableFuture<>();
        private final DtlsCertificate own;
        private final String expectedServer;
        private final BlockingQueue<byte[]> in = new ArrayBlockingQueue<>(64);

        Browser(DtlsCertificate own, String expectedServer) {
            super(new BcTlsCrypto(new SecureRandom()));
            this.own = own;
            this.expectedServer = expectedServer;
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
                    new DTLSClientProtocol().connect(this, transport);
                } catch (IOException e) {
                    keys.completeExceptionally(e);
                }
            });
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return 10_000;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = super.getClientExtensions();
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(
                    new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    String presented = DtlsCertificate.fingerprintOf(serverCertificate.getCertificate().getCertificateAt(0).getEncoded());
                    if (!DtlsCertificate.sameFingerprint(presented, expectedServer)) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate);
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    Certificate chain = new Certificate(new TlsCertificate[] {getCrypto().createCertificate(own.der())});
                    return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(),
                            own.privateKey(), chain, new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            byte[] m = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 60);
            byte[] client = new byte[30];
            byte[] server = new byte[30];
            System.arraycopy(m, 0, client, 0, 16);
            System.arraycopy(m, 16, server, 0, 16);
            System.arraycopy(m, 32, client, 16, 14);
            System.arraycopy(m, 46, server, 16, 14);
            keys.complete(new SrtpKeying(SrtpSuite.AES_CM_128_HMAC_SHA1_80, server, client));
        }
    }
}
