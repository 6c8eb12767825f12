package org.confbridge.core.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * reload applies at once. The clock is injected: tests step it. With several nodes, counts and
 * blocks are also shared ({@link SharedGuessing}) and others' blocks applied here.
 * <p>
 * One file, over the usual length: every rule reads and writes the same per-source state under
 * its lock, and splitting the rules would spread that lock's discipline over several classes.
 * <p>
 * Memory is bounded: at most {@link #MAX_SOURCES} addresses are tracked; when full, addresses
 * with nothing left to remember are forgotten first, then the least recently seen. An IPv6
 * source counts as its /64.
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
    private volatile java.util.function.Consumer<List<String>> blockedListener = ids -> { };
    private volatile SharedGuessing shared = SharedGuessing.NONE;

    /** Shares counts and blocks with the other nodes. */
    public void share(SharedGuessing shared) {
        this.shared = shared;
    }

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
        int hop = callerHop(packetSource, viaHosts);
        return hop == 0 ? packetSource : IpLiteral.orNull(viaHosts.get(hop));
    }

    /**
     * Where a request's caller is, address and port: its packets' source, or below trusted proxies
     * the Via they name (its {@code received}/{@code rport}). What a page-mode MESSAGE must share
     * with its writer's INVITE.
     */
    public InetSocketAddress callerSocket(InetAddress packetSource, int packetPort, List<String> viaHosts,
                                          List<Integer> viaPorts) {
        int hop = callerHop(packetSource, viaHosts);
        return hop == 0 ? new InetSocketAddress(packetSource, packetPort)
                : new InetSocketAddress(IpLiteral.orNull(viaHosts.get(hop)), viaPorts.get(hop));
    }

    /**
     * Which hop is the caller: 0 for the packets' source; while that is a trusted proxy, the Via
     * below it, and so on. The walk stops at the first hop that is not trusted (the caller, or
     * whatever it claims below itself would be its own word) and at a Via that names a host
     * instead of an address.
     */
    private int callerHop(InetAddress packetSource, List<String> viaHosts) {
        int hop = 0;
        InetAddress address = packetSource;
        while (hop + 1 < viaHosts.size() && trusted(address)) {
            InetAddress below = IpLiteral.orNull(viaHosts.get(hop + 1));
            if (below == null) {
                break; // a host name in a Via: nothing to count but the proxy
            }
            hop++;
            address = below;
        }
        return hop;
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
     * Before a typed PIN or room number of the caller of {@code callId} is checked: false when its
     * source is blocked, or when its wrong entries in the window plus the entries its other calls
     * are having checked reach {@code security.pinFailuresPerSource}; however many calls a source
     * holds open, no more guesses are checked than that. True reserves one check, given back by
     * {@link #entryChecked}. Trusted sources are not limited.
     */
    public boolean mayCheckEntry(String callId) {
        Admitted a = calls.get(callId);
        if (a == null || a.source == null) {
            return true;
        }
        SecuritySettings s = settings.get();
        long now = millis.getAsLong();
        Source src = a.source;
        synchronized (src) {
            src.prune(now, s.pinFailureWindowMinutes() * 60_000L);
            if (src.blockedUntil > now || src.failures.size() + src.checking >= s.pinFailuresPerSource()) {
                return false;
            }
            src.checking++;
            return true;
        }
    }

    /** The check {@link #mayCheckEntry} reserved is done (a wrong entry was counted before). */
    public void entryChecked(String callId) {
        Admitted a = calls.get(callId);
        if (a != null && a.source != null) {
            synchronized (a.source) {
                a.source.checking = Math.max(0, a.source.checking - 1);
            }
        }
    }

    /** Who hears the calls of a source that was just blocked: they may still sit in a lobby. */
    public void onBlocked(java.util.function.Consumer<List<String>> listener) {
        this.blockedListener = listener;
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
        boolean blockedNow = false;
        synchronized (src) {
            src.failures.addLast(now);
            while (src.failures.size() > MAX_FAILURES_KEPT) {
                src.failures.removeFirst();
            }
            src.prune(now, window);
            if (src.failures.size() >= s.pinFailuresPerSource() && src.blockedUntil <= now) {
                src.blockedUntil = now + s.blockMinutes() * 60_000L;
                shared.blocked(shown(counted(a.address)), src.blockedUntil);
                log.warn("security: {} blocked for {} min after {} wrong PINs or room numbers in {} min",
                        a.address.getHostAddress(), s.blockMinutes(), src.failures.size(), s.pinFailureWindowMinutes());
                metrics.blocked();
                blockedNow = true;
            }
        }
        if (!blockedNow) {
            shared.wrongEntry(shown(counted(a.address)), s.pinFailuresPerSource(), window, s.blockMinutes() * 60_000L);
        }
        if (blockedNow) {
            blockedListener.accept(callsOf(src));
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

    /**
     * Another node blocked {@code address} (as {@link #blocked} shows it) until {@code untilMillis}:
     * refused here too. Returns whether that was news.
     */
    public boolean blockedElsewhere(String address, long untilMillis) {
        InetAddress ip = shownAddress(address);
        long now = millis.getAsLong();
        if (ip == null || untilMillis <= now) {
            return false;
        }
        Source src = source(ip, now);
        synchronized (src) {
            if (src.blockedUntil >= untilMillis) {
                return false;
            }
            src.blockedUntil = untilMillis;
        }
        log.warn("security: {} blocked until {}, as another node blocked it", address, Instant.ofEpochMilli(untilMillis));
        metrics.blocked();
        blockedListener.accept(callsOf(src));
        return true;
    }

    /** Another node's admin lifted the block of {@code address}: lifted here, without telling the others again. */
    public void unblockedElsewhere(String address) {
        InetAddress ip = shownAddress(address);
        Source src = ip == null ? null : sources.get(counted(ip));
        if (src != null) {
            synchronized (src) {
                if (src.blockedUntil > millis.getAsLong()) {
                    log.info("security: block of {} lifted on another node", address);
                }
                src.blockedUntil = 0;
                src.failures.clear();
            }
        }
    }

    /** The calls admitted from {@code src}, by Call-ID. */
    private List<String> callsOf(Source src) {
        List<String> out = new ArrayList<>();
        calls.forEach((id, admitted) -> {
            if (admitted.source == src) {
                out.add(id);
            }
        });
        return out;
    }

    /** An address as {@link #blocked} shows it (IPv6 as its /64), back as an address; null when it is none. */
    private static InetAddress shownAddress(String address) {
        return IpLiteral.orNull(address.endsWith("/64") ? address.substring(0, address.length() - 3) : address);
    }

    /** Addresses refused for guessing right now, the longest-blocked first. */
    public List<Blocked> blocked() {
        long now = millis.getAsLong();
        List<Blocked> out = new ArrayList<>();
        sources.forEach((address, src) -> {
            synchronized (src) {
                if (src.blockedUntil > now) {
                    out.add(new Blocked(shown(address), Instant.ofEpochMilli(src.blockedUntil).toString(),
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
        InetAddress ip = shownAddress(address);
        Source src = ip == null ? null : sources.get(counted(ip));
        if (src == null) {
            return false;
        }
        synchronized (src) {
            boolean was = src.blockedUntil > millis.getAsLong();
            src.blockedUntil = 0;
            src.failures.clear();
            if (was) {
                log.info("security: block of {} lifted by the admin API", ip.getHostAddress());
                shared.unblocked(shown(counted(ip)));
            }
            return was;
        }
    }

    /**
     * The state of {@code address} (an IPv6 address counts as its /64: one host holds a whole
     * /64), created if need be. A full table first forgets idle addresses, then the one seen
     * least recently (one not blocked, while there is one): a flood of new sources costs the
     * oldest entries, never the service of every new caller.
     */
    private Source source(InetAddress address, long now) {
        InetAddress key = counted(address);
        Source src = sources.get(key);
        if (src != null) {
            src.seen = now;
            return src;
        }
        if (sources.size() >= MAX_SOURCES) {
            forgetIdle(now);
            if (sources.size() >= MAX_SOURCES) {
                evictLeastRecent(now);
            }
        }
        Source made = sources.computeIfAbsent(key, a -> new Source(settings.get().callBurstPerSource(), now));
        made.seen = now;
        return made;
    }

    /** The address limits count under: itself, or for IPv6 its /64. */
    static InetAddress counted(InetAddress address) {
        if (!(address instanceof java.net.Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        java.util.Arrays.fill(b, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes are always an address
        }
    }

    /** How a counted address is shown: IPv6 as its /64. */
    private static String shown(InetAddress key) {
        return key instanceof java.net.Inet6Address ? key.getHostAddress() + "/64" : key.getHostAddress();
    }

    private void evictLeastRecent(long now) {
        Map.Entry<InetAddress, Source> oldest = null;
        boolean oldestBlocked = true;
        for (Map.Entry<InetAddress, Source> e : sources.entrySet()) {
            Source src = e.getValue();
            boolean blocked = src.blockedUntil > now;
            if (oldest == null || (oldestBlocked && !blocked)
                    || (blocked == oldestBlocked && src.seen < oldest.getValue().seen)) {
                oldest = e;
                oldestBlocked = blocked;
            }
        }
        if (oldest != null) {
            sources.remove(oldest.getKey(), oldest.getValue());
            metrics.evicted();
        }
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
        /** When a call last came from here: the least recent goes first from a full table. */
        volatile long seen;
        /** Entries of this source's calls being checked right now (reserved, not yet counted). */
        int checking;
        long blockedUntil;
        final ArrayDeque<Long> failures = new ArrayDeque<>();

        Source(int burst, long now) {
            tokens = burst;
            refilled = now;
        }

        /** Forgets wrong entries older than the window. */
        void prune(long now, long window) {
            while (!failures.isEmpty() && now - failures.peekFirst() > window) {
                failures.removeFirst();
            }
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
