package org.confbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChatMessagesTest {
    @Test
    void aWritersNameCannotEndItsQuotedStringNorStartAHeader() {
        assertEquals("Beratung", ChatMessages.displayName("Beratung"));
        assertEquals("EveX-Evil: 1", ChatMessages.displayName("Eve\"\r\nX-Evil: 1"));
        assertEquals("a b", ChatMessages.displayName("a\\\" b"));
        assertEquals("Grüße aus Köln", ChatMessages.displayName("Grüße aus Köln\u0000\u0085"));
        assertEquals(64, ChatMessages.displayName("x".repeat(500)).length());
        assertEquals("", ChatMessages.displayName(null));
    }
}
