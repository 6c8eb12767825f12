package org.confbridge.core.admission;

import java.util.Locale;

/** What an admitted caller may do in a room. */
public enum Role {
    PARTICIPANT, MODERATOR, LISTENER;

    /** The name used in session.json and the HTTP API. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
