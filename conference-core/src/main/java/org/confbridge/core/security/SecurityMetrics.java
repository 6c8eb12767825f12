package org.confbridge.core.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.IntSupplier;

/** Meters of the per-source limits; names declared here. Usable unbound (tests): counts go nowhere. */
public final class SecurityMetrics implements MeterBinder {
    public static final String CALLS_REFUSED = "bridge.security.calls.refused";
    public static final String BLOCKS = "bridge.security.blocks";
    public static final String BLOCKED_SOURCES = "bridge.security.blocked.sources";
    public static final String DISTRIBUTED_GUESSING = "bridge.security.distributed.guessing";
    public static final String SOURCES_EVICTED = "bridge.security.sources.evicted";

    private volatile MeterRegistry registry;
    private volatile IntSupplier blockedSources = () -> 0;

    /** What the blocked-sources gauge reads; set before {@link #bindTo}. */
    public void blockedSources(IntSupplier supplier) {
        this.blockedSources = supplier;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        this.registry = r;
        Gauge.builder(BLOCKED_SOURCES, () -> blockedSources.getAsInt())
                .description("addresses refused for guessing PINs or room numbers").register(r);
        for (String reason : new String[] {"blocked", "rate", "concurrent", "max-calls"}) {
            Counter.builder(CALLS_REFUSED).tag("reason", reason).description("new calls refused by a limit").register(r);
        }
        Counter.builder(BLOCKS).description("addresses blocked for guessing").register(r);
        Counter.builder(DISTRIBUTED_GUESSING).description("rooms with wrong PINs from many addresses").register(r);
        Counter.builder(SOURCES_EVICTED).description("addresses forgotten early because the source table was full")
                .register(r);
    }

    void refused(String reason) {
        MeterRegistry r = registry;
        if (r != null) {
            r.counter(CALLS_REFUSED, "reason", reason).increment();
        }
    }

    void blocked() {
        MeterRegistry r = registry;
        if (r != null) {
            r.counter(BLOCKS).increment();
        }
    }

    void evicted() {
        MeterRegistry r = registry;
        if (r != null) {
            r.counter(SOURCES_EVICTED).increment();
        }
    }

    void distributedGuessing() {
        MeterRegistry r = registry;
        if (r != null) {
            r.counter(DISTRIBUTED_GUESSING).increment();
        }
    }
}
