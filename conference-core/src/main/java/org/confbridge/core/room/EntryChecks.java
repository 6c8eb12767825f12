package org.confbridge.core.room;

/**
 * Whether a call's source may have one more typed PIN or room number checked now: the per-source
 * guessing limit, asked before each check (see {@code SourceGuard#mayCheckEntry}).
 */
public interface EntryChecks {
    EntryChecks UNLIMITED = new EntryChecks() {
        @Override
        public boolean reserve(String callId) {
            return true;
        }

        @Override
        public void release(String callId) {
        }
    };

    /** True reserves one check for the caller of {@code callId}; false: its source may guess no more. */
    boolean reserve(String callId);

    /** Gives back what {@link #reserve} took, once the entry is checked (and, if wrong, counted). */
    void release(String callId);
}
