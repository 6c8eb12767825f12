package org.confbridge.sip.tls;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's one TLS identity, taken afresh from its PEM files when they change: a renewed
 * certificate (an ACME client replaces the files) serves the next handshake, with no restart.
 * The files are looked at, at most once a second, when a handshake asks for the identity; a
 * broken renewal keeps the last good identity and says why once.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final Logger log = LoggerFactory.getLogger(ReloadingKeyManager.class);
    private static final String ALIAS = "confbridge";
    private static final long LOOK_EVERY_NANOS = 1_000_000_000L;

    private final Path certificateFile;
    private final Path keyFile;
    private volatile TlsKeyMaterial current;
    private FileTime certificateSeen;
    private FileTime keySeen;
    private long lastLook;
    private String lastProblem;
    private final java.util.function.LongSupplier nanos;

    ReloadingKeyManager(Path certificateFile, Path keyFile) throws TlsKeyMaterial.TlsConfigException {
        this(certificateFile, keyFile, System::nanoTime);
    }

    ReloadingKeyManager(Path certificateFile, Path keyFile, java.util.function.LongSupplier nanos)
            throws TlsKeyMaterial.TlsConfigException {
        this.nanos = nanos;
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.certificateSeen = modified(certificateFile);
        this.keySeen = modified(keyFile);
        this.current = TlsKeyMaterial.load(certificateFile, keyFile);
        this.lastLook = nanos.getAsLong();
    }

    /** Reloads the files when they have changed since they were read. */
    synchronized void refresh() {
        long now = nanos.getAsLong();
        if (now - lastLook < LOOK_EVERY_NANOS) {
            return;
        }
        lastLook = now;
        FileTime cert = modified(certificateFile);
        FileTime key = modified(keyFile);
        if (java.util.Objects.equals(cert, certificateSeen) && java.util.Objects.equals(key, keySeen)) {
            return;
        }
        try {
            TlsKeyMaterial renewed = TlsKeyMaterial.load(certificateFile, keyFile);
            current = renewed;
            certificateSeen = cert;
            keySeen = key;
            lastProblem = null;
            log.info("TLS: certificate {} loaded ({}, valid until {})", certificateFile,
                    renewed.chain()[0].getSubjectX500Principal().getName(), renewed.chain()[0].getNotAfter().toInstant());
        } catch (TlsKeyMaterial.TlsConfigException e) {
            // Half-written by a renewal in progress, or broken: keep serving the last good one.
            if (!e.getMessage().equals(lastProblem)) {
                lastProblem = e.getMessage();
                log.warn("TLS: keeping the current certificate: {}", e.getMessage());
            }
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    X509Certificate certificate() {
        return current.chain()[0];
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        refresh();
        return matches(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        refresh();
        return matches(keyType) ? ALIAS : null;
    }

    private boolean matches(String keyType) {
        String alg = current.key().getAlgorithm();
        return keyType == null || keyType.equalsIgnoreCase(alg) || keyType.equals("EC") && alg.equals("ECDSA")
                || keyType.startsWith("RSA") && alg.equals("RSA");
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? current.chain().clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? current.key() : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return matches(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null; // the bridge does not authenticate itself as a TLS client
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
