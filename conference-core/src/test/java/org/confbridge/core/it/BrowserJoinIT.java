package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The customer's side for real: Chromium (Debian's, headless, a tone file as its microphone) opens a
 * join link minted over the API, served over HTTPS with the admin's certificate, and clicks Join. A
 * baresip phone in the room hears the browser's tone in what it decoded; the browser's own
 * statistics show the phone's audio arriving over DTLS-SRTP; the capture shows DTLS before any
 * media; the API lists the browser as {@code webrtc}; Leave frees its port, and so does a browser
 * that vanishes without a word, once its consent checks stop (30 s, RFC 7675).
 */
class BrowserJoinIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void chromiumJoinsFromALinkAndTalksWithAPhone() throws Exception {
        Path tone = dir.resolve("browser-tone.wav");
        Sox.tone(tone, 440, 60, "signed-integer", 48000, 1);
        int joinPort = FreePorts.udpAndTcp();
        Path[] pair = Openssl.selfSigned(dir, "join", "rsa:2048");
        Path profile = Files.createDirectories(dir.resolve("chrome-profile"));
        Map<Integer, List<byte[]>> wire;
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("2000", "name = Beratung\nlanguage = de\npin = 1234\nrecord = always\nrecordTracks = true\n"),
                // RTP's own timeout later than consent's, so what ends a vanished browser is its consent.
                Map.of("join.port", String.valueOf(joinPort), "admin.token", "s3cret", "rtp.timeoutSeconds", "60",
                        "join.tls.certificate", pair[0].toString(), "join.tls.privateKey", pair[1].toString()));
             LoopbackCapture capture = LoopbackCapture.udpFromPorts(dir, bridge.rtpBase, bridge.rtpBase + 399);
             Baresip phone = Baresip.dial(dir, "berater", 1000, "PCMU", bridge, "2000")) {
            Baresip.joinAndTalk(bridge, "2000", "1234", phone);
            var minted = bridge.post("/api/rooms/2000/links", "s3cret", "{\"displayName\":\"Kundin\"}");
            assertEquals(201, minted.statusCode(), minted.body());
            String url = new ObjectMapper().readTree(minted.body()).get("url").asText();
            assertTrue(url.startsWith("https://127.0.0.1:" + joinPort + "/join/"), "an https link: " + url);
            plainHttpTo(joinPort);
            bridge.awaitLog("TLS handshake from 127.0.0.1 failed: not TLS", Duration.ofSeconds(5));
            double freeBefore = bridge.metric("bridge_rtp_ports_free");

            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                    "--use-file-for-fake-audio-capture=" + tone, "--autoplay-policy=no-user-gesture-required",
                    // Trusts this one self-signed certificate, as a browser trusts the admin's real one.
                    "--ignore-certificate-errors-spki-list=" + spkiHash(pair[0]),
                    "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                browser.get(url + "#raw-audio");
                assertEquals("Beratung", wait.until(d -> d.findElement(By.id("title")).getText()));
                assertTrue(browser.findElement(By.id("join")).getText().equals("Beitreten"), "the room's language");
                browser.findElement(By.id("join")).click();
                wait.until(d -> d.findElement(By.id("status")).getText().startsWith("Verbunden"));
                bridge.awaitLogCount("joined room 2000", 2, Duration.ofSeconds(10));
                JsonNode webrtc = null;
                for (JsonNode p : new ObjectMapper().readTree(bridge.get("/api/rooms/2000").body()).path("participants")) {
                    if (p.path("transport").asText().equals("webrtc")) {
                        webrtc = p;
                    }
                }
                assertTrue(webrtc != null && webrtc.get("displayName").asText().equals("Kundin"), "listed as webrtc");
                assertTrue(webrtc.get("srtp").asBoolean(), "its media is SRTP (DTLS-SRTP)");
                browser.findElement(By.id("line")).sendKeys("Hallo aus dem Browser");
                browser.findElement(By.id("send")).click();
                wait.until(d -> d.findElement(By.id("chatStatus")).getText().equals("Gesendet."));
                assertTrue(bridge.get("/api/rooms/2000/chat").body().contains("Hallo aus dem Browser"),
                        "the page's chat line is in the room's chat");
                Thread.sleep(3000);
                // What Chromium decoded from the bridge: the phone's voice, as its statistics count it.
                Object energy = stats(browser, "s.type === 'inbound-rtp' && s.kind === 'audio'", "s.totalAudioEnergy");
                assertTrue(((Number) energy).doubleValue() > 0.01, "the browser hears the phone: energy " + energy);
                // How Chromium's transport is protected, as Chromium itself reports it.
                Object transport = stats(browser, "s.type === 'transport'",
                        "s.dtlsState + ' ' + s.tlsVersion + ' ' + s.srtpCipher");
                assertEquals("connected FEFD SRTP_AES128_CM_HMAC_SHA1_80", transport, "DTLS 1.2 and the SRTP profile");
                Path shot = Files.createDirectories(Path.of("target", "it-logs")).resolve("join-page.png");
                Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                phone.close(); // while the browser talks: the phone's last seconds hold its tone
                phone.conversation("berater").hears(440, 3000, "the browser");
                browser.findElement(By.id("leave")).click();
                wait.until(d -> d.findElement(By.id("status")).getText().contains("verlassen"));
                bridge.awaitLogCount("left room 2000", 2, Duration.ofSeconds(10)); // the phone, then the browser
                awaitFreePorts(bridge, freeBefore + 1, Duration.ofSeconds(5)); // the phone's and the browser's

                // Again, and then the browser vanishes without a word (killed, as a crash or a lost
                // network would): its consent checks stop, and after 30 s its leg ends.
                browser.findElement(By.id("join")).click();
                wait.until(d -> d.findElement(By.id("status")).getText().startsWith("Verbunden"));
                bridge.awaitLogCount("joined room 2000", 3, Duration.ofSeconds(10));
                long gone = System.nanoTime();
                ProcessHandle.current().descendants()
                        .filter(h -> h.info().commandLine().orElse("").contains(profile.toString()))
                        .forEach(ProcessHandle::destroyForcibly);
                bridge.awaitLogCount("left room 2000", 3, Duration.ofSeconds(45));
                assertTrue(bridge.log().contains("consent lost (no ICE check for 30 s), hanging up"), bridge.log());
                double after = (System.nanoTime() - gone) / 1e9;
                assertTrue(after > 25, "consent lasts 30 s after the last check, not " + after + " s");
                awaitFreePorts(bridge, freeBefore + 1, Duration.ofSeconds(5));
            } finally {
                try {
                    browser.quit();
                } catch (RuntimeException alreadyGone) {
                    // killed above
                }
            }
            bridge.awaitLog("room 2000 closed", Duration.ofSeconds(10));
            wire = capture.datagramsByDestination();
        }
        // On the wire to each browser session: STUN answers and the DTLS handshake (DTLS 1.2 records)
        // before the first media packet.
        int sessions = 0;
        for (Map.Entry<Integer, List<byte[]>> e : wire.entrySet()) {
            List<byte[]> sent = e.getValue();
            int firstDtls = firstIndex(sent, d -> (d[0] & 0xFF) >= 20 && (d[0] & 0xFF) <= 63);
            if (firstDtls < 0) {
                continue; // the phone
            }
            sessions++;
            byte[] hello = sent.get(firstDtls);
            assertTrue(hello[0] == 22 && (hello[1] & 0xFF) == 0xFE && (hello[2] & 0xFF) == 0xFD,
                    "a DTLS 1.2 handshake record to port " + e.getKey());
            int firstMedia = firstIndex(sent, d -> (d[0] & 0xC0) == 0x80);
            assertTrue(firstMedia > firstDtls, "no media before DTLS to port " + e.getKey() + ": " + firstMedia);
        }
        assertEquals(2, sessions, "two browser sessions on the wire: " + wire.keySet());
        // The recording: the browser's voice in the room's mix and in a track of its own.
        Path session;
        try (var dirs = Files.list(dir.resolve("recordings").resolve("2000"))) {
            session = dirs.findFirst().orElseThrow();
        }
        JsonNode record = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && (record == null || record.get("end").isNull())) {
            record = new ObjectMapper().readTree(session.resolve("session.json").toFile());
            Thread.sleep(100);
        }
        String browserLeg = null;
        for (JsonNode p : record.get("participants")) {
            if (browserLeg == null && p.path("transport").asText().equals("webrtc")) {
                browserLeg = p.get("leg").asText(); // the first session, which talked with the phone
            }
        }
        assertTrue(browserLeg != null, "session.json lists the browser as webrtc: " + record);
        ToneMeter.Wav mix = ToneMeter.readWav(session.resolve("mix.wav"));
        ToneMeter.Wav track = ToneMeter.readWav(session.resolve("legs/" + browserLeg + ".wav"));
        assertTrue(loudest(mix, 440) > 3000, "mix.wav holds the browser's 440 Hz");
        assertTrue(loudest(track, 440) > 3000, "the browser's own track holds its 440 Hz");
        assertTrue(loudest(track, 1000) < 300, "and not the phone's 1000 Hz");
    }

    /** Plain HTTP to the HTTPS port: the bridge closes the connection without an answer. */
    private static void plainHttpTo(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /join/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = s.getInputStream().readAllBytes();
            assertTrue(answer.length == 0 || answer[0] == 21, "no HTTP answer over plain HTTP: " + answer.length + " bytes");
        }
    }

    /** The base64 SHA-256 of the certificate's public key, as Chromium's SPKI list takes it. */
    private static String spkiHash(Path certificate) throws Exception {
        try (var in = Files.newInputStream(certificate)) {
            var cert = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
        }
    }

    /** One value from the page's peer connection statistics: {@code value} of the report matching {@code which}. */
    private static Object stats(ChromeDriver browser, String which, String value) {
        return browser.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "var pc = window.__pc; if (!pc) { done(-1); return; }"
                + "pc.getStats().then(function (r) { var v = -1;"
                + " r.forEach(function (s) { if (" + which + ") { v = " + value + "; } });"
                + " done(v); });");
    }

    private static void awaitFreePorts(BridgeProcess bridge, double free, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (bridge.metric("bridge_rtp_ports_free") < free && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(free, bridge.metric("bridge_rtp_ports_free"), "the ports are back in the pool");
    }

    private static int firstIndex(List<byte[]> datagrams, java.util.function.Predicate<byte[]> test) {
        for (int i = 0; i < datagrams.size(); i++) {
            if (datagrams.get(i).length > 2 && test.test(datagrams.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The 440 Hz (or {@code hz}) level of the loudest second of {@code wav}. */
    private static double loudest(ToneMeter.Wav wav, double hz) {
        short[] s = wav.samples();
        double best = 0;
        for (int from = 0; from + wav.rate() <= s.length; from += wav.rate() / 2) {
            best = Math.max(best, ToneMeter.level(s, from, from + wav.rate(), hz, wav.rate()));
        }
        return best;
    }
}
