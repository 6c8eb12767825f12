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
    private final String advertisedAddress;

    ChatMessages(SipStackHost host, SipSettings settings, String advertisedAddress) {
        this.host = host;
        this.settings = settings;
        this.advertisedAddress = advertisedAddress;
    }

    /** Sends {@code text} to the caller of {@code to}, from {@code room} and named {@code writer}. */
    void send(SipCall to, String room, String writer, String text) {
        try {
            URI target = contactOf(to.invite);
            String transport = to.transport();
            SipURI roomUri = host.addresses().createSipURI(room, advertisedAddress.contains(":") && !advertisedAddress
                    .startsWith("[") ? "[" + advertisedAddress + "]" : advertisedAddress);
            roomUri.setPort(settings.portOf(transport));
            Address from = host.addresses().createAddress(roomUri);
            from.setDisplayName(writer);
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
            ContentTypeHeader type = host.headers().createContentTypeHeader("text", "plain");
            type.setParameter("charset", "UTF-8");
            message.setContent(text.getBytes(StandardCharsets.UTF_8), type);
            ClientTransaction ct = host.provider().getNewClientTransaction(message);
            ct.sendRequest();
        } catch (Exception e) {
            log.warn("call {}: chat message not sent: {}", to.callId(), e.toString());
        }
    }

    /** Where the caller takes requests: its INVITE's Contact, else its From. */
    private static URI contactOf(Request invite) {
        ContactHeader contact = (ContactHeader) invite.getHeader(ContactHeader.NAME);
        return contact != null ? contact.getAddress().getURI()
                : ((FromHeader) invite.getHeader(FromHeader.NAME)).getAddress().getURI();
    }
}
