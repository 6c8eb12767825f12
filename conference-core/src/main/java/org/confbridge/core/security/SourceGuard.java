package org.confbridge.core.security;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.confbridge.config.AddressBlock;
import org.confbridge.config.IpLiteral;
import org.confbridge.config.SecuritySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits per source address on calls: a token bucket for the call rate, a count of concurrent
 * calls, and a window of wrong PINs and room numbers that blocks a guessing address for a while.
 * Trusted sources (trunks, a proxy in front) are exempt; behind a trusted proxy the caller's own
 * address is counted, as the proxy's Via reports it. Settings are read at every decision, so a
 * reload applies at once. The clock is injected: tests step it.
 * <p>
 * Memory is bounded: at most {@link #MAX_SOURCES} addresses are tracked; when full, addresses
 * with nothing left to remember are forgotten first, and a new address that still finds no room is
 * refused like one over its rate.
 */
public final class SourceGuard {
    private static final Logger log = LoggerFactory.getLogger(SourceGuard.class);
    static final int MAX_SOURCES = 100_000;
    /** Wrong entries remembered per address: more than any sensible threshold. */
    private static final int MAX_FAILURES_KEPT = 1000;

    /** The answer to a new call: {@code status} 0 admits. */
    public record Verdict(int status, String reason, int retryAfterSeconds) {
        public static final Verdict ADMIT = new Verdict(0, "", 0);

        public boolean admitted() {
            return status == 0;
        }
    }

    /** A blocked address as the API lists it; {@code until} in UTC ISO-8601. */
    public record Blocked(String address, String until, int failures) {
    }

    private final Supplier<SecuritySettings> settings;
    private final LongSupplier millis;
    private final Map<InetAddress, Source> sources = new ConcurrentHashMap<>();
    private final Map<String, Admitted> calls = new ConcurrentHashMap<>();
    private final Map<String, RoomWindow> rooms = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final SecurityMetrics metrics;

    public SourceGuard(Supplier<SecuritySettings> settings, LongSupplier millis, SecurityMetrics metrics) {
        this.settings = settings;
        this.millis = millis;
        this.metrics = metrics;
    }

    /**
     * The address a call is counted under: its packets' source, or, while that is a trusted
     * proxy, the address the Via below it names (its {@code received}, else its host).
     *
     * @param viaHosts the request's Vias from the top, each as its received parameter or host
     */
    public InetAddress callerAddress(InetAddress packetSource, List<String> viaHosts) {
        InetAddress address = packetSource;
        for (int i = 1; i < viaHosts.size() && trusted(address); i++) {
            InetAddress below = IpLiteral.orNull(viaHosts.get(i));
            if (below == null) {
                break; // a host name in a Via: nothing to count but the proxy
            }
            address = below;
        }
        return address;
    }

    /** Decides on a new call from {@code source}; an admitted call counts until {@link #callEnded}. */
    public Verdict admitCall(String callId, InetAddress source) {
        Verdict v = screen(source);
        if (v.admitted()) {
            callStarted(callId, source);
        }
        return v;
    }

    /**
     * The cheap first look at a new call, before anything is parsed or logged for it: blocked,
     * over the rate (a call that passes takes its token), or over a concurrency limit.
     */
    public Verdict screen(InetAddress source) {
        SecuritySettings s = settings.get();
        if (active.get() >= s.maxCalls()) {
            metrics.refused("max-calls");
            return new Verdict(503, "Service Unavailable (bridge at its call limit)", 5);
        }
        if (trusted(source)) {
            return Verdict.ADMIT;
        }
        long now = millis.getAsLong();
        Source src = source(source, now);
        if (src == null) {
            metrics.refused("rate");
            return new Verdict(503, "Service Unavailable (too many sources)", 5);
        }
        synchronized (src) {
            if (src.blockedUntil > now) {
                metrics.refused("blocked");
                return new Verdict(403, "Forbidden (too many wrong entries from this address)", 0);
            }
            if (src.active >= s.maxCallsPerSource()) {
                metrics.refused("concurrent");
                return new Verdict(503, "Service Unavailable (too many calls from this address)", 10);
            }
            src.refill(now, s.callsPerSecondPerSource(), s.callBurstPerSource());
            if (src.tokens < 1) {
                metrics.refused("rate");
                int wait = (int) Math.ceil((1 - src.tokens) / s.callsPerSecondPerSource());
                return new Verdict(503, "Service Unavailable (call rate from this address)", Math.max(1, wait));
            }
            src.tokens -= 1;
        }
        return Verdict.ADMIT;
    }

    /** Whether the bridge takes one more call of any kind ({@code sip.maxCalls}): a dial-out asks first. */
    public boolean roomForOneMore() {
        return active.get() < settings.get().maxCalls();
    }

    /** A screened call is being set up (a dial-out: {@code source} null, it counts in all only): it counts against its source until {@link #callEnded}. */
    public void callStarted(String callId, InetAddress source) {
        Source src = source == null || trusted(source) ? null : source(source, millis.getAsLong());
        if (src != null) {
            synchronized (src) {
                src.active++;
            }
        }
        calls.put(callId, new Admitted(source, src));
        active.incrementAndGet();
    }

    /** The call is over (whatever the reason); safe for calls never admitted. */
    public void callEnded(String callId) {
        Admitted a = calls.remove(callId);
        if (a == null) {
            return;
        }
        active.decrementAndGet();
        if (a.source != null) {
            synchronized (a.source) {
                a.source.active--;
            }
        }
    }

    /**
     * A wrong PIN or room number (or a call to a room that does not exist) from the caller of
     * {@code callId}: counted for its address, and for the room across all addresses.
     */
    public void wrongEntry(String callId, String room) {
        SecuritySettings s = settings.get();
        long now = millis.getAsLong();
        long window = s.pinFailureWindowMinutes() * 60_000L;
        countForRoom(room, now, window, s.pinFailuresPerRoom());
        Admitted a = calls.get(callId);
        if (a == null || a.source == null) {
            return; // trusted, or already gone
        }
        Source src = a.source;
        synchronized (src) {
            src.failures.addLast(now);
            while (src.failures.size() > MAX_FAILURES_KEPT || now - src.failures.peekFirst() > window) {
                src.failures.removeFirst();
            }
            if (src.failures.size() >= s.pinFailuresPerSource() && src.blockedUntil <= now) {
                src.blockedUntil = now + s.blockMinutes() * 60_000L;
                log.warn("security: {} blocked for {} min after {} wrong PINs or room numbers in {} min",
                        a.address.getHostAddress(), s.blockMinutes(), src.failures.size(), s.pinFailureWindowMinutes());
                metrics.blocked();
            }
        }
    }

    private void countForRoom(String room, long now, long window, int threshold) {
        RoomWindow w = rooms.computeIfAbsent(room, r -> new RoomWindow());
        synchronized (w) {
            w.failures.addLast(now);
            while (w.failures.size() > Math.max(threshold, 1) * 2 || now - w.failures.peekFirst() > window) {
                w.failures.removeFirst();
            }
            if (w.failures.size() >= threshold && now - w.lastAlert > window) {
                w.lastAlert = now;
                metrics.distributedGuessing();
                log.warn("security: room {} had {} wrong PINs within {} min from all addresses: distributed guessing?",
                        room, w.failures.size(), window / 60_000);
            }
        }
    }

    /** Addresses refused for guessing right now, the longest-blocked first. */
    public List<Blocked> blocked() {
        long now = millis.getAsLong();
        List<Blocked> out = new ArrayList<>();
        sources.forEach((address, src) -> {
            synchronized (src) {
                if (src.blockedUntil > now) {
                    out.add(new Blocked(address.getHostAddress(), Instant.ofEpochMilli(src.blockedUntil).toString(),
                            src.failures.size()));
                }
            }
        });
        out.sort(Comparator.comparing(Blocked::until).reversed());
        return out;
    }

    public int blockedCount() {
        return blocked().size();
    }

    /** Lifts a block (and forgets the address's wrong entries); false when it was not blocked. */
    public boolean unblock(String address) {
        InetAddress ip = IpLiteral.orNull(address);
        Source src = ip == null ? null : sources.get(ip);
        if (src == null) {
            return false;
        }
        synchronized (src) {
            boolean was = src.blockedUntil > millis.getAsLong();
            src.blockedUntil = 0;
            src.failures.clear();
            if (was) {
                log.info("security: block of {} lifted by the admin API", ip.getHostAddress());
            }
            return was;
        }
    }

    /** The state of {@code address}, created if there is room for it; null when the table is full. */
    private Source source(InetAddress address, long now) {
        Source src = sources.get(address);
        if (src != null) {
            return src;
        }
        if (sources.size() >= MAX_SOURCES) {
            forgetIdle(now);
            if (sources.size() >= MAX_SOURCES) {
                return null;
            }
        }
        return sources.computeIfAbsent(address, a -> new Source(settings.get().callBurstPerSource(), now));
    }

    /** Forgets addresses with no call, no block and no wrong entry within the window. */
    private void forgetIdle(long now) {
        long window = settings.get().pinFailureWindowMinutes() * 60_000L;
        for (Iterator<Source> it = sources.values().iterator(); it.hasNext(); ) {
            Source src = it.next();
            synchronized (src) {
                boolean recentFailure = !src.failures.isEmpty() && now - src.failures.peekLast() <= window;
                if (src.active == 0 && src.blockedUntil <= now && !recentFailure) {
                    it.remove();
                }
            }
        }
    }

    private boolean trusted(InetAddress address) {
        for (AddressBlock b : settings.get().trustedSources()) {
            if (b.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** One address's state; guarded by its own monitor. */
    private static final class Source {
        double tokens;
        long refilled;
        int active;
        long blockedUntil;
        final ArrayDeque<Long> failures = new ArrayDeque<>();

        Source(int burst, long now) {
            tokens = burst;
            refilled = now;
        }

        void refill(long now, int perSecond, int burst) {
            tokens = Math.min(burst, tokens + (now - refilled) * perSecond / 1000.0);
            refilled = now;
        }
    }

    private static final class RoomWindow {
        final ArrayDeque<Long> failures = new ArrayDeque<>();
        long lastAlert = Long.MIN_VALUE / 2;
    }

    private record Admitted(InetAddress address, Source source) {
    }
}
