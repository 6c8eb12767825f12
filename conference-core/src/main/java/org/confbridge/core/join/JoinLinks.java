package org.confbridge.core.join;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.confbridge.core.admission.Role;

/**
 * The join links the API has minted: each a 128-bit random token that is the credential for one
 * room, as one person (name and role), until it expires or the room is deleted. Kept in memory:
 * a link does not outlive the bridge's run. Thread-safe.
 */
public final class JoinLinks {
    /** At most this many links live at once; minting beyond it first drops the expired, then refuses. */
    static final int MAX_LINKS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a link admits: one person into one room. */
    public record Link(String token, String room, String displayName, Role role, Instant expires) {
    }

    private final Map<String, Link> links = new ConcurrentHashMap<>();

    /** A new link to {@code room} valid for {@code lifetime}; null when {@link #MAX_LINKS} are live. */
    public Link mint(String room, String displayName, Role role, Duration lifetime, Instant now) {
        if (links.size() >= MAX_LINKS) {
            links.values().removeIf(l -> !l.expires().isAfter(now));
            if (links.size() >= MAX_LINKS) {
                return null;
            }
        }
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        Link link = new Link(token, room, displayName, role, now.plus(lifetime));
        links.put(token, link);
        return link;
    }

    /** The live link of {@code token}, or null: unknown, tampered with, or expired (then forgotten). */
    public Link find(String token, Instant now) {
        if (token == null || token.length() != 22) {
            return null;
        }
        Link link = links.get(token);
        if (link != null && !link.expires().isAfter(now)) {
            links.remove(token, link);
            return null;
        }
        return link;
    }

    /** The room was deleted: its links open nothing any more. */
    public void roomDeleted(String room) {
        links.values().removeIf(l -> l.room().equals(room));
    }
}
