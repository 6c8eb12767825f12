package org.confbridge.sip.tls;

import java.util.List;
import java.util.Properties;

/**
 * What SIP over TLS accepts: TLS 1.3 and 1.2 only, and of 1.2 only forward-secret AEAD suites.
 * Jain-SIP 1.3.0-91's own defaults enable TLS 1.0 and 1.1 and CBC suites, so both lists are
 * always set. Callers are not asked for certificates.
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
}
