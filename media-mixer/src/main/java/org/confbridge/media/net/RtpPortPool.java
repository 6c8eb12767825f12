package org.confbridge.media.net;

import java.util.ArrayDeque;

/**
 * Hands out even RTP ports from the configured range (the odd port above each stays free for
 * RTCP) and takes them back when a leg closes. Released ports go to the back of the queue, so a
 * port is not reused at once and late packets of an ended call do not reach a new one.
 */
public final class RtpPortPool {
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final int capacity;
    private final String range;

    public RtpPortPool(int low, int high) {
        range = low + "-" + high;
        int first = low % 2 == 0 ? low : low + 1;
        for (int p = first; p + 1 <= high; p += 2) {
            free.add(p);
        }
        capacity = free.size();
    }

    /** Takes a port, or returns -1 when the range is exhausted. */
    public synchronized int acquire() {
        Integer p = free.pollFirst();
        return p == null ? -1 : p;
    }

    public synchronized void release(int port) {
        free.addLast(port);
    }

    public synchronized int available() {
        return free.size();
    }

    public int capacity() {
        return capacity;
    }

    /** The configured range, as an operator wrote it. */
    public String range() {
        return range;
    }
}
