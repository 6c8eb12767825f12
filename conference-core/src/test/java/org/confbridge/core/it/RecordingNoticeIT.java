package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The recording notice, measured in what callers hear: joining a room that records, a caller
 * hears more speech than joining one that does not (the notice before the welcome); and when a
 * recording starts over the API, everyone in the room hears the notice.
 */
class RecordingNoticeIT {
    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of(
            "1000", "name = Recorded\nrecord = always\nannounceJoinLeave = false\n",
            "2000", "name = Later\nrecord = on-demand\nannounceJoinLeave = false\n"), Map.of("admin.token", "s3cret"));

    /** Seconds of {@code s[from..to)} (8 kHz) whose 20 ms frames carry speech. */
    private static double speechSeconds(short[] s, int from, int to) {
        int frames = 0;
        for (int i = from; i + 160 <= to; i += 160) {
            if (ToneMeter.rms(s, i, i + 160) > 500) {
                frames++;
            }
        }
        return frames * 0.02;
    }

    @Test
    void joiningARecordedRoomAndARecordingThatStartsAreAnnounced() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        try (RtpPeer recorded = new RtpPeer(); RtpPeer plain = new RtpPeer()) {
            Sipp a = Sipp.start(BRIDGE.dir(), "recorded", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(recorded.port()), "DTMF_PT", "101", "HOLD_MS", "16000"),
                    bridge, "1000");
            Sipp b = Sipp.start(BRIDGE.dir(), "plain", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(plain.port()), "DTMF_PT", "101", "HOLD_MS", "16000"),
                    bridge, "2000");
            // Silence from both: what they hear is the bridge's voice alone.
            recorded.sendTone(new InetSocketAddress("127.0.0.1", a.answeredMediaPort(Duration.ofSeconds(10))), 0, 0);
            plain.sendTone(new InetSocketAddress("127.0.0.1", b.answeredMediaPort(Duration.ofSeconds(10))), 0, 0);
            Thread.sleep(7000);
            double withNotice = speechSeconds(recorded.received(), 0, recorded.received().length);
            double without = speechSeconds(plain.received(), 0, plain.received().length);
            System.out.printf("recording notice: %.1f s of speech joining a recorded room, %.1f s otherwise%n",
                    withNotice, without);
            assertTrue(withNotice >= without + 1.0, "the notice is heard on joining: " + withNotice + " vs " + without);

            int before = plain.received().length;
            assertTrue(speechSeconds(plain.received(), before - 8000, before) < 0.1, "quiet before the recording");
            assertEquals(200, bridge.post("/api/rooms/2000/record/start", "s3cret", null).statusCode());
            Thread.sleep(3000);
            double notice = speechSeconds(plain.received(), before, plain.received().length);
            assertTrue(notice >= 1.0, "the recording notice reaches the room when recording starts: " + notice + " s");
            assertEquals(0, a.await(Duration.ofSeconds(20)), a.report());
            assertEquals(0, b.await(Duration.ofSeconds(20)), b.report());
        }
    }
}
