package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A phone behind NAT, without a proxy: its Via, Contact and SDP name a private address nothing
 * reaches (127.0.0.99 here), its packets come from another. The bridge answers where the INVITE
 * came from (rport, RFC 3581), sends its in-dialog requests (the BYE) there too, and takes the
 * phone's audio from the signalling address under the strict-RTP rules, so both sides hear.
 */
class NatIT {
    private static final String TOKEN = "t0ken";

    @RegisterExtension
    static final BridgeExtension BRIDGE = BridgeExtension.with(Map.of("1000", "announceJoinLeave = false\n"),
            Map.of("admin.token", TOKEN));

    @Test
    void aPhoneBehindNatIsAnsweredHeardAndHungUpWhereItSendsFrom() throws Exception {
        BridgeProcess bridge = BRIDGE.process();
        try (RtpPeer phone = new RtpPeer(); RtpPeer other = new RtpPeer()) {
            Sipp behindNat = Sipp.start(BRIDGE.dir(), "behind-nat", "uac_behind_nat.xml",
                    Map.of("PEER_PORT", String.valueOf(phone.port()), "HOLD_MS", "30000",
                            "NAT_ADDRESS", "127.0.0.99:5060", "NAT_IP", "127.0.0.99"), bridge, "1000");
            Sipp normal = Sipp.start(BRIDGE.dir(), "normal", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(other.port()), "DTMF_PT", "101", "HOLD_MS", "8000"),
                    bridge, "1000");
            phone.sendTone(new InetSocketAddress("127.0.0.1", behindNat.answeredMediaPort(Duration.ofSeconds(10))), 1000, 8000);
            other.sendTone(new InetSocketAddress("127.0.0.1", normal.answeredMediaPort(Duration.ofSeconds(10))), 440, 8000);
            bridge.awaitLogCount("joined room 1000", 2, Duration.ofSeconds(10));
            Thread.sleep(3000);
            Heard.last("the phone behind NAT", phone.received(), 1.5).hearsOtherNotOwn(440, 5000, 1000);
            Heard.last("the other caller", other.received(), 1.5).hearsOtherNotOwn(1000, 5000, 440);
            String ok = behindNat.messages();
            assertTrue(ok.contains("received=127.0.0.1") && ok.contains("rport=" + behindNat.port),
                    "the 200 OK's Via says where it was sent: " + ok);

            assertEquals(200, bridge.post("/api/rooms/1000/participants/" + leg(bridge, "Behind NAT") + "/kick", TOKEN,
                    null).statusCode());
            assertEquals(0, behindNat.await(Duration.ofSeconds(20)), "the BYE reached the phone\n" + behindNat.report());
            assertEquals(0, normal.await(Duration.ofSeconds(20)), normal.report());
        }
    }

    private static String leg(BridgeProcess bridge, String displayName) throws Exception {
        JsonNode room = new ObjectMapper().readTree(bridge.getWithToken("/api/rooms/1000", TOKEN).body());
        for (JsonNode p : room.get("participants")) {
            if (displayName.equals(p.get("displayName").asText())) {
                return p.get("leg").asText();
            }
        }
        throw new AssertionError(displayName + " not in " + room);
    }
}
