package org.confbridge.core.room;

import org.confbridge.core.admission.KeyPressFilter;
import org.confbridge.media.MediaLeg;
import org.confbridge.sip.SipCall;

/** A call as conference-core tracks it: at the dial-in prompt ({@link DialIn}) or in a room ({@link Caller}). */
public interface Party {
    String legId();

    SipCall call();

    MediaLeg leg();

    /** A key press by any method; runs on the leg's loop. */
    void key(char key, KeyPressFilter.Method method, long now);

    /** The private prompt ended; runs on the leg's loop. */
    void promptFinished(long now);

    /** Runs {@code task} where this party's state lives (its room's loop). */
    void execute(Runnable task);
}
