package org.confbridge.media.room;

import org.confbridge.media.net.LegSocket;
import org.confbridge.media.net.RtcpPort;

/**
 * A leg's sockets, bound before its media is negotiated: the port goes into our SDP offer, the
 * leg is made on them when the answer comes (see {@link MixGroup#reserveSockets}).
 */
public record ReservedSockets(MixGroup group, LegSocket rtp, RtcpPort rtcp) {
    /** The RTP port to offer. */
    public int port() {
        return rtp.localPort();
    }

    /** The call ended before its media did: the sockets close and the port returns to the pool. */
    public void release() {
        group.execute(() -> {
            rtp.close(group.io());
            if (rtcp != null) {
                rtcp.close();
            }
        });
    }
}
