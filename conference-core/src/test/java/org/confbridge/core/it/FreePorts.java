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
 * being free is not enough. Test JVMs that run side by side (Failsafe's forks, numbered in the system
 * property {@code fork} from 1 to {@code forks}) each take ports from a slice of their own, so two never
 * pick the same port between checking it and binding it.
 */
final class FreePorts {
    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static final int FORKS = Math.max(1, Integer.getInteger("forks", 1));
    private static final int FORK = Math.floorMod(Integer.getInteger("fork", 1) - 1, FORKS);
    /** SIP, HTTP and clients' signalling ports: this fork's slice of 15000-19999. */
    private static final int SINGLE_LOW = 15000 + FORK * (5000 / FORKS);
    private static final int SINGLE_HIGH = SINGLE_LOW + 5000 / FORKS;
    /**
     * RTP ranges: this fork's slice of 20000-32767, below the kernel's ephemeral ports (32768 and
     * up), which every socket bound to port 0 takes from, in every fork: a test's RTP peer must
     * never sit inside a bridge's range, nor be captured as the bridge's traffic.
     */
    private static final int RANGE_LOW = 20000 + FORK * (12768 / FORKS);
    private static final int RANGE_HIGH = RANGE_LOW + 12768 / FORKS;

    private FreePorts() {
    }

    static int udpAndTcp() {
        return udpAndTcp(1);
    }

    /**
     * The first of {@code count} consecutive ports, each free for UDP and TCP, handed out
     * together: for a program that binds the ports above the one it is given (baresip listens for
     * TLS on its SIP port + 1).
     */
    static int udpAndTcp(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(SINGLE_LOW, SINGLE_HIGH - count);
            boolean ok = true;
            for (int p = port; p < port + count && ok; p++) {
                ok = free(p);
            }
            if (ok && handOut(port, count)) {
                return port;
            }
        }
        throw new IllegalStateException("no free ports found");
    }

    /**
     * A run of {@code count} consecutive free UDP ports, starting even. Runs are handed out in turn
     * from a random start through this fork's slice of 20000-32767 and then from its bottom again
     * (by then the bridges that had the first ones have long stopped), so the range never fragments.
     */
    static int udpRange(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = nextRange(count);
            boolean ok = true;
            // Every port: a leftover client of an earlier test (a SIPp still streaming) holds one,
            // and a range around it would capture its packets as this bridge's.
            for (int p = base; p < base + count && ok; p++) {
                ok = udpFree(p);
            }
            if (ok) {
                return base;
            }
        }
        throw new IllegalStateException("no free UDP range found");
    }

    private static int cursor = ThreadLocalRandom.current().nextInt(RANGE_LOW, (RANGE_LOW + RANGE_HIGH) / 2) & ~1;

    private static synchronized int nextRange(int count) {
        if (cursor + count > RANGE_HIGH) {
            cursor = RANGE_LOW;
        }
        int base = cursor;
        cursor = (cursor + count + 1) & ~1;
        return base;
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
