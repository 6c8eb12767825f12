package org.confbridge.media.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketRingTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

    private static ByteBuf packet(int value, int len) {
        ByteBuf b = Unpooled.buffer(len);
        for (int i = 0; i < len; i++) {
            b.writeByte(value + i);
        }
        return b;
    }

    @Test
    void fullRingRefusesNewPacketsAndKeepsTheOldOnes() {
        PacketRing ring = new PacketRing(4, 16);
        for (int k = 0; k < 4; k++) {
            assertTrue(ring.offer(packet(k, 3), PEER, k));
        }
        assertFalse(ring.offer(packet(9, 3), PEER, 9), "a fifth packet does not fit");
        List<Integer> firsts = new ArrayList<>();
        assertEquals(4, ring.drain((buf, off, len, sender, at) -> {
            assertEquals(3, len);
            assertEquals(PEER, sender);
            assertEquals(at, buf[off]);
            firsts.add((int) buf[off]);
            return SocketReads.Arrival.LATER;
        }));
        assertEquals(List.of(0, 1, 2, 3), firsts);
        assertTrue(ring.offer(packet(7, 3), PEER, 7), "room again once drained");
    }

    @Test
    void longDatagramIsCutToTheSlot() {
        PacketRing ring = new PacketRing(2, 8);
        ring.offer(packet(1, 20), PEER, 0);
        ring.drain((buf, off, len, sender, at) -> {
            assertEquals(8, len);
            return SocketReads.Arrival.LATER;
        });
    }

    @Test
    void slotsMustBeAPowerOfTwo() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new PacketRing(6, 8));
    }

    /** One thread offers, another drains: every packet arrives once, whole and in order, or is refused. */
    @Test
    void handsOverBetweenThreadsInOrder() throws Exception {
        PacketRing ring = new PacketRing(8, 64);
        int total = 200_000;
        int[] refused = new int[1];
        Thread producer = new Thread(() -> {
            ByteBuf b = Unpooled.buffer(64);
            for (int k = 0; k < total; k++) {
                b.clear();
                b.writeInt(k).writeInt(~k).writeZero(32).writeInt(k);
                if (!ring.offer(b, PEER, k)) {
                    refused[0]++;
                }
            }
        });
        producer.start();
        long[] last = {-1};
        int[] received = {0};
        LegSocket.Receiver check = (buf, off, len, sender, at) -> {
            int k = ((buf[off] & 0xFF) << 24) | ((buf[off + 1] & 0xFF) << 16) | ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
            int tail = ((buf[off + 40] & 0xFF) << 24) | ((buf[off + 41] & 0xFF) << 16) | ((buf[off + 42] & 0xFF) << 8)
                    | (buf[off + 43] & 0xFF);
            assertEquals(44, len);
            assertEquals(k, tail, "a slot was read while being written");
            assertEquals(k, at);
            assertTrue(k > last[0], "out of order");
            last[0] = k;
            received[0]++;
            return SocketReads.Arrival.LATER;
        };
        while (producer.isAlive()) {
            ring.drain(check);
        }
        producer.join();
        ring.drain(check);
        assertEquals(total, received[0] + refused[0]);
        assertTrue(received[0] > 0);
    }
}
