package org.confbridge.media.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.confbridge.media.srtp.SrtpKeying;
import org.confbridge.media.srtp.SrtpSuite;

/**
 * The DTLS 1.2 server of one browser leg (RFC 5764, DTLS-SRTP; {@code a=setup:passive} in our
 * answer): it asks for the browser's certificate and takes it only if it matches the fingerprint
 * of the browser's offer, agrees on {@code SRTP_AES128_CM_HMAC_SHA1_80}, and derives the leg's SRTP
 * keys from the DTLS exporter. The handshake runs on a thread of its own (BouncyCastle's is a
 * blocking one), fed the leg's DTLS datagrams by {@link #received}; its flights go out through the
 * given {@link DatagramOut}. Its result: the keys, or why the browser was refused.
 */
public final class DtlsSrtpServer {
    /** Where the handshake's datagrams go: the leg's socket, to the browser's chosen address. */
    @FunctionalInterface
    public interface DatagramOut {
        void send(byte[] datagram);
    }

    /** A handshake that does not finish within this long has failed (a browser's takes well under a second). */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    private static final SrtpSuite SUITE = SrtpSuite.AES_CM_128_HMAC_SHA1_80;

    private final DtlsCertificate certificate;
    private final String remoteFingerprint;
    private final QueuedDatagrams transport;
    private final CompletableFuture<SrtpKeying> keys = new CompletableFuture<>();
    private volatile DTLSTransport established;

    /** A server for the browser whose offer carried {@code remoteFingerprint} ({@code sha-256 AB:…}). */
    public DtlsSrtpServer(DtlsCertificate certificate, String remoteFingerprint, DatagramOut out) {
        this.certificate = certificate;
        this.remoteFingerprint = remoteFingerprint;
        this.transport = new QueuedDatagrams(out);
    }

    /** Starts the handshake on {@code handshakes}; {@link #keys} completes when it ends. */
    public CompletableFuture<SrtpKeying> start(Executor handshakes) {
        try {
            handshakes.execute(this::handshake);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            keys.completeExceptionally(new IOException("too many DTLS handshakes at once"));
        }
        return keys;
    }

    /** The leg's SRTP keys once the handshake is done; failed with the reason when the browser was refused. */
    public CompletableFuture<SrtpKeying> keys() {
        return keys;
    }

    /** A DTLS datagram from the browser (RFC 7983: first byte 20-63); queued for the handshake, dropped when the queue is full. */
    public boolean received(byte[] buf, int off, int len) {
        return transport.offer(Arrays.copyOfRange(buf, off, off + len));
    }

    /** Ends the handshake if it still runs, and the DTLS session if it ran. */
    public void close() {
        transport.shutDown();
        DTLSTransport t = established;
        if (t != null) {
            try {
                t.close();
            } catch (IOException ignored) {
                // the browser is gone or going: nothing to tell it
            }
        }
        keys.completeExceptionally(new IOException("closed"));
    }

    private void handshake() {
        try {
            Server server = new Server(new BcTlsCrypto(new SecureRandom()));
            established = new DTLSServerProtocol().accept(server, transport);
            keys.complete(server.exported);
        } catch (IOException | RuntimeException e) {
            keys.completeExceptionally(e);
        }
    }

    /**
     * The SRTP keys a finished DTLS handshake exports (RFC 5764 section 4.2: client key, server
     * key, client salt, server salt), as the client or the server ({@code asClient}) uses them:
     * its own half protects what it sends, the other's checks what it receives.
     */
    public static SrtpKeying keying(org.bouncycastle.tls.TlsContext context, boolean asClient) {
        int k = SUITE.keyLength();
        int s = SUITE.saltLength();
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 2 * (k + s));
        byte[] client = new byte[k + s];
        byte[] server = new byte[k + s];
        System.arraycopy(material, 0, client, 0, k);
        System.arraycopy(material, k, server, 0, k);
        System.arraycopy(material, 2 * k, client, k, s);
        System.arraycopy(material, 2 * k + s, server, k, s);
        Arrays.fill(material, (byte) 0);
        return asClient ? new SrtpKeying(SUITE, server, client) : new SrtpKeying(SUITE, client, server);
    }

    private final class Server extends DefaultTlsServer {
        private SrtpKeying exported;

        Server(BcTlsCrypto crypto) {
            super(crypto);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256};
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return HANDSHAKE_TIMEOUT_MILLIS;
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
            Certificate chain = new Certificate(new org.bouncycastle.tls.crypto.TlsCertificate[] {
                getCrypto().createCertificate(certificate.der())});
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(),
                    certificate.privateKey(), chain, new SignatureAndHashAlgorithm(HashAlgorithm.sha256,
                    SignatureAlgorithm.ecdsa));
        }

        @Override
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
            if (offered == null || Arrays.stream(offered.getProtectionProfiles())
                    .noneMatch(p -> p == SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80)) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "no SRTP_AES128_CM_HMAC_SHA1_80 offered");
            }
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getServerExtensions() throws IOException {
            Hashtable extensions = super.getServerExtensions();
            if (extensions == null) {
                extensions = new Hashtable();
            }
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(
                    new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                    TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
        }

        @Override
        public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
            if (clientCertificate == null || clientCertificate.isEmpty()) {
                throw new TlsFatalAlert(AlertDescription.certificate_required, "the browser sent no certificate");
            }
            String presented = DtlsCertificate.fingerprintOf(clientCertificate.getCertificateAt(0).getEncoded());
            if (!DtlsCertificate.sameFingerprint(presented, remoteFingerprint)) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate, "not the certificate of the offer's fingerprint");
            }
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            exported = keying(context, false);
        }
    }
}
