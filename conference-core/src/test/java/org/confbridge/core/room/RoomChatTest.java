package org.confbridge.core.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RoomChatTest {
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aBurstThenOneMessageASecondPerWriterAndTheAdminUnbounded() {
        RoomChat chat = new RoomChat();
        for (int i = 0; i < RoomChat.BURST; i++) {
            assertEquals(RoomChat.Verdict.RELAYED, chat.write("L1", "Alice", "m" + i, false, T, 0));
        }
        assertEquals(RoomChat.Verdict.TOO_FAST, chat.write("L1", "Alice", "spam", false, T, 500));
        assertEquals(RoomChat.Verdict.RELAYED, chat.write("L2", "Bob", "other writers are not held up", false, T, 500));
        assertEquals(RoomChat.Verdict.RELAYED, chat.write("L1", "Alice", "a second later", false, T, 1000));
        assertEquals(RoomChat.Verdict.TOO_FAST, chat.write("L1", "Alice", "again", false, T, 1500));
        for (int i = 0; i < 20; i++) {
            assertEquals(RoomChat.Verdict.RELAYED, chat.write(null, "Beratung", "notice " + i, true, T, 1500));
        }
        assertEquals(RoomChat.BURST + 2 + 20, chat.transcript().size());
    }

    @Test
    void emptyAndOverlongMessagesAreRefusedAndTheTranscriptIsBounded() {
        RoomChat chat = new RoomChat();
        assertEquals(RoomChat.Verdict.EMPTY, chat.write("L1", "Alice", "  ", false, T, 0));
        assertEquals(RoomChat.Verdict.TOO_LONG, chat.write("L1", "Alice", "ü".repeat(RoomChat.MAX_BYTES / 2 + 1), false, T, 0));
        for (int i = 0; i < RoomChat.MAX_KEPT + 10; i++) {
            chat.write(null, "Beratung", "n" + i, true, T, 0);
        }
        assertEquals(RoomChat.MAX_KEPT, chat.transcript().size());
        assertEquals("n10", chat.transcript().get(0).get("text"), "the oldest go first");
    }
}
