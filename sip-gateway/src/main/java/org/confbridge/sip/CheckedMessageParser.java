package org.confbridge.sip;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.text.ParseException;
import java.util.ListIterator;

/**
 * Jain-SIP's parser with the checks the stack leaves out, so that malformed input gets the RFC's
 * answer and one log line instead of exceptions deep in the stack (a request without CSeq made it
 * log the whole packet at ERROR). A message missing a header a response must copy (Via, From, To,
 * Call-ID, CSeq) cannot be answered: it is dropped ({@code null}). One the stack can answer but not
 * use (unparseable, a Via port out of range) becomes a {@link ParseException}: the stack answers
 * {@code 400} with the problem as reason where it can route one. Oversized messages are dropped:
 * no answer could echo their headers within a UDP datagram. Installed by class name through
 * {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}.
 */
public final class CheckedMessageParser implements MessageParser {
    /** Larger than any real SIP message over UDP; TCP bodies are bounded by the stack's MAX_MESSAGE_SIZE. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024;

    private final StringMsgParser parser = new StringMsgParser();

    /** The factory the stack instantiates. */
    public static final class Factory implements MessageParserFactory {
        private static final CheckedMessageParser PARSER = new CheckedMessageParser();

        @Override
        public MessageParser createMessageParser(SIPTransactionStack stack) {
            return PARSER; // stateless, like the stack's own
        }
    }

    @Override
    public SIPMessage parseSIPMessage(byte[] bytes, boolean readBody, boolean strict, ParseExceptionListener channel)
            throws ParseException {
        if (bytes.length > MAX_MESSAGE_BYTES) {
            InputErrors.reject("too-large", source(channel), bytes.length + " bytes");
            return null;
        }
        SIPMessage message;
        try {
            message = parser.parseSIPMessage(bytes, readBody, strict, channel);
        } catch (ParseException e) {
            InputErrors.reject("unparseable", source(channel), describe(e.getMessage()));
            throw e;
        } catch (RuntimeException e) {
            // The parser's own failures on garbage (number formats, ranges) are parse errors too.
            InputErrors.reject("unparseable", source(channel), e.getClass().getSimpleName());
            throw new ParseException("unparseable message", 0);
        }
        if (message == null) {
            return null;
        }
        String missing = missingHeader(message);
        if (missing != null) {
            InputErrors.reject("missing-header", source(channel), "no " + missing + " header");
            return null;
        }
        for (ListIterator<?> it = message.getViaHeaders().listIterator(); it.hasNext(); ) {
            int port = ((Via) it.next()).getPort();
            if (port > 65535 || port < -1 || port == 0) {
                InputErrors.reject("bad-header", source(channel), "Via port " + port + " out of range");
                throw new ParseException("Via port out of range", 0);
            }
        }
        if (message instanceof SIPRequest r && r.getRequestLine() == null) {
            InputErrors.reject("unparseable", source(channel), "no request line");
            return null;
        }
        return message;
    }

    /**
     * What may be logged of the parser's complaint: the name of the header it failed on, never the
     * header's text (the parser's message starts with the offending line).
     */
    static String describe(String parserMessage) {
        if (parserMessage != null) {
            int colon = parserMessage.indexOf(':');
            String name = colon > 0 ? parserMessage.substring(0, colon).trim() : "";
            if (name.matches("[A-Za-z][A-Za-z0-9-]{0,40}")) {
                return "bad " + name + " header";
            }
        }
        return "bad message";
    }

    /** The first header a response needs to copy that the message lacks, or null. */
    private static String missingHeader(SIPMessage m) {
        if (m.getViaHeaders() == null || m.getViaHeaders().isEmpty()) {
            return "Via";
        }
        if (m.getCSeq() == null) {
            return "CSeq";
        }
        if (m.getCallId() == null) {
            return "Call-ID";
        }
        if (m.getFrom() == null) {
            return "From";
        }
        if (m.getTo() == null) {
            return "To";
        }
        return null;
    }

    /** The peer's address (not its port: a UDP channel learns that only after parsing). */
    private static String source(ParseExceptionListener channel) {
        if (channel instanceof MessageChannel c) {
            try {
                return c.getPeerAddress();
            } catch (RuntimeException e) {
                return "?";
            }
        }
        return "?";
    }
}
