package org.confbridge.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A block of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a single
 * address is its own block ({@code 192.0.2.7} = {@code /32}). Written as IP literals only: a host
 * name would make the trust of a source depend on DNS.
 */
public record AddressBlock(byte[] network, int prefixLength) {
    public AddressBlock {
        network = network.clone();
        if (prefixLength < 0 || prefixLength > network.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range");
        }
    }

    /** Parses {@code address[/prefix]}; the error says what is wrong with it. */
    public static AddressBlock parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        InetAddress ip = IpLiteral.orNull(addr);
        if (ip == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
        }
        byte[] bytes = ip.getAddress();
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': prefix length must be a number");
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "': prefix length must be 0-" + bytes.length * 8);
            }
        }
        return new AddressBlock(bytes, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressBlock b && b.prefixLength == prefixLength && Arrays.equals(b.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
