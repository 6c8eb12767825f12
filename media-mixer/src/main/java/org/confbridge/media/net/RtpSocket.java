package org.confbridge.media.net;

import io.netty.channel.unix.Socket;

/**
 * Opens a leg's own UDP socket of the family it needs. Netty's public factory always makes a
 * dual-stack IPv6 socket where the host has IPv6; the family-choosing one is only reachable from
 * a subclass.
 */
final class RtpSocket extends Socket {
    private RtpSocket(int fd) {
        super(fd);
    }

    /** An IPv4 socket when {@code ipv4} (see the engine), else Netty's default. */
    static Socket open(boolean ipv4) {
        return ipv4 ? new Socket(newSocketDgram0(false)) : newSocketDgram();
    }
}
