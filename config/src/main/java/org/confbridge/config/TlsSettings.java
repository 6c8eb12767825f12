package org.confbridge.config;

import java.util.List;

/**
 * SIP over TLS: the port, and the certificate chain and private key as PEM files, the form admins
 * get from their CA or an ACME client. Whether the files are readable and belong together is
 * checked when the bridge starts (and again whenever they change).
 */
public record TlsSettings(int port, String certificate, String privateKey) {
    public static final SettingKey<Integer> PORT =
            SettingKey.port("sip.tls.port", "5061", "SIP over TLS port (with tls in sip.transports)");
    public static final SettingKey<String> CERTIFICATE =
            SettingKey.text("sip.tls.certificate", "",
                    "PEM file with the bridge's certificate, then its chain (e.g. an ACME client's fullchain.pem)");
    public static final SettingKey<String> PRIVATE_KEY =
            SettingKey.text("sip.tls.privateKey", "",
                    "PEM file with the certificate's private key: PKCS#8, or PKCS#1 (RSA) or SEC1 (EC), unencrypted");

    /** The keys, in README order. */
    public static final List<SettingKey<?>> KEYS = List.of(PORT, CERTIFICATE, PRIVATE_KEY);

    static TlsSettings from(KeyReader r, List<String> transports, int sipPort, String file) throws ConfigException {
        TlsSettings tls = new TlsSettings(r.get(PORT), r.get(CERTIFICATE), r.get(PRIVATE_KEY));
        if (transports.contains("tls")) {
            if (tls.certificate.isEmpty()) {
                throw new ConfigException(file, CERTIFICATE.name(), "is needed for tls in sip.transports");
            }
            if (tls.privateKey.isEmpty()) {
                throw new ConfigException(file, PRIVATE_KEY.name(), "is needed for tls in sip.transports");
            }
            if (tls.port == sipPort && transports.contains("tcp")) {
                throw new ConfigException(file, PORT.name(), "must differ from sip.port: TCP listens there");
            }
        }
        return tls;
    }
}
