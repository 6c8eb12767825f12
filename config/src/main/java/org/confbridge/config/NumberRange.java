package org.confbridge.config;

/** An inclusive range of room numbers, e.g. {@code rooms.onDemandRange = 7000-7999}. */
public record NumberRange(long low, long high) {
    public NumberRange {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("bad number range " + low + "-" + high);
        }
    }

    @Override
    public String toString() {
        return low + "-" + high;
    }
}
