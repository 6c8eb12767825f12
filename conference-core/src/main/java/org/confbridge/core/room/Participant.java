package org.confbridge.core.room;

import java.time.Instant;
import org.confbridge.media.MediaLeg;
import org.confbridge.sip.SipCall;

/** A caller in a room: the SIP call and its media leg, joined under one leg id. */
public final class Participant {
    private final String legId;
    private final SipCall call;
    private final MediaLeg leg;
    private final Instant joined;
    private volatile Role role;
    private volatile boolean muted;

    public Participant(String legId, SipCall call, MediaLeg leg, Role role, Instant joined) {
        this.legId = legId;
        this.call = call;
        this.leg = leg;
        this.role = role;
        this.joined = joined;
    }

    public String legId() {
        return legId;
    }

    public SipCall call() {
        return call;
    }

    public MediaLeg leg() {
        return leg;
    }

    public Role role() {
        return role;
    }

    public Instant joined() {
        return joined;
    }

    public boolean muted() {
        return muted;
    }

    public void setMuted(boolean value) {
        muted = value;
        leg.setMuted(value);
    }
}
