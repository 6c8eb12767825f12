package org.confbridge.media.loop;

import java.util.function.IntToDoubleFunction;

/**
 * What each room loop carries (rooms, RTP sockets, legs mixed, and the share of each 20 ms period
 * its wake-ups take), and where a new room or a new leg's socket goes.
 * <p>
 * Rooms are packed: a new room goes to the fullest loop that still has room, and only a loop
 * about full opens the next. The many small rooms of a consulting workload then share one
 * thread's wake-ups, system calls and caches, which costs measurably less CPU than spreading them
 * (docs/performance.md, "Many small rooms"). A loop is full at {@link #FULL_LOAD} (about 500 legs
 * with their sockets) or when its wake-ups take a quarter of the period, which also counts what
 * legs cost beyond their number (Opus is many times G.711). A room opened and not yet joined
 * counts as a small room's legs, so a burst of new rooms does not land on one loop.
 * <p>
 * Sockets stay on their room's loop up to the same load; beyond it a large room's sockets are
 * spread over the least busy loops (see {@link RoomLoops#socketLoopFor}). Thread-safe.
 */
final class LoopLoads {
    /**
     * The load (see {@link #load}) up to which a loop takes new rooms, and its room's loop sends on
     * all its legs' sockets: about 500 legs. Below it the hand-over between loops costs more than
     * it saves; above it one thread no longer keeps the tick on time.
     */
    static final int FULL_LOAD = 2000;
    /** A socket's system calls cost about three times what pulling, mixing and packing its leg does. */
    private static final int SOCKET_WEIGHT = 3;
    /** A room counts as at least this much load: four legs with their sockets. */
    private static final int ROOM_LOAD = 4 * (SOCKET_WEIGHT + 1);
    /** The share of the period beyond which a loop's wake-ups leave no room for another room. */
    private static final double FULL_BUSY_SHARE = 0.25;

    private final IntToDoubleFunction busyShare;
    private final int[] rooms;
    private final int[] sockets;
    private final int[] legsMixed;
    private int spreadAboveLoad = FULL_LOAD;

    /**
     * {@code loops} loops, numbered as the engine orders them; {@code busyShare} tells the share of
     * the period a loop's wake-ups take ({@link LoopTicker#busyShare}).
     */
    LoopLoads(int loops, IntToDoubleFunction busyShare) {
        this.busyShare = busyShare;
        this.rooms = new int[loops];
        this.sockets = new int[loops];
        this.legsMixed = new int[loops];
    }

    /** The loop (index) for a new room: the fullest one not yet full; when all are, the least loaded. */
    synchronized int roomOpened() {
        int best = -1;
        for (int i = 0; i < rooms.length; i++) {
            if (!full(i) && (best < 0 || placementLoad(i) > placementLoad(best))) {
                best = i;
            }
        }
        if (best < 0) {
            best = leastLoaded(0, true);
        }
        rooms[best]++;
        return best;
    }

    synchronized void roomClosed(int loop) {
        rooms[loop]--;
    }

    /**
     * The loop (index) that sends on a new leg's RTP socket, for a room living on {@code home}:
     * home until it carries {@link #FULL_LOAD}; then, where sockets may move ({@code spread}), the
     * least loaded loop.
     */
    synchronized int socketOpened(int home, boolean spread) {
        int best = spread && load(home) >= spreadAboveLoad ? leastLoaded(home, false) : home;
        sockets[best]++;
        return best;
    }

    synchronized void socketClosed(int loop) {
        sockets[loop]--;
    }

    /** A leg joined ({@code +1}) or left ({@code -1}) a room that mixes on {@code loop}. */
    synchronized void legMixed(int loop, int delta) {
        legsMixed[loop] += delta;
    }

    /** Tests: spread sockets from this load on (0: from the first one). */
    synchronized void spreadAboveLoad(int load) {
        this.spreadAboveLoad = load;
    }

    /** The loop with the least load (counting rooms as at least small ones where {@code placing}), {@code first} on a tie. */
    private int leastLoaded(int first, boolean placing) {
        int best = first;
        for (int i = 0; i < rooms.length; i++) {
            if (placing ? placementLoad(i) < placementLoad(best) : load(i) < load(best)) {
                best = i;
            }
        }
        return best;
    }

    private boolean full(int loop) {
        return placementLoad(loop) >= FULL_LOAD || busyShare.applyAsDouble(loop) >= FULL_BUSY_SHARE;
    }

    /** The loop's load, with each room counted as at least a small room's. */
    private int placementLoad(int loop) {
        return Math.max(load(loop), rooms[loop] * ROOM_LOAD);
    }

    /** A loop's share of the work, in thirds of one socket. */
    private int load(int loop) {
        return SOCKET_WEIGHT * sockets[loop] + legsMixed[loop];
    }
}
