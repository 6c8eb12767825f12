package org.confbridge.core.room;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A room's chat rules: who may write (admitted participants, and the admin API), how often (a
 * burst of {@value #BURST}, then one message a second per participant), and what was written
 * (the session's transcript, at most {@value #MAX_KEPT} messages). Pure bookkeeping on the room's
 * loop; the room relays and records.
 */
final class RoomChat {
    static final int BURST = 5;
    private static final long REFILL_MILLIS = 1000;
    /** A message longer than this is refused (SIP's own bound is the same). */
    static final int MAX_BYTES = 4096;
    static final int MAX_KEPT = 1000;

    /** What became of a message. */
    enum Verdict { RELAYED, TOO_FAST, TOO_LONG, EMPTY }

    /** Per writer: tokens left and when they were last counted. */
    private final Map<String, long[]> buckets = new HashMap<>();
    private final List<Map<String, Object>> transcript = new ArrayList<>();

    /**
     * Takes a message by {@code writer} ({@code leg} of a participant, or null for the admin API)
     * at {@code nowMillis}; on {@link Verdict#RELAYED} it is in the transcript.
     */
    Verdict write(String leg, String writer, String text, boolean byAdmin, Instant at, long nowMillis) {
        if (text.isBlank()) {
            return Verdict.EMPTY;
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Verdict.TOO_LONG;
        }
        if (!byAdmin && !take(leg, nowMillis)) {
            return Verdict.TOO_FAST;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", at.toString());
        if (leg != null) {
            m.put("leg", leg);
        }
        m.put("from", writer);
        m.put("text", text);
        if (byAdmin) {
            m.put("by", "admin-api");
        }
        if (transcript.size() == MAX_KEPT) {
            transcript.remove(0);
        }
        transcript.add(m);
        return Verdict.RELAYED;
    }

    private boolean take(String leg, long now) {
        long[] b = buckets.computeIfAbsent(leg, k -> new long[] {BURST, now});
        long refill = (now - b[1]) / REFILL_MILLIS;
        if (refill > 0) {
            b[0] = Math.min(BURST, b[0] + refill);
            b[1] += refill * REFILL_MILLIS;
        }
        if (b[0] == 0) {
            return false;
        }
        b[0]--;
        return true;
    }

    /** The writer left: its rate is forgotten. */
    void left(String leg) {
        buckets.remove(leg);
    }

    /** The messages so far, oldest first (a copy). */
    List<Map<String, Object>> transcript() {
        return List.copyOf(transcript);
    }
}
