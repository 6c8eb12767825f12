package org.confbridge.media.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Where rooms and sockets go: small rooms are packed onto one loop until it is full (by legs, by
 * rooms not yet joined, or by how busy its wake-ups are), and a large room's sockets spread.
 */
class LoopLoadsTest {
    private final double[] busy = new double[3];
    private final LoopLoads loads = new LoopLoads(3, i -> busy[i]);

    /** A room of {@code legs} callers, as the engine opens it: the room, then each leg's socket and place in the mix. */
    private int room(int legs) {
        int loop = loads.roomOpened();
        for (int i = 0; i < legs; i++) {
            assertEquals(loop, loads.socketOpened(loop, true), "a small room's sockets stay on its loop");
            loads.legMixed(loop, 1);
        }
        return loop;
    }

    @Test
    void smallRoomsShareOneLoopUntilItIsFull() {
        for (int r = 0; r < 100; r++) {
            assertEquals(0, room(4), "room " + r);
        }
        // 100 rooms of 4 are 1600 of the 2000 a loop takes; rooms of 5 (20 each) fill the rest.
        for (int r = 0; r < 20; r++) {
            assertEquals(0, room(5), "room of 5 number " + r);
        }
        assertEquals(1, room(4), "a full loop opens the next");
        assertEquals(1, room(4), "which then fills in turn");
    }

    @Test
    void roomsOpenedInABurstBeforeAnyoneJoinsCountAsSmallRooms() {
        for (int r = 0; r < 125; r++) {
            assertEquals(0, loads.roomOpened(), "empty room " + r);
        }
        assertEquals(1, loads.roomOpened(), "125 rooms of a probable 4 fill a loop");
    }

    @Test
    void aLoopWhoseWakeUpsTakeAQuarterOfThePeriodTakesNoNewRoom() {
        assertEquals(0, room(4));
        busy[0] = 0.26; // a few Opus rooms cost what hundreds of G.711 legs do
        assertEquals(1, room(4));
        assertEquals(1, room(4));
        busy[0] = 0.10;
        assertEquals(1, room(4), "the fullest loop with room takes it");
        busy[1] = 0.30;
        assertEquals(0, room(4));
    }

    @Test
    void withEveryLoopFullTheLeastLoadedTakesTheRoom() {
        busy[0] = busy[1] = busy[2] = 0.5;
        assertEquals(0, room(10));
        assertEquals(1, room(4));
        assertEquals(2, room(6));
        assertEquals(1, loads.roomOpened());
    }

    @Test
    void aClosedRoomFreesItsPlace() {
        for (int r = 0; r < 125; r++) {
            loads.roomOpened();
        }
        loads.roomClosed(0);
        assertEquals(0, loads.roomOpened());
    }

    @Test
    void aLargeRoomsSocketsSpreadOnceItsLoopIsFullWhereSocketsMayMove() {
        int loop = loads.roomOpened();
        for (int i = 0; i < 500; i++) {
            assertEquals(loop, loads.socketOpened(loop, true), "socket " + i);
            loads.legMixed(loop, 1);
        }
        int next = loads.socketOpened(loop, true);
        assertEquals(1, next, "the 501st socket goes to the least loaded loop");
        assertEquals(2, loads.socketOpened(loop, true));
        assertEquals(loop, loads.socketOpened(loop, false), "NIO: sockets never move");
        loads.socketClosed(1);
        assertEquals(1, loads.socketOpened(loop, true));
    }
}
