package org.confbridge.core.admission;

/** What a caller in a room's lobby goes through before it is admitted: keys, prompts' ends, time. */
public interface LobbyConversation {
    /** The caller has arrived in the lobby. */
    void start(long now);

    /** A key press, already deduplicated across signalling methods. */
    void key(char key, long now);

    /** The prompt started for this conversation has played to its end. */
    void promptFinished(long now);

    /** Called regularly; acts on input timeouts. */
    void tick(long now);

    /** The caller's source was blocked for guessing: goodbye, unless it is already admitted. */
    default void sourceBlocked(long now) {
    }
}
