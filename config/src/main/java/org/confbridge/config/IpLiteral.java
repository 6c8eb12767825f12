package org.confbridge.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP address written as a literal (SDP, a Via, a CIDR block in a settings file), parsed
 * without a DNS lookup: a name would make a SIP thread wait on DNS, or the trust of a source
 * depend on it. IPv6 may come in brackets, as in URIs.
 */
public final class IpLiteral {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private IpLiteral() {
    }

    /** The address {@code text} names; IllegalArgumentException for anything but an IP literal. */
    public static InetAddress parse(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v4 = IPV4.matcher(t).matches();
        if (v4 ? !octetsInRange(t) : !IPV6.matcher(t).matches()) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            return InetAddress.getByName(t); // a literal is parsed, never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }

    /**
     * Each part 0-255 without a leading zero: the JDK would hand {@code 999.1.1.1} or an octal-looking
     * {@code 010.1.1.1} to the resolver instead of refusing it.
     */
    private static boolean octetsInRange(String v4) {
        for (String part : v4.split("\\.")) {
            if (Integer.parseInt(part) > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
                return false;
            }
        }
        return true;
    }

    /** As {@link #parse}, or null for anything that is not an IP literal. */
    public static InetAddress orNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static InetSocketAddress socketAddress(String address, int port) {
        return new InetSocketAddress(parse(address), port);
    }
}
