package org.confbridge.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The address the bridge names to a peer in SDP, Contact and Via. {@code sip.publicAddress} when
 * set (NAT), else the bind address; bound to every address ({@code 0.0.0.0}), the local address
 * the kernel routes toward that peer, as Asterisk's {@code ouraddrfor}: a phone on the same
 * machine that called {@code 127.0.0.1} is answered with {@code 127.0.0.1}, a phone on the LAN
 * with the LAN address. A peer unknown or unroutable gets the default (the first non-loopback
 * IPv4 address).
 */
final class LocalAddresses {
    private final String fixed;
    private final String fallback;

    /** @param fixed the address every peer gets, or null to ask the routing table per peer */
    LocalAddresses(String fixed, String fallback) {
        this.fixed = fixed;
        this.fallback = fallback;
    }

    static LocalAddresses of(SipSettings settings) {
        String chosen = SipGateway.chooseAdvertisedAddress(settings);
        boolean perPeer = (settings.advertisedAddress() == null || settings.advertisedAddress().isBlank())
                && (settings.bindAddress().equals("0.0.0.0") || settings.bindAddress().equals("::"));
        return new LocalAddresses(perPeer ? null : chosen, chosen);
    }

    /** The default: for what is not said to one peer (a room's SIP URI in the API, Warning headers). */
    String fallback() {
        return fallback;
    }

    /**
     * Our address as {@code peer} reaches us. Connecting a UDP socket sends nothing: the kernel
     * only picks the route and with it the source address.
     */
    String toward(InetAddress peer) {
        if (fixed != null) {
            return fixed;
        }
        if (peer == null || peer.isAnyLocalAddress()) {
            return fallback;
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(peer, 9));
            InetAddress local = probe.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? fallback : local.getHostAddress();
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    /**
     * A host that is an IP literal as an address, else null: a name is never looked up here (the
     * JDK would hand {@code 999.1.1.1} or {@code pbx.example.com} to the resolver).
     */
    static InetAddress literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (v4) {
            for (String part : h.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        } else if (!h.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return null;
        }
        try {
            return InetAddress.getByName(h); // a literal: parsed, never resolved
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
