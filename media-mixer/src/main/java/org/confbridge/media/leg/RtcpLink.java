package org.confbridge.media.leg;

import java.net.InetSocketAddress;
import org.confbridge.media.net.RtcpPort;
import org.confbridge.media.rtp.PacketProtection;
import org.confbridge.media.rtp.RtcpSession;
import org.confbridge.media.rtp.RtpIntake;

/**
 * A leg's RTCP (RFC 3550): its port, where our reports go, and what the caller's reports say.
 * Symmetric: reports go to where the caller's RTCP comes from once it has come, until then to the
 * port above its RTP. Only RTCP from the caller's media source is read (strict RTP). The leg's
 * loop only.
 */
public final class RtcpLink {
    /** What this stage counts. */
    public interface Counters {
        /** A datagram not from the caller's media source. */
        void droppedForeignSource();

        /** A packet that failed authentication (SRTP). */
        void droppedUnprotectable();
    }

    private final RtcpSession session;
    private final RtcpPort port;
    private final RtpIntake intake;
    private PacketProtection protection;
    private final Counters counters;
    private final String cname;
    private final byte[] out = new byte[512 + PacketProtection.MAX_OVERHEAD];
    private InetSocketAddress remote;
    /** The caller's RTCP has come: its source is where reports go, whatever RTP does. */
    private boolean latched;

    /** {@code port} may be null: a leg works without RTCP when the port was taken. */
    public RtcpLink(RtcpSession session, RtcpPort port, RtpIntake intake, PacketProtection protection,
                    Counters counters, String cname) {
        this.session = session;
        this.port = port;
        this.intake = intake;
        this.protection = protection;
        this.counters = counters;
        this.cname = cname;
        this.remote = oddPortAbove(intake.remote());
        if (port != null) {
            port.receiveWith(this::receive);
        }
    }

    private static InetSocketAddress oddPortAbove(InetSocketAddress rtp) {
        return new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
    }

    /** The caller's RTP moved (latched, or a re-offer): reports follow unless its RTCP has come. */
    public void rtpMoved(InetSocketAddress rtp) {
        if (!latched) {
            remote = oddPortAbove(rtp);
        }
    }

    private void receive(byte[] buf, int off, int len, InetSocketAddress sender) {
        if (!intake.acceptsRtcp(sender)) {
            counters.droppedForeignSource();
            return;
        }
        int plain = protection.unprotectRtcp(buf, off, len);
        if (plain < 0) {
            counters.droppedUnprotectable();
            return;
        }
        remote = sender;
        latched = true;
        session.receive(buf, off, plain);
    }

    /** Sends a sender report (with our reception report, {@code jitterMs} of the caller's stream). */
    public void report(double jitterMs) {
        if (port == null) {
            return;
        }
        int n = session.buildReport(out, 0, jitterMs, cname);
        port.send(out, 0, protection.protectRtcp(out, 0, n), remote);
    }

    /** The caller re-keyed (a new SDES offer): RTCP follows RTP. */
    public void protection(PacketProtection replacement) {
        this.protection = replacement;
    }

    /** The port, to move with the leg to another room's loop; null without RTCP. */
    public RtcpPort port() {
        return port;
    }

    public void close() {
        if (port != null) {
            port.close();
        }
    }
}
