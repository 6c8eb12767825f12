package org.confbridge.media.room;

import static org.confbridge.media.room.LoopbackLegs.open;
import static org.confbridge.media.room.LoopbackLegs.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.confbridge.media.MediaEngine;
import org.confbridge.media.MediaSettings;
import org.confbridge.media.codec.OpusLibrary;
import org.confbridge.media.loop.TickTimer;
import org.confbridge.media.net.RingKernel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Another program on the host holding a long run of {@code rtp.ports}: a new leg still gets a port
 * past them, and only when every port is held is it refused, with the range named.
 */
class TakenPortsIT {
    private static final int PORTS = 100;

    @ParameterizedTest(name = "sends through io_uring: {0}")
    @ValueSource(booleans = {true, false})
    void aLegSkipsPortsHeldByAnotherProgramAndIsRefusedOnlyWhenAllAre(boolean ioUring) throws Exception {
        int base = 40000 + (int) (System.nanoTime() % 9000) * 2;
        List<DatagramSocket> held = new ArrayList<>();
        try (MediaEngine engine = new MediaEngine(new MediaSettings("127.0.0.1", base, base + PORTS - 1, 16000, 0, 20,
                200, 1, 0, true, 0, OpusLibrary.CONCENTUS, ioUring), new SimpleMeterRegistry(), System::nanoTime,
                TickTimer.LOOP, RingKernel.LINUX);
             DatagramSocket caller = socket()) {
            // The first 30 even ports (more than any fixed retry count would skip) are someone else's.
            Set<Integer> taken = new HashSet<>();
            for (int p = base; p < base + 60; p += 2) {
                held.add(hold(p));
                taken.add(p);
            }
            MixGroup group = engine.createGroup("taken");
            MediaLeg leg = open(group, "a", caller);
            assertFalse(taken.contains(leg.localPort()), "the leg got a held port: " + leg.localPort());
            assertTrue(leg.localPort() >= base + 60 && leg.localPort() < base + PORTS, "port " + leg.localPort());
            assertEquals(PORTS / 2 - 1, engine.freePorts(), "held ports went back to the pool, the leg's did not");

            // Now every other port is held too: the next leg is refused, naming the range.
            for (int p = base + 60; p < base + PORTS; p += 2) {
                if (p != leg.localPort()) {
                    held.add(hold(p));
                }
            }
            ExecutionException refused = assertThrows(ExecutionException.class, () -> open(group, "b", caller));
            assertTrue(refused.getCause().getMessage().contains(base + "-" + (base + PORTS - 1)),
                    "the refusal names the range: " + refused.getCause().getMessage());
            assertEquals(PORTS / 2 - 1, engine.freePorts(), "a refused leg keeps no port");
            leg.close();
            group.close();
        } finally {
            for (DatagramSocket s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    /**
     * Holds {@code port}; null where another program (a test running beside this one, a socket
     * given an ephemeral port) already does, which holds it just as well.
     */
    private static DatagramSocket hold(int port) throws Exception {
        try {
            return new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        } catch (java.net.BindException alreadyHeld) {
            return null;
        }
    }
}
