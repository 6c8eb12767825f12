package org.confbridge.media.rtp;

/**
 * Turns a stream of RFC 4733 packets into key presses, each reported exactly once.
 *
 * <p>One key press is one event, identified by its RTP timestamp (all packets of an event share
 * the event's start timestamp, section 2.5.1.2) and the SSRC that carries it. Repeated updates,
 * the three redundant end packets and retransmissions therefore repeat a known (SSRC, timestamp)
 * and are ignored; the press is reported on the first packet seen, so a lost end packet cannot
 * swallow it. Events may arrive on their own SSRC, as SIPp sends them.
 */
public final class DtmfEventReceiver {
    /** Receives detected key presses. */
    @FunctionalInterface
    public interface KeyListener {
        void onKey(char digit);
    }

    private static final int REMEMBERED = 4;

    private final long[] seenSsrc = new long[REMEMBERED];
    private final long[] seenTimestamp = new long[REMEMBERED];
    private int next;
    private int count;

    /**
     * Handles one telephone-event payload.
     *
     * @return the reported digit, or 0 if this packet repeats a known event or is not DTMF
     */
    public char receive(long ssrc, long timestamp, byte[] payload, int off, int len) {
        if (len < TelephoneEvent.PAYLOAD_SIZE) {
            return 0;
        }
        char digit = TelephoneEvent.digit(TelephoneEvent.event(payload, off));
        if (digit == 0) {
            return 0;
        }
        for (int i = 0; i < count; i++) {
            if (seenSsrc[i] == ssrc && seenTimestamp[i] == timestamp) {
                return 0;
            }
        }
        seenSsrc[next] = ssrc;
        seenTimestamp[next] = timestamp;
        next = (next + 1) % REMEMBERED;
        count = Math.min(count + 1, REMEMBERED);
        return digit;
    }
}
