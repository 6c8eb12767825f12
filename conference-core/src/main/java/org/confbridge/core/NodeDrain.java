package org.confbridge.core;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draining a node ({@code POST /api/drain}): it finishes its conferences but takes no new rooms.
 * OPTIONS answers 503, so a dispatcher in front sends new rooms to other nodes; callers of a room
 * already active here still get in (the dispatcher's hash sends them here); everything else gets
 * 503. {@code DELETE /api/drain} undoes it. SIGTERM's quick shutdown is a different thing.
 */
public final class NodeDrain {
    private static final Logger log = LoggerFactory.getLogger(NodeDrain.class);

    private final Consumer<Boolean> advertiseAvailable;
    private volatile boolean draining;

    /** @param advertiseAvailable told true or false as the node takes new rooms or not (OPTIONS) */
    public NodeDrain(Consumer<Boolean> advertiseAvailable) {
        this.advertiseAvailable = advertiseAvailable;
    }

    public boolean draining() {
        return draining;
    }

    /** Starts or ends draining; returns whether anything changed. */
    public synchronized boolean set(boolean value, String by) {
        if (draining == value) {
            return false;
        }
        draining = value;
        advertiseAvailable.accept(!value);
        log.info(value ? "node draining (by {}): OPTIONS answer 503, no new rooms, running conferences go on"
                : "node takes new rooms again (by {})", by);
        return true;
    }
}
