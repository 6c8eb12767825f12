package org.confbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class LocalAddressesTest {
    @Test
    void boundToEveryAddressAPeerOnThisMachineIsAnsweredWithLoopback() throws Exception {
        LocalAddresses perPeer = new LocalAddresses(null, "192.0.2.2");
        assertEquals("127.0.0.1", perPeer.toward(InetAddress.getByName("127.0.0.1")));
        assertEquals("192.0.2.2", perPeer.toward(null), "nobody in particular: the default");
        assertEquals("192.0.2.2", perPeer.toward(InetAddress.getByName("0.0.0.0")));
    }

    @Test
    void aConfiguredAddressIsWhatEveryPeerGets() throws Exception {
        LocalAddresses nat = new LocalAddresses("203.0.113.7", "203.0.113.7");
        assertEquals("203.0.113.7", nat.toward(InetAddress.getByName("127.0.0.1")));
    }

    @Test
    void onlyLiteralsAreTakenNeverLookedUp() throws Exception {
        assertEquals(InetAddress.getByName("10.0.0.1"), LocalAddresses.literal("10.0.0.1"));
        assertEquals(InetAddress.getByName("::1"), LocalAddresses.literal("[::1]"));
        assertNull(LocalAddresses.literal("999.1.1.1"));
        assertNull(LocalAddresses.literal("pbx.example.com"));
    }
}
