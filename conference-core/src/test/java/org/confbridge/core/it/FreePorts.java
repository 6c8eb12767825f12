package org.confbridge.core.it;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds loopback ports free for both UDP and TCP, so parallel test runs and leftovers do not collide. A port
 * is handed out once per test JVM: a bridge's SIP and HTTP ports are both picked before it binds either, so
 * being free is not enough.
 */
final class FreePorts {
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    static int udpAndTcp() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(15000, 19999);
            if (free(port) && handOut(port, 1)) {
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
            if (ok && handOut(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no free UDP range found");
    }

    private static synchronized boolean handOut(int base, int count) {
        for (int p = base; p < base + count; p++) {
            if (HANDED_OUT.contains(p)) {
                return false;
            }
        }
        for (int p = base; p < base + count; p++) {
            HANDED_OUT.add(p);
        }
        return true;
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
