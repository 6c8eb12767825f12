package org.confbridge.media.rtp;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Strict RTP: which source a leg takes media from and sends the room's audio to. Packets from the
 * address and port in the caller's SDP latch at once. Another port of the caller's SDP address or
 * of the address its SIP came from (a phone behind NAT sends from its public address) latches only
 * after {@link #LEARNING_PACKETS} in-sequence packets of a negotiated payload type from that one
 * source. Everything else is foreign: dropped, never answered. Once latched, only that source
 * counts until {@link #relatch} (a re-INVITE moving the media). Without strictness the first
 * packet from anywhere latches (plain symmetric RTP). Pure state, no I/O: one leg's loop owns it.
 */
public final class SourceLatch {
    /** What to do with one packet. */
    public enum Verdict {
        /** From the latched source (or it latched just now): use it. */
        ACCEPT,
        /** From a source that may become the caller's after a few more in-sequence packets: drop for now. */
        LEARNING,
        /** From anyone else: drop and count. */
        FOREIGN
    }

    /** In-sequence packets a source other than the SDP address must send before it is believed. */
    public static final int LEARNING_PACKETS = 4;

    private final boolean strict;
    private final InetAddress signalling;
    private volatile InetSocketAddress sdp;
    /** Volatile: the RTCP channel's loop reads it too. */
    private volatile InetSocketAddress latched;
    private InetSocketAddress candidate;
    private int candidateSeq;
    private int candidateRun;
    private boolean foreignSeen;

    /**
     * @param sdp         the address and port in the caller's SDP
     * @param signalling  the source address of the caller's SIP, or null when unknown
     * @param strict      false: the first packet from anywhere latches
     */
    public SourceLatch(InetSocketAddress sdp, InetAddress signalling, boolean strict) {
        this.sdp = sdp;
        this.signalling = signalling;
        this.strict = strict;
    }

    /**
     * Judges one packet that parsed as RTP.
     *
     * @param negotiatedType the payload type is the leg's codec or telephone-event
     */
    public Verdict check(InetSocketAddress sender, boolean negotiatedType, int sequence) {
        InetSocketAddress l = latched;
        if (l != null) {
            return sender == l || l.equals(sender) ? Verdict.ACCEPT : Verdict.FOREIGN;
        }
        if (!strict || sender.equals(sdp)) {
            latch(sender);
            return Verdict.ACCEPT;
        }
        InetAddress ip = sender.getAddress();
        if (!negotiatedType || !(ip.equals(sdp.getAddress()) || ip.equals(signalling))) {
            return Verdict.FOREIGN;
        }
        if (sender.equals(candidate) && sequence == ((candidateSeq + 1) & 0xFFFF)) {
            candidateRun++;
        } else {
            candidate = sender;
            candidateRun = 1;
        }
        candidateSeq = sequence;
        if (candidateRun >= LEARNING_PACKETS) {
            latch(sender);
            return Verdict.ACCEPT;
        }
        return Verdict.LEARNING;
    }

    /**
     * Whether a packet from {@code sender} could be the caller's at all: the latched source, or
     * before latching the SDP address or (strict) another port of the SDP or signalling address.
     * Cheap: what fails it costs no decryption.
     */
    public boolean plausible(InetSocketAddress sender) {
        InetSocketAddress l = latched;
        if (l != null) {
            return sender == l || l.equals(sender);
        }
        InetAddress ip = sender.getAddress();
        return !strict || ip.equals(sdp.getAddress()) || ip.equals(signalling);
    }

    private void latch(InetSocketAddress source) {
        latched = source;
        candidate = null;
        candidateRun = 0;
    }

    /** The source media comes from and goes to, or null while none has proven itself. */
    public InetSocketAddress latched() {
        return latched;
    }

    /** Where to send before a source has latched: the SDP address, which signalling vouched for. */
    public InetSocketAddress sdpAddress() {
        return sdp;
    }

    /** The caller's media moved (a new SDP address): learn afresh under the same rules. */
    public void relatch(InetSocketAddress newSdp) {
        sdp = newSdp;
        latched = null;
        candidate = null;
        candidateRun = 0;
    }

    /**
     * Whether an RTCP packet from {@code sender} belongs to this caller: the SDP's RTCP port
     * (RTP + 1), or once RTP has latched any port of the latched address. Not strict: the SDP
     * or latched IP.
     */
    public boolean acceptsRtcp(InetSocketAddress sender) {
        InetAddress ip = sender.getAddress();
        InetSocketAddress l = latched;
        if (!strict) {
            return ip.equals(sdp.getAddress()) || l != null && ip.equals(l.getAddress());
        }
        if (ip.equals(sdp.getAddress()) && sender.getPort() == sdp.getPort() + 1) {
            return true;
        }
        return l != null && ip.equals(l.getAddress());
    }

    /** True the first time a foreign packet is seen (the leg logs it once). */
    public boolean firstForeign() {
        if (foreignSeen) {
            return false;
        }
        foreignSeen = true;
        return true;
    }
}
