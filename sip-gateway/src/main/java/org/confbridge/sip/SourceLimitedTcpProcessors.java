package org.confbridge.sip;

import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.NioMessageProcessorFactory;
import gov.nist.javax.sip.stack.NioTcpMessageChannel;
import gov.nist.javax.sip.stack.NioTcpMessageProcessor;
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
 * Jain-SIP's NIO message processors, with TCP connections bounded per source address: beyond
 * {@link #connectionsPerSource} open connections from one address, a new one is closed at once
 * (the stack bounds only the total). Installed by class name through
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
        return super.createMessageProcessor(stack, address, port, transport);
    }

    /** The TCP processor that counts its accepted connections by source. */
    static final class Processor extends NioTcpMessageProcessor {
        /** Accepted connections by source; closed ones are pruned at each accept. Selector thread only. */
        private final Map<InetAddress, List<SocketChannel>> accepted = new HashMap<>();

        Processor(InetAddress address, SIPTransactionStack stack, int port) {
            super(address, stack, port);
        }

        @Override
        public NioTcpMessageChannel createMessageChannel(NioTcpMessageProcessor processor, SocketChannel client)
                throws IOException {
            if (!client.isConnectionPending() && client.isConnected() && isInbound(client)) {
                InetAddress source = client.socket().getInetAddress();
                prune();
                List<SocketChannel> open = accepted.computeIfAbsent(source, a -> new ArrayList<>());
                if (open.size() >= connectionsPerSource) {
                    InputErrors.reject("tcp-connections", source.getHostAddress(),
                            open.size() + " TCP connections open already");
                    client.close();
                    throw new IOException("too many connections from one source");
                }
                open.add(client);
            }
            return super.createMessageChannel(processor, client);
        }

        /** An accepted connection's local port is the listening port; one we opened has another. */
        private boolean isInbound(SocketChannel client) {
            return client.socket().getLocalPort() == getPort();
        }

        private void prune() {
            accepted.values().forEach(list -> list.removeIf(ch -> !ch.isOpen()));
            accepted.values().removeIf(List::isEmpty);
        }
    }
}
