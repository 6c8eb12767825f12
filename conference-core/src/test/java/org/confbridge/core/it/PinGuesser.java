package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;

/** Someone guessing PINs: a call from its own loopback address that types three wrong PINs and is hung up on. */
final class PinGuesser {
    private PinGuesser() {
    }

    /** One call from {@code from} to {@code room} on {@code node}: PINs {@code first}, {@code first + 1}, {@code first + 2}. */
    static void call(String from, Path dir, String name, BridgeProcess node, String room, int first) throws Exception {
        try (RtpPeer peer = new RtpPeer()) {
            Sipp guess = Sipp.startFrom(from, dir, name, "uac_media_elsewhere_wait_bye.xml",
                    Map.of("PEER_PORT", String.valueOf(peer.port()), "DTMF_PT", "101", "WAIT_MS", "25000"), node, room);
            InetSocketAddress rtp = new InetSocketAddress("127.0.0.1", guess.answeredMediaPort(Duration.ofSeconds(10)));
            peer.sendTone(rtp, 300, 100);
            Thread.sleep(500);
            for (int i = 0; i < 3; i++) {
                peer.sendDigits(rtp, (first + i) + "#", 101);
                Thread.sleep(300);
            }
            assertEquals(0, guess.await(Duration.ofSeconds(30)), guess.report());
        }
    }
}
