package org.confbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SessionTimerPolicyTest {
    @Test
    void anIntervalBelowNinetySecondsGets422WithOurMinSe() {
        assertEquals(new SessionTimerPolicy.TooSmall(90), SessionTimerPolicy.decide(60, null, -1, true));
        assertEquals(new SessionTimerPolicy.TooSmall(120), SessionTimerPolicy.decide(60, null, 120, true));
    }

    @Test
    void theCallersRefresherIsHonoured() {
        assertEquals(new SessionTimerPolicy.Timer(600, false), SessionTimerPolicy.decide(600, "uac", -1, true));
        assertEquals(new SessionTimerPolicy.Timer(600, true), SessionTimerPolicy.decide(600, "uas", -1, true));
    }

    @Test
    void withoutARefresherTheCallerRefreshesIfItCanElseWeDo() {
        assertEquals(new SessionTimerPolicy.Timer(600, false), SessionTimerPolicy.decide(600, null, -1, true));
        // A proxy inserted Session-Expires for a caller without timer support (section 9): we refresh.
        assertEquals(new SessionTimerPolicy.Timer(600, true), SessionTimerPolicy.decide(600, null, -1, false));
    }

    @Test
    void aCallerWithoutTimerSupportNeverRefreshesEvenIfAskedTo() {
        assertEquals(new SessionTimerPolicy.Timer(600, true), SessionTimerPolicy.decide(600, "uac", -1, false),
                "refresher=uac from a caller without Supported: timer: the bridge refreshes (RFC 4028 section 9)");
    }

    @Test
    void aCallerThatSupportsTimersButProposesNoneGetsOurs() {
        assertEquals(new SessionTimerPolicy.Timer(1800, false), SessionTimerPolicy.decide(-1, null, -1, true));
        assertEquals(new SessionTimerPolicy.None(), SessionTimerPolicy.decide(-1, null, -1, false));
    }

    @Test
    void refreshAtHalfAndGiveUpShortlyBeforeExpiry() {
        SessionTimerPolicy.Timer t = new SessionTimerPolicy.Timer(90, false);
        assertEquals(45_000, t.refreshAfterMillis());
        assertEquals(60_000, t.expireAfterMillis(), "90 s less a third (30 s, under 32 s)");
        SessionTimerPolicy.Timer longer = new SessionTimerPolicy.Timer(1800, true);
        assertEquals(1_768_000, longer.expireAfterMillis(), "1800 s less 32 s");
        assertEquals("1800;refresher=uas", longer.header());
    }
}
