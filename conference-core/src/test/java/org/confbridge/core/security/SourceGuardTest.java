package org.confbridge.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.confbridge.config.AddressBlock;
import org.confbridge.config.IpLiteral;
import org.confbridge.config.SecuritySettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SourceGuardTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicReference<SecuritySettings> settings = new AtomicReference<>(
            settings(List.of(), 10, 15, 15, 5, 20, 50, 4000));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SourceGuard guard;
    private int callNo;

    @BeforeEach
    void setUp() {
        SecurityMetrics metrics = new SecurityMetrics();
        guard = new SourceGuard(settings::get, now::get, metrics);
        metrics.blockedSources(guard::blockedCount);
        metrics.bindTo(registry);
    }

    @Test
    void guessingAddressIsBlockedForAWhileAndOthersAreNot() {
        InetAddress guesser = ip("127.0.0.3");
        for (int call = 0; call < 4; call++) {
            String id = admit(guesser);
            for (int attempt = 0; attempt < 3 && guard.blocked().isEmpty(); attempt++) {
                guard.wrongEntry(id, "1000");
            }
            guard.callEnded(id);
            now.addAndGet(2_000);
        }
        assertEquals(1, guard.blockedCount());
        assertEquals("127.0.0.3", guard.blocked().get(0).address());
        assertEquals(403, guard.admitCall("x", guesser).status());
        assertTrue(guard.admitCall("y", ip("127.0.0.4")).admitted());
        assertEquals(1.0, registry.get(SecurityMetrics.BLOCKED_SOURCES).gauge().value());

        now.addAndGet(15 * 60_000L); // the block ends
        assertTrue(guard.admitCall("z", guesser).admitted());
        assertEquals(0, guard.blockedCount());
    }

    @Test
    void wrongEntriesOutsideTheWindowDoNotAddUp() {
        InetAddress caller = ip("127.0.0.5");
        for (int i = 0; i < 20; i++) {
            String id = admit(caller);
            guard.wrongEntry(id, "1000");
            guard.callEnded(id);
            now.addAndGet(2 * 60_000L); // one typo every two minutes: 7-8 within any 15 minutes
        }
        assertEquals(0, guard.blockedCount());
    }

    @Test
    void callRateAboveTheBurstGets503WithRetryAfterAndRecovers() {
        InetAddress dialer = ip("127.0.0.6");
        for (int i = 0; i < 20; i++) {
            guard.callEnded(admit(dialer));
        }
        SourceGuard.Verdict v = guard.admitCall("over", dialer);
        assertEquals(503, v.status());
        assertTrue(v.retryAfterSeconds() >= 1, v.toString());
        now.addAndGet(1_000); // five calls' worth of tokens
        for (int i = 0; i < 5; i++) {
            guard.callEnded(admit(dialer));
        }
        assertEquals(503, guard.admitCall("over2", dialer).status());
    }

    @Test
    void concurrentCallsPerSourceAndGloballyAreBounded() {
        settings.set(settings(List.of(), 10, 15, 15, 1000, 1000, 3, 5));
        InetAddress a = ip("127.0.0.7");
        admit(a);
        admit(a);
        String third = admit(a);
        assertEquals(503, guard.admitCall("a4", a).status());
        guard.callEnded(third);
        admit(a);
        admit(ip("127.0.0.8"));
        admit(ip("127.0.0.9"));
        SourceGuard.Verdict full = guard.admitCall("global", ip("127.0.0.10"));
        assertEquals(503, full.status());
        assertTrue(full.reason().contains("call limit"), full.reason());
    }

    @Test
    void trustedSourcesAreExemptAndCallersBehindATrustedProxyCountThemselves() {
        settings.set(settings(List.of(AddressBlock.parse("10.0.0.0/8")), 2, 15, 15, 1, 1, 1, 4000));
        InetAddress proxy = ip("10.0.0.1");
        for (int i = 0; i < 10; i++) {
            String id = admit(proxy); // beyond rate, burst and concurrency: exempt
            guard.wrongEntry(id, "1000");
        }
        assertEquals(0, guard.blockedCount());

        InetAddress behind = guard.callerAddress(proxy, List.of("10.0.0.1", "192.0.2.44"));
        assertEquals(ip("192.0.2.44"), behind);
        assertEquals(proxy, guard.callerAddress(proxy, List.of("10.0.0.1", "phone.example.com")));
        assertEquals(ip("203.0.113.1"), guard.callerAddress(ip("203.0.113.1"), List.of("203.0.113.1", "10.0.0.9")));
        String id = admit(behind);
        guard.wrongEntry(id, "1000");
        guard.wrongEntry(id, "1000");
        assertEquals("192.0.2.44", guard.blocked().get(0).address());
    }

    @Test
    void distributedGuessingOnOneRoomIsCounted() {
        settings.set(new SecuritySettings(List.of(), 10, 15, 15, 5, 5, 20, 50, 4000));
        for (int i = 0; i < 6; i++) {
            String id = admit(ip("198.51.100." + (i + 1)));
            guard.wrongEntry(id, "2000");
        }
        assertEquals(1.0, registry.get(SecurityMetrics.DISTRIBUTED_GUESSING).counter().count());
        assertEquals(0, guard.blockedCount());
    }

    @Test
    void anAdminLiftsABlock() {
        settings.set(settings(List.of(), 1, 15, 15, 5, 20, 50, 4000));
        InetAddress a = ip("127.0.0.11");
        guard.wrongEntry(admit(a), "1000");
        assertEquals(403, guard.admitCall("again", a).status());
        assertTrue(guard.unblock("127.0.0.11"));
        assertFalse(guard.unblock("127.0.0.11"));
        assertFalse(guard.unblock("not-an-address"));
        assertTrue(guard.admitCall("again2", a).admitted());
    }

    @Test
    void aGuesserHoldingTwentyCallsOpenHasNoMoreGuessesCheckedThanTheLimit() {
        settings.set(settings(List.of(), 10, 15, 15, 1000, 1000, 50, 4000));
        InetAddress guesser = ip("127.0.0.12");
        List<String> blockedCalls = new java.util.ArrayList<>();
        guard.onBlocked(blockedCalls::addAll);
        List<String> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(admit(guesser));
        }
        int checked = 0;
        for (int round = 0; round < 3; round++) {
            // Every call types its PIN at once: each asks before its entry is checked.
            List<String> reserved = new java.util.ArrayList<>();
            for (String id : calls) {
                if (guard.mayCheckEntry(id)) {
                    reserved.add(id);
                }
            }
            for (String id : reserved) {
                guard.wrongEntry(id, "1000");
                guard.entryChecked(id);
                checked++;
            }
        }
        assertEquals(10, checked, "20 calls times 3 PINs, and only security.pinFailuresPerSource of them checked");
        assertEquals(1, guard.blockedCount());
        assertEquals(new java.util.HashSet<>(calls), new java.util.HashSet<>(blockedCalls),
                "every call of the blocked source is told, to hear goodbye in its lobby");
        assertFalse(guard.mayCheckEntry(calls.get(0)), "nothing typed after the block is checked");
        assertTrue(guard.mayCheckEntry(admit(ip("127.0.0.13"))), "another address guesses on");
    }

    @Test
    void aRightPinGivesItsCheckBackAndAWrongOneCounts() {
        settings.set(settings(List.of(), 2, 15, 15, 1000, 1000, 50, 4000));
        String id = admit(ip("127.0.0.14"));
        for (int i = 0; i < 5; i++) {
            assertTrue(guard.mayCheckEntry(id));
            guard.entryChecked(id); // right: nothing counted
        }
        assertTrue(guard.mayCheckEntry(id));
        assertTrue(guard.mayCheckEntry(id));
        assertFalse(guard.mayCheckEntry(id), "two checks in hand use up a limit of two");
        guard.wrongEntry(id, "1000");
        guard.entryChecked(id);
        guard.entryChecked(id);
        assertTrue(guard.mayCheckEntry(id), "one wrong of two");
    }

    @Test
    void anIpv6SourceCountsAsItsSlash64() {
        settings.set(settings(List.of(), 2, 15, 15, 1000, 1000, 50, 4000));
        guard.wrongEntry(admit(ip("2001:db8:1:2::a")), "1000");
        guard.wrongEntry(admit(ip("2001:db8:1:2:ffff::b")), "1000");
        assertEquals("2001:db8:1:2:0:0:0:0/64", guard.blocked().get(0).address());
        assertEquals(403, guard.admitCall("same-64", ip("2001:db8:1:2::77")).status());
        assertTrue(guard.admitCall("other-64", ip("2001:db8:1:3::a")).admitted());
        assertTrue(guard.unblock("2001:db8:1:2:0:0:0:0/64"));
    }

    @Test
    void aFullTableForgetsTheLeastRecentSourceInsteadOfRefusingNewOnes() {
        settings.set(settings(List.of(), 10, 15, 15, 1000, 1000, 50, 1_000_000));
        InetAddress blockedOne = ip("10.9.9.9");
        settings.set(settings(List.of(), 1, 15, 15, 1000, 1000, 50, 1_000_000));
        guard.wrongEntry(admit(blockedOne), "1000");
        for (int i = 0; i < SourceGuard.MAX_SOURCES + 10; i++) {
            now.incrementAndGet();
            String id = "fill-" + i;
            SourceGuard.Verdict v = guard.admitCall(id, ip("10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "." + (i & 0xFF)));
            assertTrue(v.admitted(), "source " + i + ": " + v); // each holds a call: nothing idle to forget
        }
        assertEquals(403, guard.admitCall("still", blockedOne).status(), "a blocked source is the last to go");
        assertTrue(registry.get(SecurityMetrics.SOURCES_EVICTED).counter().count() >= 10);
    }

    @Test
    void theViaWalkStopsAtTheFirstHopThatIsNotTrustedAndKeepsItsPort() {
        settings.set(settings(List.of(AddressBlock.parse("10.0.0.0/8")), 2, 15, 15, 1, 1, 1, 4000));
        InetAddress proxy = ip("10.0.0.1");
        // The caller 192.0.2.44 wrote a trusted address below its own Via: its own word, not taken.
        assertEquals(ip("192.0.2.44"), guard.callerAddress(proxy, List.of("10.0.0.1", "192.0.2.44", "10.0.0.2")));
        assertEquals(new java.net.InetSocketAddress(ip("192.0.2.44"), 5062), guard.callerSocket(proxy, 5060,
                List.of("10.0.0.1", "192.0.2.44", "10.0.0.2"), List.of(5060, 5062, 5060)));
        assertEquals(new java.net.InetSocketAddress(ip("203.0.113.9"), 40000), guard.callerSocket(ip("203.0.113.9"), 40000,
                List.of("10.0.0.7"), List.of(5060)), "no trusted proxy: the packets' own source and port");
    }

    private String admit(InetAddress source) {
        String id = "call-" + callNo++;
        SourceGuard.Verdict v = guard.admitCall(id, source);
        assertTrue(v.admitted(), v.toString());
        return id;
    }

    private static SecuritySettings settings(List<AddressBlock> trusted, int failures, int window, int block,
                                             int rate, int burst, int perSource, int max) {
        return new SecuritySettings(trusted, failures, window, block, 50, rate, burst, perSource, max);
    }

    private static InetAddress ip(String s) {
        return IpLiteral.parse(s);
    }
}
