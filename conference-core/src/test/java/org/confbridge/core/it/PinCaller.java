package org.confbridge.core.it;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;

/**
 * A caller that dials a room (through a proxy or straight to a node: whatever listens on the port),
 * types its PIN as RFC 4733 events from its own RTP peer, and hangs up {@code holdMs} after it was
 * answered; closing waits for that.
 */
final class PinCaller implements AutoCloseable {
    private final Sipp sipp;
    private final RtpPeer peer;

    private PinCaller(Sipp sipp, RtpPeer peer) {
        this.sipp = sipp;
        this.peer = peer;
    }

    static PinCaller dial(int port, Path dir, String name, String room, String pin, int holdMs) throws Exception {
        RtpPeer peer = new RtpPeer();
        Sipp sipp = Sipp.startTo(port, "127.0.0.1", dir, name, "uac_dialog.xml",
                Map.of("PEER_PORT", String.valueOf(peer.port()), "HOLD_MS", String.valueOf(holdMs), "NAME", name), room);
        InetSocketAddress rtp = new InetSocketAddress("127.0.0.1", sipp.answeredMediaPort(Duration.ofSeconds(15)));
        peer.sendTone(rtp, 300, 100);
        Thread.sleep(700); // the PIN prompt starts; typing barges in
        peer.sendDigits(rtp, pin + "#", 101);
        return new PinCaller(sipp, peer);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            sipp.await(Duration.ofSeconds(40));
        } finally {
            peer.close();
        }
    }
}
