package org.confbridge.sip.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The bridge's TLS identity, read from the PEM files admins get from their CA or ACME client: the
 * certificate followed by its chain, and the unencrypted private key in PKCS#8, PKCS#1 (RSA) or
 * SEC1 (EC) form. Refuses, naming the file and the problem, what would fail the first handshake:
 * a missing or unreadable file, no certificate, no key, an encrypted key, a key that does not
 * belong to the certificate.
 */
public record TlsKeyMaterial(X509Certificate[] chain, PrivateKey key) {
    /** Reads and checks a certificate chain and its private key. */
    public static TlsKeyMaterial load(Path certificateFile, Path keyFile) throws TlsConfigException {
        X509Certificate[] chain = readChain(certificateFile);
        PrivateKey key = readKey(keyFile);
        if (!belongTogether(chain[0], key)) {
            throw new TlsConfigException(keyFile + ": the private key does not belong to the certificate in "
                    + certificateFile + " (" + chain[0].getSubjectX500Principal().getName() + ")");
        }
        return new TlsKeyMaterial(chain, key);
    }

    private static X509Certificate[] readChain(Path file) throws TlsConfigException {
        List<X509Certificate> certs = new ArrayList<>();
        try (var in = Files.newInputStream(file)) {
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
        } catch (NoSuchFileException e) {
            throw new TlsConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new TlsConfigException(file + ": cannot be read (" + e.getMessage() + ")");
        } catch (CertificateException e) {
            throw new TlsConfigException(file + ": not a PEM certificate (" + e.getMessage() + ")");
        }
        if (certs.isEmpty()) {
            throw new TlsConfigException(file + ": holds no certificate");
        }
        return certs.toArray(new X509Certificate[0]);
    }

    private static PrivateKey readKey(Path file) throws TlsConfigException {
        Object pem;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            pem = parser.readObject();
            while (pem != null && !(pem instanceof PEMKeyPair) && !(pem instanceof PrivateKeyInfo)) {
                if (pem.getClass().getSimpleName().contains("Encrypted")) {
                    throw new TlsConfigException(file + ": the private key is encrypted; give the bridge an "
                            + "unencrypted key file readable only by its user");
                }
                pem = parser.readObject(); // EC parameters before the key, and the like
            }
        } catch (NoSuchFileException e) {
            throw new TlsConfigException(file + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw new TlsConfigException(file + ": cannot be read as a PEM private key (" + e.getMessage() + ")");
        }
        if (pem == null) {
            throw new TlsConfigException(file + ": holds no private key");
        }
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            // A traditional key (PKCS#1, SEC1) comes as a pair, whose public half SEC1 may leave out.
            return converter.getPrivateKey(pem instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo() : (PrivateKeyInfo) pem);
        } catch (IOException e) {
            throw new TlsConfigException(file + ": unsupported private key (" + e.getMessage() + ")");
        }
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean belongTogether(X509Certificate cert, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null || !cert.getPublicKey().getAlgorithm().equals(key.getAlgorithm())
                && !(cert.getPublicKey().getAlgorithm().equals("EC") && key.getAlgorithm().equals("ECDSA"))) {
            return false;
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(cert.getPublicKey());
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** What is wrong with the TLS files, in words for the admin. */
    public static final class TlsConfigException extends Exception {
        public TlsConfigException(String message) {
            super(message);
        }
    }
}
