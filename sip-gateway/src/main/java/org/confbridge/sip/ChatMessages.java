package org.confbridge.sip;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.ClientTransaction;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room's chat as SIP MESSAGE (RFC 3428): what one participant writes goes to each other
 * participant's contact, from the room's URI with the writer's name as display name. Outgoing
 * only; incoming MESSAGEs are checked and handed to the layer above by {@link InDialogRequests}.
 */
final class ChatMessages {
    private static final Logger log = LoggerFactory.getLogger(ChatMessages.class);
    /** The largest message body taken or sent, in bytes. */
    static final int MAX_BYTES = 4096;

    private final SipStackHost host;
    private final SipSettings settings;
    ChatMessages(SipStackHost host, SipSettings settings) {
        this.host = host;
        this.settings = settings;
    }

    /** Sends {@code text} to the caller of {@code to}, from {@code room} and named {@code writer}. */
    void send(SipCall to, String room, String writer, String text) {
        try {
            URI target = contactOf(to.invite);
            String advertisedAddress = to.localAddress();
            String transport = to.transport();
            SipURI roomUri = host.addresses().createSipURI(room, SipResponses.hostForUri(advertisedAddress));
            roomUri.setPort(settings.portOf(transport));
            Address from = host.addresses().createAddress(roomUri);
            String name = displayName(writer);
            if (!name.isEmpty()) {
                from.setDisplayName(name);
            }
            FromHeader fromHeader = host.headers().createFromHeader(from,
                    Long.toHexString(ThreadLocalRandom.current().nextLong()));
            ToHeader toHeader = host.headers().createToHeader(
                    ((FromHeader) to.invite.getHeader(FromHeader.NAME)).getAddress(), null);
            CallIdHeader callId = host.provider().getNewCallId();
            CSeqHeader cseq = host.headers().createCSeqHeader(1L, Request.MESSAGE);
            ViaHeader via = host.headers().createViaHeader(advertisedAddress, settings.portOf(transport),
                    transport.toUpperCase(Locale.ROOT), null);
            MaxForwardsHeader maxForwards = host.headers().createMaxForwardsHeader(70);
            Request message = host.messages().createRequest(target, Request.MESSAGE, callId, cseq, fromHeader, toHeader,
                    List.of(via), maxForwards);
            // Through the proxies the call's dialog goes through (its route set), as its BYE would.
            if (to.dialog != null) {
                for (java.util.Iterator<?> routes = to.dialog.getRouteSet(); routes != null && routes.hasNext(); ) {
                    message.addHeader((javax.sip.header.RouteHeader) ((javax.sip.header.RouteHeader) routes.next()).clone());
                }
            }
            ContentTypeHeader type = host.headers().createContentTypeHeader("text", "plain");
            type.setParameter("charset", "UTF-8");
            message.setContent(text.getBytes(StandardCharsets.UTF_8), type);
            ClientTransaction ct = host.provider().getNewClientTransaction(message);
            sent.put(callId.getCallId(), to); // before it leaves: its answer may come at once
            try {
                ct.sendRequest();
            } catch (Exception e) {
                sent.remove(callId.getCallId());
                throw e;
            }
        } catch (Exception e) {
            log.warn("call {}: chat message not sent: {}", to.callId(), e.toString());
        }
    }

    /** MESSAGEs on their way, by their Call-ID, to the call they went to. */
    private final java.util.Map<String, SipCall> sent = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether {@code callId} is one of our MESSAGEs. */
    boolean owns(String callId) {
        return sent.containsKey(callId);
    }

    /**
     * The final answer to one of our MESSAGEs (status 408 when none came). A caller that refuses
     * one is sent no more: a bridge relaying to an address that does not want it is a reflector.
     */
    void answered(String callId, int status) {
        SipCall call = sent.remove(callId);
        if (call != null && status >= 300) {
            call.stopChat();
            log.info("call {}: chat not taken ({}): no more chat is sent to it", call.callId(), status);
        }
    }

    /**
     * A name as a From display name: printable, without quotes or backslashes (they would end the
     * quoted string and let a name write headers of its own), at most 64 characters.
     */
    static String displayName(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        name.codePoints().filter(c -> c >= 0x20 && c != 0x7F && !(c >= 0x80 && c < 0xA0) && c != '"' && c != '\\')
                .limit(64).forEach(b::appendCodePoint);
        return b.toString().strip();
    }

    /** Where the caller takes requests: its INVITE's Contact, else its From. */
    private static URI contactOf(Request invite) {
        ContactHeader contact = (ContactHeader) invite.getHeader(ContactHeader.NAME);
        return contact != null ? contact.getAddress().getURI()
                : ((FromHeader) invite.getHeader(FromHeader.NAME)).getAddress().getURI();
    }
}
