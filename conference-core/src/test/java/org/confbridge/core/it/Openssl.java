package org.confbridge.core.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code openssl} command, as an admin uses it: certificates for the bridge, handshakes against it. */
final class Openssl {
    private Openssl() {
    }

    /**
     * A self-signed certificate for 127.0.0.1 and its key (PKCS#8), as {@code [cert, key]}, written
     * to {@code dir} as {@code <cn>-cert.pem} and {@code <cn>-key.pem}.
     */
    static Path[] selfSigned(Path dir, String cn, String keyType) throws IOException, InterruptedException {
        Path cert = dir.resolve(cn + "-cert.pem");
        Path key = dir.resolve(cn + "-key.pem");
        run(List.of("openssl", "req", "-x509", "-newkey", keyType, "-nodes", "-keyout", key.toString(), "-out",
                cert.toString(), "-days", "2", "-subj", "/CN=" + cn, "-addext", "subjectAltName=IP:127.0.0.1"));
        return new Path[] {cert, key};
    }

    /** Runs a command (stdin empty); returns its output and exit code. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8) + "\nexit " + p.exitValue();
    }
}
