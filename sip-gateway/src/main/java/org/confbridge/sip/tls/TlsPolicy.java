package org.confbridge.sip.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * What the bridge's TLS accepts, for SIP and for the join page: TLS 1.3 and 1.2 only, and of 1.2
 * only forward-secret AEAD suites. Jain-SIP 1.3.0-91's own defaults enable TLS 1.0 and 1.1 and CBC
 * suites, so both lists are always set. Clients are not asked for certificates.
 */
public final class TlsPolicy {
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsPolicy() {
    }

    /** Sets the stack properties for TLS with the identity in the two PEM files. */
    public static void configure(Properties p, String certificateFile, String privateKeyFile) {
        p.setProperty("gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER", PemSecurityManagerProvider.class.getName());
        p.setProperty(PemSecurityManagerProvider.CERTIFICATE, certificateFile);
        p.setProperty(PemSecurityManagerProvider.PRIVATE_KEY, privateKeyFile);
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", String.join(",", PROTOCOLS));
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",", CIPHER_SUITES));
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", "5000");
    }

    /**
     * A server-side TLS engine factory for the identity in the two PEM files, taken afresh when they
     * change (a renewal needs no restart).
     */
    public static Server server(Path certificateFile, Path privateKeyFile) throws TlsKeyMaterial.TlsConfigException {
        ReloadingKeyManager keys = new ReloadingKeyManager(certificateFile, privateKeyFile);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, null, null);
            return new Server(context);
        } catch (GeneralSecurityException e) {
            throw new TlsKeyMaterial.TlsConfigException("TLS is not available in this Java: " + e.getMessage());
        }
    }

    /** Makes the server side of one connection under this policy. */
    public static final class Server {
        private final SSLContext context;

        private Server(SSLContext context) {
            this.context = context;
        }

        public SSLEngine newEngine() {
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            engine.setNeedClientAuth(false);
            engine.setEnabledProtocols(PROTOCOLS.toArray(new String[0]));
            List<String> supported = List.of(engine.getSupportedCipherSuites());
            engine.setEnabledCipherSuites(CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new));
            return engine;
        }
    }
}
