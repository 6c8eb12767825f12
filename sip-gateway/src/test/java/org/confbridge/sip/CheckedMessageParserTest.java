package org.confbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import org.junit.jupiter.api.Test;

class CheckedMessageParserTest {
    private static final String OPTIONS = "OPTIONS sip:1000@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK1\r\nMax-Forwards: 70\r\n"
            + "From: <sip:a@127.0.0.2>;tag=1\r\nTo: <sip:1000@127.0.0.1>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\n"
            + "Content-Length: 0\r\n\r\n";
    private final CheckedMessageParser parser = new CheckedMessageParser();

    @Test
    void wellFormedMessagesPass() throws Exception {
        assertNotNull(parse(OPTIONS));
    }

    @Test
    void messagesNoResponseCouldCopyAreDropped() throws Exception {
        for (String header : new String[] {"CSeq", "Call-ID", "From", "To", "Via"}) {
            String without = OPTIONS.replaceFirst(header + ": [^\r]*\r\n", "");
            assertNull(parse(without), "without " + header);
        }
    }

    @Test
    void viaPortOutOfRangeIsAParseError() {
        assertThrows(ParseException.class, () -> parse(OPTIONS.replace("127.0.0.2:5070", "127.0.0.2:99999")));
    }

    @Test
    void oversizedMessagesAreDropped() throws Exception {
        assertNull(parse(OPTIONS.replace("Content-Length", "X-Pad: " + "a".repeat(20_000) + "\r\nContent-Length")));
    }

    @Test
    void theLogNamesTheHeaderNeverItsText() {
        assertEquals("bad To header", CheckedMessageParser.describe("To: <sip:99@@99@127.0.0.1>\n: Missing host name"));
        assertEquals("bad message", CheckedMessageParser.describe("[C@25c88a2f\nExpecting >>>:<<<"));
        assertEquals("bad message", CheckedMessageParser.describe(null));
        assertEquals("bad message", JainSipStackLogger.firstWords("bad message INVITE sip:x SIP/2.0\r\nVia: ..."));
        assertEquals("Error while processing incoming UDP packet",
                JainSipStackLogger.firstWords("Error while processing incoming UDP packet[73, 78, 86, 73]"));
        assertEquals("Problem sending: x", JainSipStackLogger.firstWords("Problem sending: x\r\nINVITE sip:..."));
    }

    private Object parse(String text) throws ParseException {
        return parser.parseSIPMessage(text.getBytes(StandardCharsets.ISO_8859_1), true, false, null);
    }
}
