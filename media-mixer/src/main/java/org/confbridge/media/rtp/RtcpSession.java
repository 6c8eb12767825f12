package org.confbridge.media.rtp;

import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * RTCP for one leg (RFC 3550 section 6): counts what was received and sent, writes sender reports
 * with one reception report block and an SDES CNAME, and reads the peer's reports to learn the
 * round-trip time and how much of our stream it lost. Pure code over byte arrays; the leg's
 * socket adapter feeds it. Not thread-safe: it lives on the room's loop.
 *
 * <pre>
 * SR: |V=2|P|RC| PT=200 | length | SSRC | NTP sec | NTP frac | RTP ts | packets | octets | blocks...
 * RR: |V=2|P|RC| PT=201 | length | SSRC | blocks...
 * block: SSRC | fraction lost (8) cumulative lost (24) | ext. highest seq | jitter | LSR | DLSR
 * </pre>
 */
public final class RtcpSession {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    // Written for every packet each way, so declared first: the JVM lays out fields of a size in
    // declaration order (the first int fills the header's gap), and these then share one or two
    // cache lines of a leg's otherwise cold state instead of three.
    // Reception (RFC 3550 appendix A.3).
    private int maxSeq;
    private long remoteSsrc = -1;
    private long received;
    // Sending.
    private long packetsSent;
    private long octetsSent;
    private long lastRtpTimestamp;

    private int baseSeq;
    private int cycles;
    private long expectedPrior;
    private long receivedPrior;
    // Their last SR, for LSR/DLSR.
    private long lastSrNtpMiddle;
    private long lastSrArrivalMillis;

    // Their view of us.
    private double rttMs = -1;
    private double remoteLossPercent;

    private final long localSsrc;
    private int clockRate;
    private final LongSupplier wallMillis;

    public RtcpSession(long localSsrc, int clockRate, LongSupplier wallMillis) {
        this.localSsrc = localSsrc;
        this.clockRate = clockRate;
        this.wallMillis = wallMillis;
    }

    /** The stream's RTP clock after a codec change (jitter is reported in its units). */
    public void clockRate(int rate) {
        this.clockRate = rate;
    }

    /** An RTP packet of the peer's audio stream arrived. */
    public void rtpReceived(long ssrc, int seq16) {
        if (ssrc != remoteSsrc) {
            remoteSsrc = ssrc;
            baseSeq = seq16;
            maxSeq = seq16;
            cycles = 0;
            received = 0;
            expectedPrior = 0;
            receivedPrior = 0;
        }
        int delta = (seq16 - maxSeq) & 0xFFFF;
        if (delta < 0x8000 && delta != 0) {
            if (seq16 < maxSeq) {
                cycles += 0x10000;
            }
            maxSeq = seq16;
        }
        received++;
    }

    public void rtpSent(int payloadBytes, long rtpTimestamp) {
        packetsSent++;
        octetsSent += payloadBytes;
        lastRtpTimestamp = rtpTimestamp;
    }

    /** Packets of the peer's stream that never arrived. */
    public long cumulativeLost() {
        return remoteSsrc < 0 ? 0 : Math.max(0, expected() - received);
    }

    private long expected() {
        return (long) cycles + maxSeq - baseSeq + 1;
    }

    /** Round-trip time from the peer's last report about us, or -1 before there is one. */
    public double rttMs() {
        return rttMs;
    }

    /** How much of our stream the peer says it lost since its previous report, in percent. */
    public double remoteLossPercent() {
        return remoteLossPercent;
    }

    /**
     * Writes a compound packet: SR with a reception block (when we receive a stream) and SDES.
     *
     * @return its length in bytes
     */
    public int buildReport(byte[] b, int off, double jitterMs, String cname) {
        long now = wallMillis.getAsLong();
        long ntpSec = now / 1000 + NTP_UNIX_OFFSET_SECONDS;
        long ntpFrac = ((now % 1000) << 32) / 1000;
        int blocks = remoteSsrc >= 0 ? 1 : 0;
        int pos = off;
        b[pos] = (byte) (0x80 | blocks);
        b[pos + 1] = (byte) SR;
        int words = 6 + 6 * blocks; // length in 32-bit words minus one
        b[pos + 2] = (byte) (words >> 8);
        b[pos + 3] = (byte) words;
        RtpHeader.writeUint32(b, pos + 4, localSsrc);
        RtpHeader.writeUint32(b, pos + 8, ntpSec);
        RtpHeader.writeUint32(b, pos + 12, ntpFrac);
        RtpHeader.writeUint32(b, pos + 16, lastRtpTimestamp);
        RtpHeader.writeUint32(b, pos + 20, packetsSent);
        RtpHeader.writeUint32(b, pos + 24, octetsSent);
        pos += 28;
        if (blocks == 1) {
            long expected = expected();
            long lost = Math.max(0, Math.min(0x7FFFFF, expected - received));
            long expectedInterval = expected - expectedPrior;
            long receivedInterval = received - receivedPrior;
            expectedPrior = expected;
            receivedPrior = received;
            long lostInterval = expectedInterval - receivedInterval;
            int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
            RtpHeader.writeUint32(b, pos, remoteSsrc);
            RtpHeader.writeUint32(b, pos + 4, ((long) Math.min(fraction, 255) << 24) | lost);
            RtpHeader.writeUint32(b, pos + 8, expected() - 1 + baseSeq);
            RtpHeader.writeUint32(b, pos + 12, (long) (jitterMs * clockRate / 1000));
            long dlsr = lastSrArrivalMillis == 0 ? 0 : (now - lastSrArrivalMillis) * 65536 / 1000;
            RtpHeader.writeUint32(b, pos + 16, lastSrArrivalMillis == 0 ? 0 : lastSrNtpMiddle);
            RtpHeader.writeUint32(b, pos + 20, dlsr);
            pos += 24;
        }
        // SDES with one chunk: CNAME, END, padded to a word.
        byte[] name = cname.getBytes(StandardCharsets.UTF_8);
        int nameLen = Math.min(name.length, 255);
        int chunk = 4 + 2 + nameLen + 1;
        int padded = (chunk + 3) & ~3;
        b[pos] = (byte) 0x81;
        b[pos + 1] = (byte) SDES;
        int sdesWords = padded / 4;
        b[pos + 2] = (byte) (sdesWords >> 8);
        b[pos + 3] = (byte) sdesWords;
        RtpHeader.writeUint32(b, pos + 4, localSsrc);
        b[pos + 8] = 1;
        b[pos + 9] = (byte) nameLen;
        System.arraycopy(name, 0, b, pos + 10, nameLen);
        for (int i = pos + 10 + nameLen; i < pos + 4 + padded; i++) {
            b[i] = 0;
        }
        pos += 4 + padded;
        return pos - off;
    }

    /** Reads a (compound) RTCP packet from the peer. Malformed parts are ignored. */
    public void receive(byte[] b, int off, int len) {
        int pos = off;
        int end = off + len;
        while (pos + 4 <= end) {
            if (((b[pos] >> 6) & 3) != 2) {
                return;
            }
            int count = b[pos] & 0x1F;
            int pt = b[pos + 1] & 0xFF;
            int bytes = 4 * ((((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF)) + 1);
            if (pos + bytes > end) {
                return;
            }
            if (pt == SR && bytes >= 28) {
                lastSrNtpMiddle = (RtpHeader.readUint32(b, pos + 8) & 0xFFFF) << 16 | (RtpHeader.readUint32(b, pos + 12) >>> 16);
                lastSrArrivalMillis = wallMillis.getAsLong();
                readBlocks(b, pos + 28, count, pos + bytes);
            } else if (pt == RR && bytes >= 8) {
                readBlocks(b, pos + 8, count, pos + bytes);
            }
            pos += bytes;
        }
    }

    private void readBlocks(byte[] b, int pos, int count, int end) {
        for (int i = 0; i < count && pos + 24 <= end; i++, pos += 24) {
            if (RtpHeader.readUint32(b, pos) != localSsrc) {
                continue;
            }
            remoteLossPercent = 100.0 * (b[pos + 4] & 0xFF) / 256;
            long lsr = RtpHeader.readUint32(b, pos + 16);
            long dlsr = RtpHeader.readUint32(b, pos + 20);
            if (lsr != 0) {
                long now = wallMillis.getAsLong();
                long nowMiddle = (((now / 1000 + NTP_UNIX_OFFSET_SECONDS) & 0xFFFF) << 16)
                        | ((((now % 1000) << 32) / 1000) >>> 16);
                long rtt = (nowMiddle - lsr - dlsr) & 0xFFFFFFFFL;
                if (rtt < 65536L * 10) { // over 10 s is a broken report, not a round trip
                    rttMs = rtt * 1000.0 / 65536;
                }
            }
        }
    }
}
