package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real softphones in one room, each with a different tone as its microphone: each must hear
 * the other's tone and not its own, measured in what the phone decoded.
 */
class BaresipConferenceIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void twoSoftphonesHearEachOtherButNotThemselves() throws Exception {
        Path low = dir.resolve("tone440.wav");
        Path high = dir.resolve("tone1000.wav");
        Sox.tone(low, 440, 30, "signed-integer");
        Sox.tone(high, 1000, 30, "signed-integer");
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("1000", "name = Softphones\n"), Map.of())) {
            ToneMeter.Wav aliceHeard;
            ToneMeter.Wav bobHeard;
            try (Baresip alice = Baresip.dial(dir, "alice", low, "PCMU", bridge, "1000");
                 Baresip bob = Baresip.dial(dir, "bob", high, "PCMA", bridge, "1000")) {
                bridge.awaitLog("2 in room", Duration.ofSeconds(15));
                Thread.sleep(5000);
                alice.close();
                bob.close();
                aliceHeard = alice.heard();
                bobHeard = bob.heard();
            }
            assertHears(aliceHeard, 1000, 440, "alice");
            assertHears(bobHeard, 440, 1000, "bob");
            bridge.awaitLog("room 1000 closed", Duration.ofSeconds(10));
        }
    }

    private static void assertHears(ToneMeter.Wav wav, double other, double own, String who) {
        short[] s = wav.samples();
        assertTrue(s.length > wav.rate() * 3, who + " recorded " + s.length + " samples");
        // Skip the first second (call setup, jitter buffer fill), measure two seconds.
        int from = wav.rate();
        int to = Math.min(s.length, from + 2 * wav.rate());
        double heardOther = ToneMeter.level(s, from, to, other, wav.rate());
        double heardOwn = ToneMeter.level(s, from, to, own, wav.rate());
        assertTrue(heardOther > 8000, who + " hears the other phone's " + other + " Hz: level " + heardOther);
        assertTrue(heardOwn < heardOther / 100, who + " does not hear its own " + own + " Hz: " + heardOwn
                + " vs " + heardOther);
    }
}
