package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A desk phone puts the conference on hold while its PBX plays music: the room does not hear the
 * music, the phone's silence on hold is not taken for a dead call (longer than rtp.timeoutSeconds),
 * and after resuming it is heard again.
 */
class HoldIT {
    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "announceJoinLeave = false\n"),
            Map.of("rtp.timeoutSeconds", "3"));

    @Test
    void holdMusicNeverReachesTheRoomAndTheHeldCallOutlivesTheRtpTimeout() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        Path dir = BRIDGE.dir();
        Path music = dir.resolve("tone440.wav");
        Sox.tone(music, 440, 60, "u-law");
        try (RtpPeer listener = new RtpPeer()) {
            Sipp listening = Sipp.start(dir, "listener", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(listener.port()), "DTMF_PT", "101", "HOLD_MS", "30000"),
                    bridge, "1000");
            listener.sendTone(new InetSocketAddress("127.0.0.1", listening.answeredMediaPort(Duration.ofSeconds(10))),
                    1000, 100);
            Sipp phone = Sipp.start(dir, "holder", "uac_hold.xml", Map.of("FILE", music.toString(), "TALK_MS", "4000",
                    "MOH_MS", "4000", "SILENT_MS", "5000"), bridge, "1000");
            bridge.awaitLogCount("joined room 1000", 2, Duration.ofSeconds(10));
            Thread.sleep(2500);
            Heard.last("the listener", listener.received(), 1.5).hears(440, 5000, "the phone before the hold");

            bridge.awaitLog("on hold in room 1000", Duration.ofSeconds(10));
            assertTrue(bridge.get("/api/rooms/1000").body().contains("\"held\":true"), bridge.get("/api/rooms/1000").body());
            Thread.sleep(2500);
            Heard.last("the listener", listener.received(), 1.5).hearsNot(440, "the music on hold");

            bridge.awaitLog("resumed in room 1000", Duration.ofSeconds(15));
            Thread.sleep(2500);
            Heard.last("the listener", listener.received(), 1.5).hears(440, 5000, "the phone after resuming");
            assertEquals(0, phone.await(Duration.ofSeconds(30)), "the held call was not hung up\n" + phone.report());
            assertTrue(phone.messages().contains("a=recvonly"), "the hold was answered recvonly");
            assertEquals(0, listening.await(Duration.ofSeconds(40)), listening.report());
        }
        assertFalse(bridge.log().contains("no RTP for too long"), "nobody timed out");
    }
}
