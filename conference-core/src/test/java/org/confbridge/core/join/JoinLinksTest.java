package org.confbridge.core.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.confbridge.core.admission.Role;
import org.junit.jupiter.api.Test;

/** Join links: random, valid until they expire or their room is deleted, never guessed by changing a character. */
class JoinLinksTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private final JoinLinks links = new JoinLinks();

    @Test
    void aLinkOpensItsRoomUntilItExpires() {
        JoinLinks.Link link = links.mint("2000", "Kundin", Role.PARTICIPANT, Duration.ofMinutes(60), NOW);
        assertEquals(22, link.token().length(), "128 bits, base64url");
        assertEquals(link, links.find(link.token(), NOW.plusSeconds(3599)));
        assertNull(links.find(link.token(), NOW.plusSeconds(3600)), "expired");
        assertNull(links.find(link.token(), NOW), "and forgotten");
    }

    @Test
    void tamperedUnknownAndDeletedRoomsLinksOpenNothing() {
        JoinLinks.Link link = links.mint("2000", "", Role.LISTENER, Duration.ofMinutes(5), NOW);
        JoinLinks.Link other = links.mint("2000", "", Role.LISTENER, Duration.ofMinutes(5), NOW);
        assertNotEquals(link.token(), other.token());
        char last = link.token().charAt(21);
        assertNull(links.find(link.token().substring(0, 21) + (last == 'A' ? 'B' : 'A'), NOW));
        assertNull(links.find(link.token() + "x", NOW));
        assertNull(links.find(null, NOW));
        links.roomDeleted("2000");
        assertNull(links.find(link.token(), NOW));
    }

    @Test
    void mintingIsBoundedAndMakesRoomFromExpiredLinks() {
        for (int i = 0; i < JoinLinks.MAX_LINKS; i++) {
            links.mint("2000", "", Role.PARTICIPANT, Duration.ofMinutes(1), NOW);
        }
        assertNull(links.mint("2000", "", Role.PARTICIPANT, Duration.ofMinutes(1), NOW), "beyond the bound: refused");
        assertEquals("2000", links.mint("2000", "", Role.PARTICIPANT, Duration.ofMinutes(1), NOW.plusSeconds(61)).room(),
                "the expired make room");
    }
}
