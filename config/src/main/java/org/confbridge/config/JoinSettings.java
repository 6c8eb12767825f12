package org.confbridge.config;

import java.net.InetAddress;
import java.util.List;

/**
 * The join listener: where browsers open a join link and send their offer (DESIGN section 13).
 * Separate from the admin API; off unless {@code join.port} is set. HTTPS with the PEM pair in
 * {@code join.tls.*} (reloaded when the files change, like {@code sip.tls.*}); plain HTTP only on a
 * loopback address, as browsers let a page use the microphone only on HTTPS or localhost.
 *
 * @param bind           address the join listener binds to
 * @param port           its port (0: any free one), or -1 when browsers cannot join
 * @param publicUrl      what join links begin with (empty: {@code http(s)://<bind>:<port>})
 * @param tlsCertificate PEM certificate chain for HTTPS, or empty for plain HTTP
 * @param tlsPrivateKey  its PEM private key, or empty
 */
public record JoinSettings(String bind, int port, String publicUrl, String tlsCertificate, String tlsPrivateKey) {
    public static final SettingKey<String> BIND = SettingKey.nonEmptyText("join.bind", "127.0.0.1",
            "address the join listener (browsers joining from a link) binds to; plain HTTP only on a loopback address");
    public static final SettingKey<String> PORT = SettingKey.text("join.port", "",
            "port of the join listener (0 = any free port); empty: browsers cannot join");
    public static final SettingKey<String> PUBLIC_URL = SettingKey.text("join.publicUrl", "",
            "what join links begin with, as browsers reach the join listener (empty: http://<join.bind>:<join.port>)");

    public static final SettingKey<String> TLS_CERTIFICATE = SettingKey.text("join.tls.certificate", "",
            "PEM certificate chain the join listener serves HTTPS with (empty: plain HTTP, loopback only)");
    public static final SettingKey<String> TLS_PRIVATE_KEY = SettingKey.text("join.tls.privateKey", "",
            "PEM private key of join.tls.certificate");

    public static final List<SettingKey<?>> KEYS = List.of(BIND, PORT, PUBLIC_URL, TLS_CERTIFICATE, TLS_PRIVATE_KEY);

    /** Whether browsers can join. */
    public boolean enabled() {
        return port >= 0;
    }

    /** Whether the join listener speaks HTTPS. */
    public boolean tls() {
        return !tlsCertificate.isEmpty();
    }

    static JoinSettings from(KeyReader r, String file) throws ConfigException {
        String bind = r.get(BIND);
        String portText = r.get(PORT).trim();
        int port = -1;
        if (!portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -2;
            }
            if (port < 0 || port > 65535) {
                throw new ConfigException(file, PORT.name(), "must be a port number (0-65535) or empty");
            }
        }
        String certificate = r.get(TLS_CERTIFICATE).trim();
        String key = r.get(TLS_PRIVATE_KEY).trim();
        if (certificate.isEmpty() != key.isEmpty()) {
            throw new ConfigException(file, certificate.isEmpty() ? TLS_CERTIFICATE.name() : TLS_PRIVATE_KEY.name(),
                    "must be set together with " + (certificate.isEmpty() ? TLS_PRIVATE_KEY : TLS_CERTIFICATE).name());
        }
        if (port >= 0 && certificate.isEmpty()) {
            InetAddress address = IpLiteral.orNull(bind);
            if (address == null || !address.isLoopbackAddress()) {
                throw new ConfigException(file, BIND.name(), "must be a loopback address without join.tls.certificate: "
                        + "browsers allow the microphone only on HTTPS or localhost");
            }
        }
        String url = r.get(PUBLIC_URL).trim();
        if (!url.isEmpty() && !url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ConfigException(file, PUBLIC_URL.name(), "must be an http:// or https:// URL");
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return new JoinSettings(bind, port, url, certificate, key);
    }
}
