package org.confbridge.core.security;

/** What the other nodes learn of this one's guessing counts and blocks (DESIGN section 10). */
public interface SharedGuessing {
    /** One node alone: nothing is shared. */
    SharedGuessing NONE = new SharedGuessing() {
    };

    /** A wrong entry from {@code address} (as the API shows it), counted here too. */
    default void wrongEntry(String address, int threshold, long windowMillis, long blockMillis) {
    }

    /** This node blocked {@code address} until {@code untilMillis}. */
    default void blocked(String address, long untilMillis) {
    }

    /** The admin lifted the block of {@code address} here. */
    default void unblocked(String address) {
    }
}
