package org.confbridge.media.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * A leg's RTP socket as a Netty channel (the NIO fallback): the channel's loop copies each
 * datagram into a {@link PacketRing}, which the room's next tick reads; packets go out through
 * the channel and are flushed once per tick.
 */
public final class ChannelSocket implements LegSocket {
    /**
     * Sixteen packets, 320 ms of 20 ms audio: a caller's burst after a network stall reaches the
     * jitter buffer, which judges each packet, instead of being cut off here.
     */
    private static final int RING_SLOTS = 16;

    private final PacketRing inbound = new PacketRing(RING_SLOTS, TickIo.MAX_PACKET);
    private final SocketCounters counters;
    private final int localPort;
    private Channel channel;
    private boolean wrote;

    /** A socket for port {@code localPort}; its channel is attached once bound. */
    public ChannelSocket(int localPort, SocketCounters counters) {
        this.localPort = localPort;
        this.counters = counters;
    }

    /** The handler to bind the channel with: it hands datagrams to the ring, timed by {@code clock}. */
    public ChannelHandler handler(java.util.function.LongSupplier clock) {
        return new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                if (!inbound.offer(packet.content(), packet.sender(), clock.getAsLong())) {
                    counters.droppedOverrun();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // ICMP port unreachable and the like: the peer may come back; never close on it.
                counters.socketError();
            }
        };
    }

    /** The bound channel. */
    public void attach(Channel bound) {
        this.channel = bound;
    }

    @Override
    public int localPort() {
        return localPort;
    }

    @Override
    public void read(Receiver receiver, TickIo io) {
        inbound.drain(receiver);
    }

    @Override
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to, TickIo io) {
        if (channel == null || !channel.isActive()) {
            return false;
        }
        ByteBuf out = channel.alloc().directBuffer(len);
        out.writeBytes(buf, off, len);
        channel.write(new DatagramPacket(out, to), channel.voidPromise());
        wrote = true;
        return true;
    }

    @Override
    public void flush() {
        if (wrote) {
            wrote = false;
            channel.flush();
        }
    }

    @Override
    public void connect(InetSocketAddress source) {
        channel.connect(source);
    }

    @Override
    public void disconnect() {
        channel.disconnect();
    }

    @Override
    public void close(TickIo io) {
        if (channel != null) {
            channel.close();
        }
    }
}
