package org.confbridge.sip;

import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.NioMessageProcessorFactory;
import gov.nist.javax.sip.stack.NioTcpMessageChannel;
import gov.nist.javax.sip.stack.NioTcpMessageProcessor;
import gov.nist.javax.sip.stack.NioTlsMessageProcessor;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sip.ListeningPoint;

/**
 * Jain-SIP's NIO message processors, with TCP and TLS connections bounded per source address:
 * beyond {@link #connectionsPerSource} open connections from one address, a new one is closed at
 * once (the stack bounds only the total). Installed by class name through
 * {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY}, so the limit is static, set by the gateway
 * before the stack starts.
 */
public final class SourceLimitedTcpProcessors extends NioMessageProcessorFactory {
    static volatile int connectionsPerSource = 20;

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
                                                   String transport) throws IOException {
        if (ListeningPoint.TCP.equalsIgnoreCase(transport)) {
            return new Processor(address, stack, port);
        }
        if (ListeningPoint.TLS.equalsIgnoreCase(transport)) {
            return new TlsProcessor(address, stack, port);
        }
        return super.createMessageProcessor(stack, address, port, transport);
    }

    /** Accepted connections by source of one listening port; closed ones are pruned at each accept. Selector thread only. */
    private static final class AcceptedBySource {
        private final Map<InetAddress, List<SocketChannel>> accepted = new HashMap<>();

        /** Counts an accepted connection, or closes it and throws when its source has too many open. */
        void admit(SocketChannel client, int listeningPort, String transport) throws IOException {
            // An accepted connection's local port is the listening port; one the stack opened has another.
            if (client.isConnectionPending() || !client.isConnected() || client.socket().getLocalPort() != listeningPort) {
                return;
            }
            InetAddress source = client.socket().getInetAddress();
            accepted.values().forEach(list -> list.removeIf(ch -> !ch.isOpen()));
            accepted.values().removeIf(List::isEmpty);
            List<SocketChannel> open = accepted.computeIfAbsent(source, a -> new ArrayList<>());
            if (open.size() >= connectionsPerSource) {
                InputErrors.reject(transport + "-connections", source.getHostAddress(),
                        open.size() + " " + transport.toUpperCase(java.util.Locale.ROOT) + " connections open already");
                client.close();
                throw new IOException("too many connections from one source");
            }
            open.add(client);
        }
    }

    /** The TCP processor that counts its accepted connections by source. */
    static final class Processor extends NioTcpMessageProcessor {
        private final AcceptedBySource accepted = new AcceptedBySource();

        Processor(InetAddress address, SIPTransactionStack stack, int port) {
            super(address, stack, port);
        }

        @Override
        public NioTcpMessageChannel createMessageChannel(NioTcpMessageProcessor processor, SocketChannel client)
                throws IOException {
            accepted.admit(client, getPort(), "tcp");
            return super.createMessageChannel(processor, client);
        }
    }

    /** The same for TLS: the count is taken before any handshake work is done for the connection. */
    static final class TlsProcessor extends NioTlsMessageProcessor {
        private final AcceptedBySource accepted = new AcceptedBySource();

        TlsProcessor(InetAddress address, SIPTransactionStack stack, int port) {
            super(address, stack, port);
        }

        @Override
        public NioTcpMessageChannel createMessageChannel(NioTcpMessageProcessor processor, SocketChannel client)
                throws IOException {
            accepted.admit(client, getPort(), "tls");
            return super.createMessageChannel(processor, client);
        }
    }
}
