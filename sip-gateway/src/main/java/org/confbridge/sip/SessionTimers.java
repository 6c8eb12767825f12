package org.confbridge.sip;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running session timers (RFC 4028): for each call with one, either our next refresh or the
 * moment a caller that should refresh is given up on, its call ended with a BYE. A dead call from
 * a vanished trunk is cleaned up this way even where no media timeout would notice (a call on hold).
 */
final class SessionTimers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionTimers.class);

    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sip-session-timers");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ScheduledFuture<?>> due = new ConcurrentHashMap<>();
    private final CallTermination calls;
    private final Consumer<SipCall> refresh;

    /** {@code refresh} sends our refresh of a call (a re-INVITE with the current session). */
    SessionTimers(CallTermination calls, Consumer<SipCall> refresh) {
        this.calls = calls;
        this.refresh = refresh;
    }

    /** The call's interval starts now: after a 2xx to the INVITE, or a refresh either way. */
    void restart(SipCall call) {
        SessionTimerPolicy.Timer t = call.sessionTimer();
        if (t == null || call.state() == SipCall.State.ENDED) {
            return;
        }
        long delay = t.weRefresh() ? t.refreshAfterMillis() : t.expireAfterMillis();
        ScheduledFuture<?> next = clock.schedule(() -> fire(call, t), delay, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> old = due.put(call.callId(), next);
        if (old != null) {
            old.cancel(false);
        }
    }

    private void fire(SipCall call, SessionTimerPolicy.Timer t) {
        due.remove(call.callId());
        if (call.state() == SipCall.State.ENDED) {
            return;
        }
        if (t.weRefresh()) {
            refresh.accept(call);
        } else {
            log.info("call {}: no session refresh within {} s: ending it", call.callId(), t.seconds());
            calls.sendBye(call, "session expired");
        }
    }

    /** Our refresh failed (an error response, or none): the session is over. */
    void refreshFailed(SipCall call, String why) {
        log.info("call {}: session refresh failed ({}): ending it", call.callId(), why);
        calls.sendBye(call, "session refresh failed");
    }

    void ended(SipCall call) {
        ScheduledFuture<?> f = due.remove(call.callId());
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
