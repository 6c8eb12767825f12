package org.confbridge.sip;

import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.util.List;
import java.nio.file.Path;
import java.util.Properties;
import org.confbridge.sip.tls.TlsKeyMaterial;
import org.confbridge.sip.tls.TlsPolicy;
import java.util.TooManyListenersException;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.PeerUnavailableException;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/**
 * The Jain-SIP stack as the bridge runs it: its properties (logging through SLF4J, bounds on what
 * a peer can make it hold, the checked parser, NIO processors with per-source TCP limits), the
 * listening points, and the factories the rest of the gateway builds messages with.
 */
final class SipStackHost {
    /** A TCP connection with no traffic for this long is closed (calls go on: SIP reconnects when needed). */
    static final long TCP_IDLE_MILLIS = 15 * 60_000L;

    private final SipSettings settings;
    private SipStack stack;
    private SipProvider provider;
    private MessageFactory messages;
    private HeaderFactory headers;
    private AddressFactory addresses;

    SipStackHost(SipSettings settings) {
        this.settings = settings;
    }

    /** Creates the stack and opens the listening points; throws if a port cannot be bound. */
    void start(SipListener listener) throws SipException {
        if (settings.transports().contains("tls")) {
            try {
                TlsKeyMaterial.load(Path.of(settings.tlsCertificate()), Path.of(settings.tlsPrivateKey()));
            } catch (TlsKeyMaterial.TlsConfigException e) {
                throw new SipException("SIP over TLS: " + e.getMessage());
            }
        }
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        try {
            stack = factory.createSipStack(properties());
            messages = factory.createMessageFactory();
            headers = factory.createHeaderFactory();
            addresses = factory.createAddressFactory();
            ((HeaderFactoryImpl) headers).setPrettyEncoding(true);
            ((MessageFactoryImpl) messages).setDefaultServerHeader(
                    headers.createServerHeader(List.of(settings.serverHeader())));
            ((MessageFactoryImpl) messages).setDefaultUserAgentHeader(
                    headers.createUserAgentHeader(List.of(settings.serverHeader())));
            provider = null;
            for (String transport : settings.transports()) {
                ListeningPoint lp = stack.createListeningPoint(settings.bindAddress(), settings.portOf(transport), transport);
                if (provider == null) {
                    provider = stack.createSipProvider(lp);
                    provider.addSipListener(listener);
                } else {
                    provider.addListeningPoint(lp);
                }
            }
            stack.start();
        } catch (PeerUnavailableException | InvalidArgumentException | ObjectInUseException
                 | TooManyListenersException | java.text.ParseException e) {
            throw new SipException("cannot start SIP on " + settings.bindAddress() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "confbridge-" + settings.port());
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", JainSipStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", JainSipMessageLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "32");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "8");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // Bounds on what a peer can make the stack hold (TCP: content size, connections, slow senders).
        // One byte more than we accept: the UDP buffer's size, so a datagram cut to it shows as too large.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(CheckedMessageParser.MAX_MESSAGE_BYTES + 1));
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", "1000");
        p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", "5000");
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", SourceLimitedTcpProcessors.class.getName());
        p.setProperty("gov.nist.javax.sip.NIO_MAX_SOCKET_IDLE_TIME", Long.toString(TCP_IDLE_MILLIS));
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "10000");
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", CheckedMessageParser.Factory.class.getName());
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.AUTOMATIC_DIALOG_ERROR_HANDLING", "true");
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        p.setProperty("javax.sip.ROUTER_PATH", NatRouter.class.getName());
        p.setProperty("javax.sip.USE_ROUTER_FOR_ALL_URIS", "true");
        if (settings.transports().contains("tls")) {
            TlsPolicy.configure(p, settings.tlsCertificate(), settings.tlsPrivateKey());
        }
        return p;
    }

    boolean running() {
        return stack != null && provider != null;
    }

    void close() {
        if (stack != null) {
            stack.stop();
            stack = null;
            provider = null;
        }
    }

    SipProvider provider() {
        return provider;
    }

    /** Where the bridge's requests go (callers behind NAT). */
    NatRouter router() {
        SipStack s = stack;
        return s == null ? null : (NatRouter) s.getRouter();
    }

    MessageFactory messages() {
        return messages;
    }

    HeaderFactory headers() {
        return headers;
    }

    AddressFactory addresses() {
        return addresses;
    }
}
