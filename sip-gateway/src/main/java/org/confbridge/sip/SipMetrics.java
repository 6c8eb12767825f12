package org.confbridge.sip;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.IntSupplier;

/** Meters of the SIP gateway; names declared once here. */
public final class SipMetrics implements MeterBinder {
    public static final String REQUESTS = "bridge.sip.requests";
    public static final String CALL_RESULTS = "bridge.sip.invite.results";
    public static final String CALLS_ACTIVE = "bridge.sip.calls.active";
    public static final String DTMF_DIGITS = "bridge.dtmf.digits";
    public static final String REQUESTS_REJECTED = "bridge.sip.requests.rejected";
    /** Reasons of {@link #REQUESTS_REJECTED}, registered up front so that they show as 0. */
    private static final String[] REJECT_REASONS = {"too-large", "unparseable", "missing-header", "bad-header",
            "bad-request", "unhandled", "tcp-connections", "tls-connections", "not-in-dialog", "chat-refused"};

    private IntSupplier activeCalls = () -> 0;
    private MeterRegistry registry;
    private Counter infoDigits;

    /** What the active-calls gauge reads; set before {@link #bindTo}. */
    void activeCalls(IntSupplier supplier) {
        this.activeCalls = supplier;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(CALLS_ACTIVE, activeCalls, IntSupplier::getAsInt).description("SIP calls in progress")
                .register(registry);
        for (String reason : REJECT_REASONS) {
            io.micrometer.core.instrument.FunctionCounter.builder(REQUESTS_REJECTED, InputErrors.counts(),
                            counts -> counts.containsKey(reason) ? counts.get(reason).sum() : 0)
                    .tag("reason", reason).description("SIP messages refused as malformed or oversized")
                    .register(registry);
        }
        infoDigits = Counter.builder(DTMF_DIGITS).tag("method", "sip-info").description("key presses received")
                .register(registry);
    }

    /** Methods counted by name; anything else (a peer may send any token) is "other", so the tags stay few. */
    private static final java.util.Set<String> KNOWN_METHODS = java.util.Set.of("INVITE", "ACK", "BYE", "CANCEL",
            "OPTIONS", "INFO", "REGISTER", "SUBSCRIBE", "NOTIFY", "MESSAGE", "UPDATE", "PRACK", "REFER", "PUBLISH");

    void request(String method) {
        registry.counter(REQUESTS, "method", KNOWN_METHODS.contains(method) ? method : "other").increment();
    }

    /** Final answer to an INVITE, by status code. */
    void callResult(int status) {
        registry.counter(CALL_RESULTS, "status", Integer.toString(status)).increment();
    }

    void infoDigit() {
        infoDigits.increment();
    }
}
