package org.confbridge.core.it;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Finds loopback ports free for both UDP and TCP, so parallel test runs and leftovers do not collide. */
final class FreePorts {
    private FreePorts() {
    }

    static int udpAndTcp() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(15000, 19999);
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port found");
    }

    /** A run of {@code count} consecutive free UDP ports, starting even. */
    static int udpRange(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20000, 60000 - count) & ~1;
            boolean ok = true;
            for (int p = base; p < base + count && ok; p += 7) {
                ok = udpFree(p);
            }
            if (ok) {
                return base;
            }
        }
        throw new IllegalStateException("no free UDP range found");
    }

    static boolean free(int port) {
        return udpFree(port) && tcpFree(port);
    }

    private static boolean udpFree(int port) {
        try (DatagramSocket s = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean tcpFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
