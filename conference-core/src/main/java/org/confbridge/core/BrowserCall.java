package org.confbridge.core;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.confbridge.sip.CallHandle;
import org.confbridge.sip.SignallingOrigin;

/**
 * A browser in a room, joined from a link: its "call" is the join session the page holds (WebRTC,
 * signalled over HTTP). Hanging up ends the session and the leg; the page notices as its checks
 * go unanswered.
 */
final class BrowserCall implements CallHandle {
    private final String session;
    private final String token;
    private final String displayName;
    private final SignallingOrigin origin;
    private final Consumer<BrowserCall> ended;
    private final AtomicBoolean over = new AtomicBoolean();

    BrowserCall(String session, String token, String displayName, InetAddress page, Consumer<BrowserCall> ended) {
        this.session = session;
        this.token = token;
        this.displayName = displayName == null ? "" : displayName;
        this.origin = new SignallingOrigin(page, 0, List.of(), List.of());
        this.ended = ended;
    }

    /** The join session's id: the last part of its {@code Location}. */
    String session() {
        return session;
    }

    /** The join link the session came through. */
    String token() {
        return token;
    }

    @Override
    public String callId() {
        return "webrtc-" + session;
    }

    @Override
    public String callerUri() {
        return "webrtc:" + session;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public String transport() {
        return "webrtc";
    }

    @Override
    public SignallingOrigin origin() {
        return origin;
    }

    /** Ends the session once, whoever asks first (the page's DELETE, a kick, consent lost). */
    @Override
    public void hangup() {
        if (over.compareAndSet(false, true)) {
            ended.accept(this);
        }
    }

    boolean over() {
        return over.get();
    }

    @Override
    public String toString() {
        return "browser " + session;
    }
}
