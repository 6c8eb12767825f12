package org.confbridge.core.admission;

/**
 * Many phones send one key press twice: as RFC 4733 events and as SIP INFO. A key counts once:
 * the same key by another method shortly after is the same press. Presses by one method are
 * never merged (that method reports each press exactly once already).
 */
public final class KeyPressFilter {
    /** How the key arrived. */
    public enum Method { RFC4733, SIP_INFO, INBAND }

    static final long SAME_PRESS_MILLIS = 400;

    private char lastKey;
    private Method lastMethod;
    private long lastAt = Long.MIN_VALUE / 2;

    /** Returns true if this is a new key press. */
    public synchronized boolean accept(char key, Method method, long now) {
        if (key == lastKey && method != lastMethod && now - lastAt < SAME_PRESS_MILLIS) {
            return false;
        }
        lastKey = key;
        lastMethod = method;
        lastAt = now;
        return true;
    }
}
