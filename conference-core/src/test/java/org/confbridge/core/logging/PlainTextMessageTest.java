package org.confbridge.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class PlainTextMessageTest {
    private final Logger logger = new LoggerContext().getLogger("test");

    private String line(String format, Object... args) {
        return new PlainTextMessage().convert(new LoggingEvent("x", logger, Level.WARN, format, null, args));
    }

    @Test
    void controlCharactersFromTheNetworkAreWrittenAsEscapes() {
        assertEquals("call a\\x00\\x00b ended", line("call {} ended", "a\0\0b"));
        assertEquals("from \"Eve\\x0d\\x0a12:00:00.000 INFO forged\" joined",
                line("from \"{}\" joined", "Eve\r\n12:00:00.000 INFO forged"));
        assertEquals("ua \\x1b[2Jgone\\x7f\\x9b", line("ua {}", "\u001b[2Jgone\u007f\u009b"));
        assertEquals("Grüße, 会议 stay", line("{} stay", "Grüße, 会议"));
        assertEquals("no arguments\\x0a", line("no arguments\n"));
    }

    @Test
    void aLongValueIsCutButTheLineKeepsItsOwnText() {
        String longCallId = "x".repeat(100_000);
        String out = line("call {} from {}", longCallId, "sip:a@b");
        assertTrue(out.startsWith("call " + "x".repeat(PlainTextMessage.MAX_ARGUMENT) + "…(99700 more) from sip:a@b"), out);
        assertTrue(out.length() < 400, "length " + out.length());
    }
}
