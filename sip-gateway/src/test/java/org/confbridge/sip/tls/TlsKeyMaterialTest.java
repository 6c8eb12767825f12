package org.confbridge.sip.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import org.confbridge.sip.tls.TestCertificates.KeyForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsKeyMaterialTest {
    @TempDir
    Path dir;

    @Test
    void readsRsaAndEcKeysInEveryFormAdminsGet() throws Exception {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            KeyPair pair = TestCertificates.keyPair(algorithm);
            X509Certificate cert = TestCertificates.selfSigned(pair, "bridge.example");
            Path certFile = TestCertificates.writeCertificate(dir.resolve(algorithm + "-cert.pem"), cert);
            for (KeyForm form : KeyForm.values()) {
                Path keyFile = TestCertificates.writeKey(dir.resolve(algorithm + "-" + form + ".pem"), pair.getPrivate(), form);
                String header = Files.readString(keyFile).lines().findFirst().orElse("");
                TlsKeyMaterial m = TlsKeyMaterial.load(certFile, keyFile);
                assertEquals(cert, m.chain()[0], algorithm + " " + form + " (" + header + ")");
                assertEquals(pair.getPrivate().getAlgorithm().replace("ECDSA", "EC"),
                        m.key().getAlgorithm().replace("ECDSA", "EC"));
            }
        }
    }

    @Test
    void keepsTheWholeChainInOrder() throws Exception {
        KeyPair leaf = TestCertificates.keyPair("EC");
        KeyPair other = TestCertificates.keyPair("EC");
        X509Certificate a = TestCertificates.selfSigned(leaf, "leaf");
        X509Certificate b = TestCertificates.selfSigned(other, "intermediate");
        Path certFile = TestCertificates.writeCertificate(dir.resolve("chain.pem"), a, b);
        Path keyFile = TestCertificates.writeKey(dir.resolve("key.pem"), leaf.getPrivate(), KeyForm.PKCS8);
        X509Certificate[] chain = TlsKeyMaterial.load(certFile, keyFile).chain();
        assertEquals(2, chain.length);
        assertEquals(a, chain[0]);
        assertEquals(b, chain[1]);
    }

    @Test
    void refusesWhatWouldFailTheFirstHandshakeNamingTheFile() throws Exception {
        KeyPair pair = TestCertificates.keyPair("RSA");
        Path certFile = TestCertificates.writeCertificate(dir.resolve("cert.pem"), TestCertificates.selfSigned(pair, "x"));
        Path keyFile = TestCertificates.writeKey(dir.resolve("key.pem"), pair.getPrivate(), KeyForm.PKCS8);
        Path strangerKey = TestCertificates.writeKey(dir.resolve("stranger.pem"),
                TestCertificates.keyPair("RSA").getPrivate(), KeyForm.TRADITIONAL);
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path missing = dir.resolve("missing.pem");
        assertProblem(() -> TlsKeyMaterial.load(missing, keyFile), missing + ": no such file");
        assertProblem(() -> TlsKeyMaterial.load(certFile, missing), missing + ": no such file");
        assertProblem(() -> TlsKeyMaterial.load(empty, keyFile), empty + ": holds no certificate");
        assertProblem(() -> TlsKeyMaterial.load(certFile, empty), empty + ": holds no private key");
        assertProblem(() -> TlsKeyMaterial.load(certFile, certFile), certFile + ": holds no private key");
        assertProblem(() -> TlsKeyMaterial.load(certFile, strangerKey), strangerKey + ": the private key does not belong");
        Path ecKey = TestCertificates.writeKey(dir.resolve("ec.pem"), TestCertificates.keyPair("EC").getPrivate(),
                KeyForm.PKCS8);
        assertProblem(() -> TlsKeyMaterial.load(certFile, ecKey), ecKey + ": the private key does not belong");
    }

    private interface Load {
        void run() throws Exception;
    }

    private static void assertProblem(Load load, String expected) {
        TlsKeyMaterial.TlsConfigException e = assertThrows(TlsKeyMaterial.TlsConfigException.class, load::run);
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
