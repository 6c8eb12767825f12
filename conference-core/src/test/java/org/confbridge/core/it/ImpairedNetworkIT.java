package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A talker behind a bad network (30 ms jitter, 5 % loss, reordering) and a listener on a clean
 * one: measures how often the listener's audio glitches and how much delay the talker's jitter
 * buffer adds, as the README reports.
 */
class ImpairedNetworkIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void jitterAndLossAreAbsorbed() throws Exception {
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("5000", "name = Impaired\n"), Map.of());
             RtpPeer talker = new RtpPeer(); RtpPeer listener = new RtpPeer();
             ImpairmentRelay relay = new ImpairmentRelay(30, 5, 7)) {
            Sipp talkerCall = Sipp.start(dir, "talker", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(talker.port()), "DTMF_PT", "101", "HOLD_MS", "24000"), bridge, "5000");
            int talkerBridgePort = talkerCall.answeredMediaPort(Duration.ofSeconds(10));
            Sipp listenerCall = Sipp.start(dir, "listener", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(listener.port()), "DTMF_PT", "101", "HOLD_MS", "22000"), bridge, "5000");
            listenerCall.answeredMediaPort(Duration.ofSeconds(10));
            relay.forwardTo(new InetSocketAddress("127.0.0.1", talkerBridgePort));
            talker.sendTone(new InetSocketAddress("127.0.0.1", relay.port()), 1000, 8000);
            Thread.sleep(4000);
            int from = listener.received().length;
            Thread.sleep(15000);
            short[] heard = listener.received();
            JsonNode room = new ObjectMapper().readTree(bridge.get("/api/rooms/5000").body());
            assertEquals(0, listenerCall.await(Duration.ofSeconds(30)), listenerCall.report());
            assertEquals(0, talkerCall.await(Duration.ofSeconds(30)), talkerCall.report());

            int frames = (heard.length - from) / 160;
            double[] level = new double[frames];
            for (int f = 0; f < frames; f++) {
                int o = from + f * 160;
                level[f] = ToneMeter.level(heard, o, o + 160, 1000, 8000);
            }
            double[] sorted = level.clone();
            Arrays.sort(sorted);
            double nominal = sorted[frames / 2];
            int glitches = 0;
            for (double l : level) {
                glitches += l < nominal * 0.5 ? 1 : 0;
            }
            double glitchRate = 100.0 * glitches / frames;
            JsonNode talkerLeg = null;
            for (JsonNode p : room.get("participants")) {
                if (p.get("callerId").asText().startsWith("sip:peer@") && p.get("jitterMs").asDouble() > 5) {
                    talkerLeg = p;
                }
            }
            assertTrue(talkerLeg != null, "the impaired leg shows its jitter in the API: " + room.toPrettyString());
            System.out.printf("impaired network (30 ms jitter, 5 %% loss, %d dropped, %d delayed): glitch frames %.2f %%"
                            + " of %d, playout delay %d ms, measured jitter %.1f ms, loss %.1f %%%n", relay.dropped,
                    relay.forwarded, glitchRate, frames, talkerLeg.get("playoutDelayMs").asInt(),
                    talkerLeg.get("jitterMs").asDouble(), talkerLeg.get("lossPercent").asDouble());
            assertTrue(nominal > 5000, "the listener hears the talker: " + nominal);
            assertTrue(glitchRate < 10, "glitches stay near the loss rate: " + glitchRate + " %");
            assertTrue(talkerLeg.get("playoutDelayMs").asInt() <= 150, "added delay " + talkerLeg);
        }
    }
}
