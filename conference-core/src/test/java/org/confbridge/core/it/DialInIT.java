package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dial-in number: the caller is asked for the room number, a wrong number is told and may be
 * typed again, and the room number and PIN typed ahead in one go ({@code 1000#1234#}) bring the
 * caller into the room, where it hears the others. Its media moves to the room's event loop.
 */
class DialInIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void callerReachesARoomThroughTheDialInNumber() throws Exception {
        Path tone = dir.resolve("tone440.wav");
        Sox.tone(tone, 440, 30, "u-law");
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("1000", "pin = 1234\nlanguage = en\n"),
                Map.of("dialin.language", "en"));
             RtpPeer phone = new RtpPeer()) {
            Sipp inRoom = Sipp.start(dir, "in-room", "uac_stream_info_pin.xml", Map.of("FILE", tone.toString(),
                    "HOLD_MS", "16000", "K1", "1", "K2", "2", "K3", "3", "K4", "4"), bridge, "1000");
            bridge.awaitLog("joined room 1000 as participant", Duration.ofSeconds(15));

            Sipp dialIn = Sipp.start(dir, "dial-in", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(phone.port()), "DTMF_PT", "101", "HOLD_MS", "12000"),
                    bridge, "conference");
            InetSocketAddress bridgeRtp = new InetSocketAddress("127.0.0.1", dialIn.answeredMediaPort(Duration.ofSeconds(10)));
            phone.sendTone(bridgeRtp, 1000, 6000);
            bridge.awaitLog("at the dial-in prompt", Duration.ofSeconds(5));
            Thread.sleep(1500);
            short[] asked = phone.received();
            assertTrue(ToneMeter.rms(asked, 0, asked.length) > 500, "the caller hears the room-number prompt");
            phone.sendDigits(bridgeRtp, "77#", 101);
            Thread.sleep(1000);
            phone.sendDigits(bridgeRtp, "1000#1234#", 101);
            bridge.awaitLog("chose room 1000 at the dial-in prompt", Duration.ofSeconds(10));
            bridge.awaitLogCount("joined room 1000 as participant", 2, Duration.ofSeconds(15));
            Thread.sleep(3500);
            short[] heard = phone.received();
            Heard.last("the dial-in caller, in the room,", heard, 1).hears(440, 3000, "the other participant");
            assertEquals(0, dialIn.await(Duration.ofSeconds(30)), dialIn.report());
            assertEquals(0, inRoom.await(Duration.ofSeconds(30)), inRoom.report());
            assertTrue(bridge.log().contains("typed an unknown room number"), "the unknown room was told:\n" + bridge.log());
        }
    }
}
