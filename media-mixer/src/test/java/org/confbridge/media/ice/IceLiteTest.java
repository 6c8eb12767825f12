package org.confbridge.media.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Our answers to a browser's connectivity checks, and what a check without our password gets. */
class IceLiteTest {
    private static final InetSocketAddress BROWSER = new InetSocketAddress("127.0.0.5", 50000);
    private static final InetSocketAddress RELAYED = new InetSocketAddress("127.0.0.6", 50002);
    private final IceLite ice = new IceLite("brgU", "ourPasswordOf24Characters", "brws", 0);

    private static byte[] check(String username, String password, boolean nominate, int id) {
        byte[] tid = new byte[12];
        tid[11] = (byte) id;
        StunMessage.Builder b = new StunMessage.Builder(StunMessage.BINDING_REQUEST, tid)
                .add(StunMessage.USERNAME, username.getBytes(StandardCharsets.UTF_8))
                .add(StunMessage.PRIORITY, new byte[] {0x6e, 0, 1, (byte) 0xff})
                .add(StunMessage.ICE_CONTROLLING, new byte[8]);
        if (nominate) {
            b.add(StunMessage.USE_CANDIDATE, new byte[0]);
        }
        return b.build(password.getBytes(StandardCharsets.UTF_8), true);
    }

    @Test
    void aRightCheckIsAnsweredSignedAndChoosesTheAddress() throws Exception {
        byte[] request = check("brgU:brws", "ourPasswordOf24Characters", false, 1);
        assertEquals(IceLite.Verdict.ANSWERED, ice.receive(request, 0, request.length, BROWSER, 5));
        StunMessage answer = StunMessage.parse(ice.answer(), 0, ice.answer().length);
        assertEquals(StunMessage.BINDING_SUCCESS, answer.type());
        assertArrayEquals(StunMessage.parse(request, 0, request.length).transactionId(), answer.transactionId());
        assertTrue(answer.integrityValid("ourPasswordOf24Characters".getBytes(StandardCharsets.UTF_8)));
        assertTrue(answer.fingerprintValid());
        assertEquals(BROWSER, answer.xorMappedAddress());
        assertEquals(BROWSER, ice.selected());
        // The browser nominates another pair: its address is the one from now on.
        byte[] nomination = check("brgU:brws", "ourPasswordOf24Characters", true, 2);
        assertEquals(IceLite.Verdict.ANSWERED, ice.receive(nomination, 0, nomination.length, RELAYED, 6));
        assertEquals(RELAYED, ice.selected());
        byte[] unnominated = check("brgU:brws", "ourPasswordOf24Characters", false, 3);
        ice.receive(unnominated, 0, unnominated.length, BROWSER, 7);
        assertEquals(RELAYED, ice.selected(), "an un-nominated check does not move a nominated pair");
    }

    @Test
    void withoutOurPasswordOrUsernameNothingIsChosen() throws Exception {
        for (byte[] bad : new byte[][] {check("brgU:brws", "notOurPassword", true, 1),
            check("brgU:other", "ourPasswordOf24Characters", true, 2), check("xxxx:brws", "ourPasswordOf24Characters", true, 3)}) {
            assertEquals(IceLite.Verdict.REFUSED, ice.receive(bad, 0, bad.length, BROWSER, 5));
            StunMessage answer = StunMessage.parse(ice.answer(), 0, ice.answer().length);
            assertEquals(StunMessage.BINDING_ERROR, answer.type());
            assertArrayEquals(new byte[] {0, 0, 4, 1}, java.util.Arrays.copyOf(answer.attribute(StunMessage.ERROR_CODE), 4));
        }
        assertNull(ice.selected());
        assertFalse(ice.connected());
        byte[] response = new StunMessage.Builder(StunMessage.BINDING_SUCCESS, new byte[12]).build(null, true);
        assertEquals(IceLite.Verdict.DROPPED, ice.receive(response, 0, response.length, BROWSER, 5));
        assertNull(ice.answer());
        assertEquals(IceLite.Verdict.DROPPED, ice.receive(new byte[40], 0, 40, BROWSER, 5));
    }

    @Test
    void consentLapsesThirtySecondsAfterTheLastPassingCheck() {
        long s = TimeUnit.SECONDS.toNanos(1);
        assertFalse(ice.consentExpired(29 * s));
        assertTrue(ice.consentExpired(31 * s), "no check at all within 30 s of the start");
        byte[] request = check("brgU:brws", "ourPasswordOf24Characters", true, 1);
        ice.receive(request, 0, request.length, BROWSER, 31 * s);
        assertFalse(ice.consentExpired(60 * s));
        assertTrue(ice.consentExpired(62 * s));
        byte[] bad = check("brgU:brws", "wrong", true, 2);
        ice.receive(bad, 0, bad.length, BROWSER, 61 * s);
        assertTrue(ice.consentExpired(62 * s), "a failed check refreshes nothing");
    }

    @Test
    void freshCredentialsAreLongAndDiffer() {
        IceLite a = new IceLite("x", 0);
        IceLite b = new IceLite("x", 0);
        assertEquals(24, a.localPassword().length());
        assertTrue(a.localUfrag().length() >= 4);
        assertFalse(a.localPassword().equals(b.localPassword()));
    }
}
