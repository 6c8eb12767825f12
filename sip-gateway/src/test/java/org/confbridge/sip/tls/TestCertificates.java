package org.confbridge.sip.tls;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Self-signed certificates for 127.0.0.1 and their keys as PEM files, in the forms admins meet. */
final class TestCertificates {
    enum KeyForm { PKCS8, TRADITIONAL }

    private TestCertificates() {
    }

    static KeyPair keyPair(String algorithm) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    static X509Certificate selfSigned(KeyPair pair, String cn) throws Exception {
        X500Name name = new X500Name("CN=" + cn);
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now), new Date(now - 60_000),
                new Date(now + 86_400_000L), name, pair.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        String sig = pair.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(sig).build(pair.getPrivate())));
    }

    static Path writeCertificate(Path file, X509Certificate... chain) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (X509Certificate c : chain) {
                pem.writeObject(c);
            }
        }
        return Files.writeString(file, w.toString());
    }

    /** PKCS#8 ("PRIVATE KEY"), or the traditional form: PKCS#1 for RSA, SEC1 for EC. */
    static Path writeKey(Path file, PrivateKey key, KeyForm form) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            if (form == KeyForm.PKCS8) {
                pem.writeObject(new JcaPKCS8Generator(key, null).generate());
            } else if (key.getAlgorithm().equals("EC")) {
                // SEC1 as openssl writes it: with the named curve inside ("EC PRIVATE KEY").
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
                ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
                pem.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            } else {
                pem.writeObject(key);
            }
        }
        return Files.writeString(file, w.toString());
    }
}
