package org.confbridge.core.room;

import org.confbridge.core.admission.KeyPressFilter;
import org.confbridge.media.room.MediaLeg;
import org.confbridge.media.room.ReservedSockets;
import org.confbridge.sip.CallHandle;
import org.confbridge.sip.SipCall;
import org.confbridge.sip.sdp.SdesKeys;

/**
 * A call as conference-core tracks it: at the dial-in prompt ({@link DialIn}) or in a room
 * ({@link Caller}). Key presses from every method come in here and count once.
 */
public abstract class Party {
    private final String legId;
    private final CallHandle call;
    private final KeyPressFilter keys = new KeyPressFilter();
    /** Set once the leg's media is up; read from SIP and HTTP threads too. */
    volatile MediaLeg leg;
    /** A late offer's sockets, bound before the answer came; null otherwise, and once the leg exists. */
    private volatile ReservedSockets reserved;
    /** The SRTP keys the leg runs on (null: plain RTP); a re-offer with new ones re-keys it. */
    private volatile SdesKeys srtpKeys;

    Party(String legId, CallHandle call) {
        this.legId = legId;
        this.call = call;
        this.srtpKeys = call.media() == null ? null : call.media().srtp();
    }

    /** Sockets reserved for a late offer's leg. */
    public final void reserved(ReservedSockets sockets) {
        this.reserved = sockets;
    }

    /** Takes the reserved sockets (once): to open the leg on, or to release. */
    public final ReservedSockets takeReserved() {
        ReservedSockets r = reserved;
        reserved = null;
        return r;
    }

    /** The SRTP keys the leg runs on, or null. */
    public final SdesKeys keys() {
        return srtpKeys;
    }

    /** The leg was re-keyed. */
    public final void keys(SdesKeys now) {
        this.srtpKeys = now;
    }

    public final String legId() {
        return legId;
    }

    public final CallHandle call() {
        return call;
    }

    public final MediaLeg leg() {
        return leg;
    }

    /** A key press by any method; the same press by two methods counts once. Runs on the leg's loop. */
    public final void key(char key, KeyPressFilter.Method method, long now) {
        if (keys.accept(key, method, now)) {
            onKey(key, now);
        }
    }

    /** A new key press. */
    abstract void onKey(char key, long now);

    /** The private prompt ended; runs on the leg's loop. */
    public abstract void promptFinished(long now);

    /**
     * The caller's source was just blocked for guessing: a caller still asked for a PIN or room
     * number hears goodbye and is hung up, and nothing it typed is checked. Runs on its loop.
     */
    public abstract void sourceBlocked(long now);

    /** Runs {@code task} where this party's state lives (its room's loop). */
    public abstract void execute(Runnable task);
}
