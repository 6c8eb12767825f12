package org.confbridge.sip.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import org.confbridge.sip.tls.TestCertificates.KeyForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingKeyManagerTest {
    @TempDir
    Path dir;
    private long now;

    private void write(Path cert, Path key, KeyPair pair, X509Certificate c, int secondsLater) throws Exception {
        TestCertificates.writeCertificate(cert, c);
        TestCertificates.writeKey(key, pair.getPrivate(), KeyForm.PKCS8);
        FileTime t = FileTime.fromMillis(System.currentTimeMillis() + secondsLater * 1000L);
        Files.setLastModifiedTime(cert, t);
        Files.setLastModifiedTime(key, t);
    }

    @Test
    void aRenewedCertificateServesTheNextHandshakeAndABrokenOneIsNotTaken() throws Exception {
        Path cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        KeyPair first = TestCertificates.keyPair("EC");
        X509Certificate firstCert = TestCertificates.selfSigned(first, "first");
        write(cert, key, first, firstCert, 0);
        ReloadingKeyManager km = new ReloadingKeyManager(cert, key, () -> now);
        assertEquals("confbridge", km.chooseEngineServerAlias("EC", null, null));
        assertEquals(firstCert, km.getCertificateChain("confbridge")[0]);

        KeyPair second = TestCertificates.keyPair("EC");
        X509Certificate secondCert = TestCertificates.selfSigned(second, "renewed");
        write(cert, key, second, secondCert, 10);
        km.chooseEngineServerAlias("EC", null, null);
        assertEquals(firstCert, km.certificate(), "the files are looked at at most once a second");
        now += 1_100_000_000L;
        km.chooseEngineServerAlias("EC", null, null);
        assertEquals(secondCert, km.certificate(), "renewed without a restart");
        assertArrayEquals(second.getPrivate().getEncoded(), km.getPrivateKey("confbridge").getEncoded());

        // A renewal half done: the new certificate, the old key. The working pair stays.
        TestCertificates.writeCertificate(cert, TestCertificates.selfSigned(TestCertificates.keyPair("EC"), "third"));
        Files.setLastModifiedTime(cert, FileTime.fromMillis(System.currentTimeMillis() + 20_000));
        now += 1_100_000_000L;
        km.chooseEngineServerAlias("EC", null, null);
        assertEquals(secondCert, km.certificate(), "the working pair stays");
        assertArrayEquals(second.getPrivate().getEncoded(), km.getPrivateKey("confbridge").getEncoded());
    }
}
