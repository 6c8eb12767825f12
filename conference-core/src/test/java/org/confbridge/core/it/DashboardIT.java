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
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless browser (Debian chromium + chromedriver): it lists the live
 * room with its participant, and a click on "Mute" with the admin token mutes that participant.
 */
class DashboardIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void clickOnMuteMutesTheParticipant() throws Exception {
        Path tone = dir.resolve("tone440.wav");
        Sox.tone(tone, 440, 30, "u-law");
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("1000", "name = Kundenberatung Nord\n"),
                Map.of("admin.token", "dash-token"))) {
            Sipp caller = Sipp.start(dir, "caller", "uac_stream.xml", Map.of("FILE", tone.toString(), "HOLD_MS", "20000"),
                    bridge, "1000");
            bridge.awaitLog("joined room 1000 as participant", Duration.ofSeconds(15));

            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            // No network but loopback here: keep Chromium from calling home.
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome-profile")));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                // The page redraws the rooms every second, so any element found may be replaced before it is
                // used: each step finds its element afresh and is retried if it went stale in between.
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get("http://127.0.0.1:" + bridge.httpPort + "/");
                // Without the token the page shows nobody: reads need it too.
                wait.until(d -> d.findElement(By.id("rooms")).getText().contains("Enter the admin token"));
                WebElement token = browser.findElement(By.id("token"));
                token.sendKeys("dash-token");
                browser.executeScript("arguments[0].dispatchEvent(new Event('change'))", token);
                String row = wait.until(d -> d.findElements(By.cssSelector("tr[data-leg]")).stream().findFirst()
                        .map(WebElement::getText).orElse(null));
                assertTrue(row.contains("sip:streamer@"), row);
                assertTrue(wait.until(d -> d.findElement(By.cssSelector("section.room h2")).getText())
                        .contains("Kundenberatung Nord"));
                wait.until(d -> {
                    d.findElement(By.cssSelector("button.mute")).click();
                    return true;
                });
                wait.until(d -> !d.findElements(By.cssSelector("button.unmute")).isEmpty());
                Path shot = Files.createDirectories(Path.of("target", "it-logs")).resolve("dashboard.png");
                Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            } finally {
                browser.quit();
            }
            JsonNode room = new ObjectMapper().readTree(bridge.get("/api/rooms/1000").body());
            assertTrue(room.get("participants").get(0).get("muted").asBoolean(), room.toPrettyString());
            assertTrue(bridge.log().contains("muted by admin-api"), bridge.log());
            assertEquals(0, caller.await(Duration.ofSeconds(40)), caller.report());
        }
    }
}
