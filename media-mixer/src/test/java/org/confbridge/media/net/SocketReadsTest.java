package org.confbridge.media.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SocketReadsTest {
    @Test
    void stopsAfterAnOnTimePacketAndReadsOnAfterALateOne() {
        SocketReads reads = new SocketReads();
        reads.startTick();
        assertFalse(reads.readAgainAfterPacket(SocketReads.Arrival.ON_TIME));
        reads.startTick();
        assertTrue(reads.readAgainAfterPacket(SocketReads.Arrival.LATER), "a late packet may have a newer one behind it");
    }

    @Test
    void learnsThatReadsAfterATickLatePacketFindNothingAndReadsOnOnceTheyDo() {
        SocketReads reads = new SocketReads();
        int tick = 1; // the number of the tick about to start; every 25th reads until empty
        // A fresh leg reads on after a tick-late packet; its follow-ups keep finding nothing.
        int followUps = 0;
        for (; tick <= 24; tick++) {
            reads.startTick();
            if (reads.readAgainAfterPacket(SocketReads.Arrival.A_TICK_LATE)) {
                followUps++;
                reads.foundEmpty();
            }
        }
        assertTrue(followUps == 24, "learning takes a few dozen follow-ups: " + followUps);
        // Keep going until it has learnt, then it stops after tick-late packets ...
        boolean learnt = false;
        for (; tick <= 200 && !learnt; tick++) {
            reads.startTick();
            if (reads.readAgainAfterPacket(SocketReads.Arrival.A_TICK_LATE)) {
                reads.foundEmpty();
            } else {
                learnt = true;
            }
        }
        assertTrue(learnt);
        // ... except every 25th tick, which reads until empty: there a follow-up finds a packet.
        while (tick % SocketReads.FULL_READ_EVERY_TICKS != 0) {
            reads.startTick();
            assertFalse(reads.readAgainAfterPacket(SocketReads.Arrival.A_TICK_LATE), "tick " + tick);
            tick++;
        }
        reads.startTick();
        assertTrue(reads.readAgainAfterPacket(SocketReads.Arrival.A_TICK_LATE), "the full read");
        assertTrue(reads.readAgainAfterPacket(SocketReads.Arrival.ON_TIME), "the full read goes on to empty");
        reads.foundEmpty();
        // One find in a few is often enough: the next tick reads on after a tick-late packet again.
        reads.startTick();
        assertTrue(reads.readAgainAfterPacket(SocketReads.Arrival.A_TICK_LATE));
    }
}
