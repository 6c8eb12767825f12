package org.confbridge.media.jitter;

/** What one tick's read of a jitter buffer played. */
public enum Playout {
    /** Nothing to play (filling, or ran dry): the frame holds silence. */
    SILENCE,
    /** A frame was decoded (or concealed) into the caller's frame. */
    AUDIO,
    /**
     * A whole packet below the asked level (or one whose bytes were not kept) was played without
     * decoding; its level is {@link JitterBuffer#quietLevel()} and the frame is untouched.
     */
    QUIET
}
