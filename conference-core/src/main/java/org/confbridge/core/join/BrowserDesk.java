package org.confbridge.core.join;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/** What the join listener asks of the conference: a browser in, a browser out. */
public interface BrowserDesk {
    /** A join that worked: the session's id (the end of its {@code Location}) and our SDP answer. */
    record Answer(String session, String sdp) {
    }

    /** A join refused: the HTTP status to answer and why, in words for the page. */
    final class Refused extends Exception {
        private final int status;

        public Refused(int status, String why) {
            super(why, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * Joins {@code link}'s room with the browser's {@code offer}, sent from {@code page}; our
     * candidate is {@code address}. Fails with {@link Refused}.
     */
    CompletableFuture<Answer> join(JoinLinks.Link link, String offer, InetAddress page, String address);

    /** The page left: whether there was such a session. */
    boolean leave(String session);

    /**
     * A chat message from the page of {@code token}'s link, into its room as from its participant:
     * the status to answer (200, 404 without a live session, 403 not yet in the room, 413 too long,
     * 503 too fast).
     */
    int chat(String token, String text);
}
