package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A re-offer with another codec is taken (RFC 3264): a phone on PCMA re-offers PCMU only, the
 * bridge answers PCMU on the same port, and from then on the phone hears the room, and the room
 * the phone, in the new codec. The test's phone decodes PCMU only, so before the change it hears
 * nothing and is not heard (its PCMU packets are not what was negotiated).
 */
class CodecChangeIT {
    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "announceJoinLeave = false\n"),
            Map.of());

    @Test
    void aReofferWithAnotherCodecIsTakenAndHeardBothWays() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        Path dir = BRIDGE.dir();
        try (RtpPeer phone = new RtpPeer(); RtpPeer other = new RtpPeer()) {
            Sipp changer = Sipp.start(dir, "changer", "uac_codec_change.xml",
                    Map.of("PEER_PORT", String.valueOf(phone.port()), "FIRST_MS", "3000", "THEN_MS", "5000"),
                    bridge, "1000");
            Sipp normal = Sipp.start(dir, "normal", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(other.port()), "DTMF_PT", "101", "HOLD_MS", "10000"),
                    bridge, "1000");
            int port = changer.answeredMediaPort(Duration.ofSeconds(10));
            phone.sendTone(new InetSocketAddress("127.0.0.1", port), 1000, 8000);
            other.sendTone(new InetSocketAddress("127.0.0.1", normal.answeredMediaPort(Duration.ofSeconds(10))), 440, 8000);
            bridge.awaitLogCount("joined room 1000", 2, Duration.ofSeconds(10));
            Thread.sleep(1500);
            assertEquals(0, phone.packetsReceived(), "on PCMA the PCMU-only phone decodes nothing");
            Heard.last("the other caller, before the change", other.received(), 1.0).hearsNot(1000, "the phone's PCMU");

            bridge.awaitLog("changes codec: PCMA pt 8 -> PCMU pt 0", Duration.ofSeconds(10));
            int from = other.received().length;
            Thread.sleep(2500);
            Heard.last("the phone, on PCMU", phone.received(), 1.5).hearsOtherNotOwn(440, 5000, 1000);
            Heard.since("the other caller, after the change", other.received(), from).hears(1000, 5000, "the phone");
            String reanswer = "";
            for (String message : changer.messages().split("message received")) {
                if (message.contains("SIP/2.0 200") && message.contains("CSeq: 2 INVITE")) {
                    reanswer = message;
                }
            }
            assertTrue(reanswer.contains("m=audio " + port + " RTP/AVP 0"), "PCMU on the same port: " + reanswer);
            assertEquals(0, changer.await(Duration.ofSeconds(20)), changer.report());
            assertEquals(0, normal.await(Duration.ofSeconds(20)), normal.report());
        }
    }
}
