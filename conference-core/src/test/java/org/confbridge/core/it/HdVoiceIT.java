package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One PIN room, three kinds of caller: a softphone on G.722, a softphone on Opus, and a PSTN-like
 * SIPp caller on PCMU without telephone-event that types its PIN as in-band tones. Each softphone
 * must hear both others, measured in what it decoded. Once with each library behind Opus.
 */
class HdVoiceIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @ParameterizedTest(name = "codecs.opusLibrary = {0}")
    @ValueSource(strings = {"concentus", "libopus"})
    void g722OpusAndInbandPstnCallerShareARoom(String opusLibrary) throws Exception {
        Path pstn = dir.resolve("pstn.wav");
        Sox.keysThenTone(pstn, "1234#", 300, 40);
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("1000", "pin = 1234\nlanguage = en\n"),
                Map.of("codecs.opusLibrary", opusLibrary))) {
            assertTrue(bridge.log().contains("media: Opus through " + (opusLibrary.equals("libopus") ? "libopus 1." : "Concentus")),
                    "the configured library runs Opus:\n" + bridge.log());
            ToneMeter.Wav aliceHeard;
            ToneMeter.Wav bobHeard;
            try (Baresip alice = Baresip.dial(dir, "alice", 440, "G722/16000/1", bridge, "1000");
                 Baresip bob = Baresip.dial(dir, "bob", 1000, "opus/48000/2", bridge, "1000")) {
                Sipp phone = Sipp.start(dir, "pstn", "uac_stream_inband.xml",
                        Map.of("FILE", pstn.toString(), "HOLD_MS", "14000"), bridge, "1000");
                bridge.awaitLogCount("in the lobby of room 1000", 3, Duration.ofSeconds(20));
                assertTrue(bridge.log().contains("(G722 pt"), "alice negotiated G.722:\n" + bridge.log());
                assertTrue(bridge.log().contains("(OPUS pt"), "bob negotiated Opus:\n" + bridge.log());
                Thread.sleep(1000);
                alice.type("1234#");
                bob.type("1234#");
                bridge.awaitLogCount("joined room 1000 as participant", 3, Duration.ofSeconds(20));
                Thread.sleep(6000);
                alice.close();
                bob.close();
                aliceHeard = alice.heard();
                bobHeard = bob.heard();
                assertEquals(0, phone.await(Duration.ofSeconds(30)), phone.report());
            }
            assertEquals(1.0, bridge.metric("bridge_dtmf_digits_total{method=\"inband\"}") >= 5 ? 1.0 : 0.0,
                    "the PSTN caller's five keys were heard in-band");
            assertHearsBoth(aliceHeard, 1000, 300, 440, "alice (G.722)");
            assertHearsBoth(bobHeard, 440, 300, 1000, "bob (Opus)");
        }
    }

    private static void assertHearsBoth(ToneMeter.Wav wav, double a, double b, double own, String who) {
        short[] s = wav.samples();
        int to = s.length - wav.rate() / 2;
        int from = to - 2 * wav.rate();
        assertTrue(from > 0, who + " recorded too little: " + s.length);
        double la = ToneMeter.level(s, from, to, a, wav.rate());
        double lb = ToneMeter.level(s, from, to, b, wav.rate());
        double lo = ToneMeter.level(s, from, to, own, wav.rate());
        System.out.printf("%s hears %.0f Hz at %.0f, %.0f Hz at %.0f, own %.0f Hz at %.0f%n", who, a, la, b, lb, own, lo);
        assertTrue(la > 3000, who + " hears " + a + " Hz: " + la);
        assertTrue(lb > 3000, who + " hears " + b + " Hz: " + lb);
        assertTrue(lo < Math.min(la, lb) / 30, who + " does not hear itself: " + lo);
    }

}
