package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * join link minted over the API and clicks Join. A baresip phone in the room hears the browser's
 * tone in what it decoded; the browser's own statistics show the phone's audio arriving; the API
 * lists the browser as {@code webrtc}; Leave ends its participation.
 */
class BrowserJoinIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void chromiumJoinsFromALinkAndTalksWithAPhone() throws Exception {
        Path tone = dir.resolve("browser-tone.wav");
        Sox.tone(tone, 440, 60, "signed-integer", 48000, 1);
        int joinPort = FreePorts.udpAndTcp();
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("2000", "name = Beratung\nlanguage = de\npin = 1234\nrecord = always\nrecordTracks = true\n"),
                Map.of("join.port", String.valueOf(joinPort), "admin.token", "s3cret"));
             Baresip phone = Baresip.dial(dir, "berater", 1000, "PCMU", bridge, "2000")) {
            Baresip.joinAndTalk(bridge, "2000", "1234", phone);
            var minted = bridge.post("/api/rooms/2000/links", "s3cret", "{\"displayName\":\"Kundin\"}");
            assertEquals(201, minted.statusCode(), minted.body());
            String url = new ObjectMapper().readTree(minted.body()).get("url").asText();

            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                    "--use-file-for-fake-audio-capture=" + tone, "--autoplay-policy=no-user-gesture-required",
                    "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome-profile")));
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
                Object energy = browser.executeAsyncScript("var done = arguments[arguments.length - 1];"
                        + "var pc = window.__pc; if (!pc) { done(-1); return; }"
                        + "pc.getStats().then(function (r) { var e = -1;"
                        + " r.forEach(function (s) { if (s.type === 'inbound-rtp' && s.kind === 'audio') { e = s.totalAudioEnergy; } });"
                        + " done(e); });");
                assertTrue(((Number) energy).doubleValue() > 0.01, "the browser hears the phone: energy " + energy);
                Path shot = Files.createDirectories(Path.of("target", "it-logs")).resolve("join-page.png");
                Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                phone.close(); // while the browser talks: the phone's last seconds hold its tone
                phone.conversation("berater").hears(440, 3000, "the browser");
                browser.findElement(By.id("leave")).click();
                wait.until(d -> d.findElement(By.id("status")).getText().contains("verlassen"));
                bridge.awaitLog("left room 2000", Duration.ofSeconds(10));
            } finally {
                browser.quit();
            }
            bridge.awaitLog("room 2000 closed", Duration.ofSeconds(10));
        }
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
            if (p.path("transport").asText().equals("webrtc")) {
                browserLeg = p.get("leg").asText();
            }
        }
        assertTrue(browserLeg != null, "session.json lists the browser as webrtc: " + record);
        ToneMeter.Wav mix = ToneMeter.readWav(session.resolve("mix.wav"));
        ToneMeter.Wav track = ToneMeter.readWav(session.resolve("legs/" + browserLeg + ".wav"));
        assertTrue(loudest(mix, 440) > 3000, "mix.wav holds the browser's 440 Hz");
        assertTrue(loudest(track, 440) > 3000, "the browser's own track holds its 440 Hz");
        assertTrue(loudest(track, 1000) < 300, "and not the phone's 1000 Hz");
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
