package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over TLS with the PEM files an admin gets (made here with the {@code openssl} command):
 * softphones over TLS with SRTP hear each other; old protocols and suites are refused (checked
 * with {@code openssl s_client}); a renewed certificate is served without a restart; a broken pair
 * stops the start naming the file.
 */
class TlsIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private Path[] certificate(String cn, String keyType) throws Exception {
        return Openssl.selfSigned(dir, cn, keyType);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        return Openssl.run(command);
    }

    /** What {@code openssl s_client} negotiates with the bridge's TLS port under the given options. */
    private static String handshake(int port, String... options) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-brief"));
        cmd.addAll(List.of(options));
        return run(cmd);
    }

    private Map<String, String> tlsSettings(Path[] pair, int tlsPort) {
        return Map.of("sip.transports", "udp,tcp,tls", "sip.tls.port", String.valueOf(tlsPort),
                "sip.tls.certificate", pair[0].toString(), "sip.tls.privateKey", pair[1].toString());
    }

    @Test
    void softphonesOverTlsWithSrtpHearEachOther() throws Exception {
        Path[] pair = certificate("bridge", "rsa:2048");
        // The RSA key as many CAs hand it out: PKCS#1 ("BEGIN RSA PRIVATE KEY").
        Path pkcs1 = dir.resolve("bridge-key-pkcs1.pem");
        run(List.of("openssl", "rsa", "-in", pair[1].toString(), "-traditional", "-out", pkcs1.toString()));
        assertTrue(Files.readString(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        int tlsPort = FreePorts.udpAndTcp();
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("2000", "pin = 1234\nsrtp = required\n"),
                tlsSettings(new Path[] {pair[0], pkcs1}, tlsPort))) {
            try (Baresip alice = Baresip.dialTls(dir, "alice", 440, "PCMU", tlsPort, "2000", pair[0], ";mediaenc=srtp-mand");
                 Baresip bob = Baresip.dialTls(dir, "bob", 1000, "PCMU", tlsPort, "2000", pair[0], ";mediaenc=srtp-mand")) {
                Baresip.joinAndTalk(bridge, "2000", "1234", alice, bob);
                JsonNode room = new ObjectMapper().readTree(bridge.get("/api/rooms/2000").body());
                for (JsonNode p : room.get("participants")) {
                    assertEquals("tls", p.get("transport").asText(), p.toString());
                    assertTrue(p.get("srtp").asBoolean(), p.toString());
                }
                Baresip.hangUpAndHearEachOther(alice, "alice", 440, bob, "bob", 1000);
            }
            assertFalse(bridge.log().contains("travelled over unencrypted SIP"), "keys came over TLS: no warning");
        }
    }

    @Test
    void oldProtocolsAndSuitesAreRefusedAndARenewedCertificateIsServed() throws Exception {
        Path[] first = certificate("first", "ec:" + ecParams());
        Path cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        Files.copy(first[0], cert);
        Files.copy(first[1], key);
        int tlsPort = FreePorts.udpAndTcp();
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("1000", "pin = 1234\n"),
                tlsSettings(new Path[] {cert, key}, tlsPort))) {
            String modern = handshake(tlsPort, "-tls1_3");
            assertTrue(modern.contains("Protocol version: TLSv1.3") && modern.contains("CN = first"), modern);
            String tls12 = handshake(tlsPort, "-tls1_2");
            assertTrue(tls12.contains("Protocol version: TLSv1.2") && tls12.contains("GCM"), tls12);
            // The client offers what it is told to (SECLEVEL=0 lets it); the bridge hangs up on it.
            String old = handshake(tlsPort, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
            assertTrue(!old.contains("CONNECTION ESTABLISHED") && refusedByServer(old), "TLS 1.1 refused: " + old);
            String cbc = handshake(tlsPort, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:AES128-SHA");
            assertTrue(!cbc.contains("CONNECTION ESTABLISHED") && refusedByServer(cbc), "CBC suites refused: " + cbc);

            // A flood of connections from one address: beyond 20, each is closed before any TLS work.
            List<java.net.Socket> flood = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 25; i++) {
                    java.net.Socket t = new java.net.Socket();
                    t.bind(new java.net.InetSocketAddress("127.0.0.5", 0));
                    t.connect(new java.net.InetSocketAddress("127.0.0.1", tlsPort), 2000);
                    flood.add(t);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (bridge.metric("bridge_sip_requests_rejected_total{reason=\"tls-connections\"}") < 5
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(5.0, bridge.metric("bridge_sip_requests_rejected_total{reason=\"tls-connections\"}"));
                String stillServed = handshake(tlsPort, "-tls1_3");
                assertTrue(stillServed.contains("CONNECTION ESTABLISHED"), "others still get in: " + stillServed);
            } finally {
                for (java.net.Socket t : flood) {
                    t.close();
                }
            }

            // The ACME client renews: new files in place; the next connection gets the new certificate.
            Path[] renewed = certificate("renewed", "ec:" + ecParams());
            Files.copy(renewed[0], cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed[1], key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            FileTime later = FileTime.fromMillis(System.currentTimeMillis() + 5000);
            Files.setLastModifiedTime(cert, later);
            Files.setLastModifiedTime(key, later);
            Thread.sleep(1100); // the files are looked at at most once a second
            handshake(tlsPort, "-tls1_3"); // the handshake that notices
            String after = handshake(tlsPort, "-tls1_3");
            assertTrue(after.contains("CN = renewed"), after);
            assertTrue(bridge.log().contains("TLS: certificate " + cert + " loaded"), "the renewal is logged");
        }
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateStopsTheStartNamingTheFile() throws Exception {
        Path[] a = certificate("a", "rsa:2048");
        Path[] b = certificate("b", "rsa:2048");
        Path config = dir.resolve("conf");
        Files.createDirectories(config.resolve("rooms"));
        Files.writeString(config.resolve("bridge.properties"), "sip.port = " + FreePorts.udpAndTcp()
                + "\nsip.transports = udp,tls\nsip.tls.port = " + FreePorts.udpAndTcp() + "\nsip.tls.certificate = "
                + a[0] + "\nsip.tls.privateKey = " + b[1] + "\nhttp.port = 0\n");
        String check = run(List.of("java", "-jar", BridgeProcess.JAR.toAbsolutePath().toString(), "--check-config",
                config.toString()));
        assertTrue(check.contains(b[1] + ": the private key does not belong to the certificate in " + a[0]), check);
        assertTrue(check.endsWith("exit 1"), check);
        String start = run(List.of("java", "-jar", BridgeProcess.JAR.toAbsolutePath().toString(), "--config",
                config.toString()));
        assertTrue(start.contains("cannot start") && start.contains(b[1] + ": the private key does not belong"), start);
        assertFalse(start.endsWith("exit 0"), start);
    }

    /** The server ended the handshake (closed it, or an alert); not a refusal by the client itself. */
    private static boolean refusedByServer(String out) {
        return (out.contains("unexpected eof") || out.contains("alert"))
                && !out.contains("no protocols available") && !out.contains("no cipher");
    }

    private Path ecParams() throws Exception {
        Path p = dir.resolve("prime256v1.pem");
        if (!Files.exists(p)) {
            run(List.of("openssl", "ecparam", "-name", "prime256v1", "-out", p.toString()));
        }
        return p;
    }
}
