package org.confbridge.sip.tls;

import gov.nist.core.net.SecurityManagerProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Properties;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Gives Jain-SIP's TLS the bridge's identity from PEM files ({@link ReloadingKeyManager}) instead
 * of a Java keystore named in system properties. Installed by class name through
 * {@code gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER}; the files come in the stack's properties.
 * Peers are checked against the system's CAs when the bridge connects out; callers are not asked
 * for certificates.
 */
public final class PemSecurityManagerProvider implements SecurityManagerProvider {
    /** Stack property: the PEM certificate chain. */
    public static final String CERTIFICATE = "org.confbridge.sip.tls.certificate";
    /** Stack property: the PEM private key. */
    public static final String PRIVATE_KEY = "org.confbridge.sip.tls.privateKey";

    private KeyManager[] keyManagers;
    private TrustManager[] trustManagers;

    @Override
    public void init(Properties properties) throws GeneralSecurityException, IOException {
        String cert = properties.getProperty(CERTIFICATE);
        String key = properties.getProperty(PRIVATE_KEY);
        if (cert == null || key == null) {
            return; // no TLS configured
        }
        try {
            keyManagers = new KeyManager[] {new ReloadingKeyManager(Path.of(cert), Path.of(key))};
        } catch (TlsKeyMaterial.TlsConfigException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        trustManagers = tmf.getTrustManagers();
    }

    @Override
    public KeyManager[] getKeyManagers(boolean client) {
        return client ? new KeyManager[0] : keyManagers;
    }

    @Override
    public TrustManager[] getTrustManagers(boolean client) {
        return trustManagers;
    }
}
