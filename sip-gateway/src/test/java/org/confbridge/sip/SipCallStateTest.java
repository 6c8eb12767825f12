package org.confbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A call's life as transitions that say what to send next, without a SIP stack. */
class SipCallStateTest {
    private static SipCall call() {
        return new SipCall(null, "c1", "sip:a@x", "", "1000", "udp", null, new SignallingOrigin(null, 0, List.of(), List.of()),
                null, null, null, null);
    }

    @Test
    void hangupBeforeTheAnswerRejectsAndAfterTheAckSendsBye() {
        SipCall offered = call();
        assertEquals(SipCall.Hangup.REJECT, offered.hangupRequested());

        SipCall confirmed = call();
        confirmed.answered("v=0", 1, 20000);
        assertTrue(confirmed.acknowledged());
        assertEquals(SipCall.State.CONFIRMED, confirmed.state());
        assertEquals(SipCall.Hangup.BYE, confirmed.hangupRequested());
    }

    @Test
    void aHangupBetweenAnswerAndAckWaitsForTheAck() {
        SipCall c = call();
        c.answered("v=0", 1, 20000);
        assertEquals(SipCall.Hangup.AFTER_ACK, c.hangupRequested());
        assertTrue(c.acknowledged());
        assertTrue(c.takeByeAfterAck(), "the BYE is due now");
        assertFalse(c.takeByeAfterAck(), "and only once");
        assertFalse(c.acknowledged(), "a repeated ACK confirms nothing");
    }

    @Test
    void cancelCountsOnlyBeforeTheAnswer() {
        SipCall c = call();
        assertTrue(c.cancelled());
        c.answered("v=0", 1, 20000);
        assertFalse(c.cancelled());
    }

    @Test
    void anEndBeforeTheDecisionIsReportedWithTheDecisionAndOnce() {
        SipCall c = call();
        assertEquals(SipCall.Ended.AFTER_DECISION, c.end("cancelled"));
        assertEquals(SipCall.Ended.ALREADY, c.end("again"));
        assertTrue(c.decided(), "the decision finds the call over");
        assertTrue(c.takeEndReport());
        assertFalse(c.takeEndReport());
        assertEquals("cancelled", c.endReason());
        assertEquals(SipCall.Hangup.NOTHING, c.hangupRequested());
    }

    @Test
    void anEndAfterTheDecisionIsReportedAtOnce() {
        SipCall c = call();
        assertFalse(c.decided());
        c.answered("v=0", 1, 20000);
        c.acknowledged();
        assertEquals(SipCall.Ended.REPORT, c.end("caller hung up"));
    }
}
