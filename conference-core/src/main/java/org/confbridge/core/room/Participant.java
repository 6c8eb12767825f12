package org.confbridge.core.room;

import org.confbridge.core.admission.Role;
import java.time.Instant;
import org.confbridge.media.room.MediaLeg;
import org.confbridge.sip.CallHandle;
import org.confbridge.sip.SipCall;

/** An admitted caller: its role and state in the room. */
public final class Participant {
    private final Caller caller;
    private final Role role;
    private final Instant joined;
    private volatile boolean muted;
    /** Waiting for a moderator: not mixed, hearing the hold sound. */
    volatile boolean waiting;
    /** The caller put the conference on hold (its phone or PBX). */
    volatile boolean held;
    final org.confbridge.core.menu.KeypadMenu menu;

    Participant(Caller caller, Role role, Instant joined, java.util.Map<String, String> menuKeys) {
        this.caller = caller;
        this.role = role;
        this.joined = joined;
        this.menu = new org.confbridge.core.menu.KeypadMenu(menuKeys, role == Role.MODERATOR);
    }

    public boolean waiting() {
        return waiting;
    }

    public boolean held() {
        return held;
    }

    Caller caller() {
        return caller;
    }

    public String legId() {
        return caller.legId();
    }

    public CallHandle call() {
        return caller.call();
    }

    public MediaLeg leg() {
        return caller.leg();
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

    /** Listeners stay muted whatever is asked. */
    public void setMuted(boolean value) {
        boolean m = value || role == Role.LISTENER;
        muted = m;
        caller.leg().setMuted(m);
    }
}
