package org.confbridge.media.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * A leg's RTCP socket, the odd port above its RTP port: a Netty channel on the room's loop. A
 * report or two every five seconds needs nothing faster.
 */
public final class RtcpPort {
    /** What the leg does with a datagram that arrived on its RTCP port. */
    public interface Receiver {
        void receive(byte[] buf, int off, int len, InetSocketAddress sender);
    }

    private final byte[] in = new byte[1500];
    private final SocketCounters counters;
    private Channel channel;
    /** Set once the leg exists: what arrives before is dropped. */
    private volatile Receiver receiver;

    public RtcpPort(SocketCounters counters) {
        this.counters = counters;
    }

    /** The handler to bind the channel with: datagrams go to the {@link #receiveWith receiver}, on the channel's loop. */
    public ChannelHandler handler() {
        return new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                Receiver receiver = RtcpPort.this.receiver;
                if (receiver == null) {
                    return;
                }
                ByteBuf content = packet.content();
                int len = Math.min(content.readableBytes(), in.length);
                content.getBytes(content.readerIndex(), in, 0, len);
                receiver.receive(in, 0, len, packet.sender());
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                counters.socketError();
            }
        };
    }

    /** Where datagrams go from now on. */
    public void receiveWith(Receiver r) {
        this.receiver = r;
    }

    public void attach(Channel bound) {
        this.channel = bound;
    }

    /** The channel, to move with its leg to another room's loop; null when the port was not bindable. */
    public Channel channel() {
        return channel;
    }

    /** Sends one RTCP packet. */
    public void send(byte[] buf, int off, int len, InetSocketAddress to) {
        if (channel == null || !channel.isActive()) {
            return;
        }
        ByteBuf out = channel.alloc().directBuffer(len);
        out.writeBytes(buf, off, len);
        channel.writeAndFlush(new DatagramPacket(out, to), channel.voidPromise());
    }

    public void close() {
        if (channel != null) {
            channel.close();
        }
    }
}
