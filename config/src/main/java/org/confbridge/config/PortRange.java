package org.confbridge.config;

/** An inclusive range of UDP ports, e.g. {@code rtp.ports = 20000-29999}. */
public record PortRange(int low, int high) {
    public PortRange {
        if (low < 1 || high > 65535 || high <= low) {
            throw new IllegalArgumentException("bad port range " + low + "-" + high);
        }
    }

    @Override
    public String toString() {
        return low + "-" + high;
    }
}
