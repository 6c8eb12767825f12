package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;

/**
 * A bridge bound to an IPv6 address (here the IPv6 loopback, where the host has one): callers
 * signal over IPv6, the SDP says {@code IN IP6}, and they hear each other over IPv6 RTP.
 */
class Ipv6IT {
    @Test
    void callersOverIpv6HearEachOther() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        assumeTrue(hasIpv6Loopback(), "this host has no IPv6 loopback (::1)");
        Path dir = Files.createTempDirectory("bridge-Ipv6IT-");
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("1000", "announceJoinLeave = false\n"),
                Map.of("sip.bind", "::1"));
             RtpPeer first = new RtpPeer(v6); RtpPeer second = new RtpPeer(v6)) {
            Sipp one = Sipp.startTo(bridge.sipPort, "::1", dir, "first", "uac_dialog.xml",
                    Map.of("PEER_PORT", String.valueOf(first.port()), "HOLD_MS", "7000", "NAME", "First"), "1000");
            Sipp two = Sipp.startTo(bridge.sipPort, "::1", dir, "second", "uac_dialog.xml",
                    Map.of("PEER_PORT", String.valueOf(second.port()), "HOLD_MS", "7000", "NAME", "Second"), "1000");
            first.sendTone(new InetSocketAddress(v6, one.answeredMediaPort(Duration.ofSeconds(10))), 440, 8000);
            second.sendTone(new InetSocketAddress(v6, two.answeredMediaPort(Duration.ofSeconds(10))), 1000, 8000);
            bridge.awaitLogCount("joined room 1000", 2, Duration.ofSeconds(10));
            Thread.sleep(3000);
            Heard.last("the first caller", first.received(), 1.5).hearsOtherNotOwn(1000, 5000, 440);
            Heard.last("the second caller", second.received(), 1.5).hearsOtherNotOwn(440, 5000, 1000);
            assertTrue(one.messages().contains("c=IN IP6 ::1"), "the bridge's SDP is IPv6\n" + one.messages());
            assertEquals(0, one.await(Duration.ofSeconds(20)), one.report());
            assertEquals(0, two.await(Duration.ofSeconds(20)), two.report());
        }
    }

    private static boolean hasIpv6Loopback() throws Exception {
        NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        return lo != null && lo.inetAddresses().anyMatch(a -> a instanceof Inet6Address && a.isLoopbackAddress());
    }
}
