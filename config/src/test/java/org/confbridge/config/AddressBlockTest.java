package org.confbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressBlockTest {
    @Test
    void blocksContainTheirAddressesOnly() throws Exception {
        AddressBlock net = AddressBlock.parse("10.1.0.0/16");
        assertTrue(net.contains(InetAddress.getByName("10.1.255.7")));
        assertFalse(net.contains(InetAddress.getByName("10.2.0.1")));
        AddressBlock odd = AddressBlock.parse("192.0.2.128/25");
        assertTrue(odd.contains(InetAddress.getByName("192.0.2.200")));
        assertFalse(odd.contains(InetAddress.getByName("192.0.2.100")));
        AddressBlock one = AddressBlock.parse("127.0.0.1");
        assertTrue(one.contains(InetAddress.getByName("127.0.0.1")));
        assertFalse(one.contains(InetAddress.getByName("127.0.0.2")));
        AddressBlock v6 = AddressBlock.parse("2001:db8::/32");
        assertTrue(v6.contains(InetAddress.getByName("2001:db8:1::5")));
        assertFalse(v6.contains(InetAddress.getByName("10.1.0.1")));
        assertTrue(AddressBlock.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9")));
        assertEquals("10.1.0.0/16", net.toString());
    }

    @Test
    void hostNamesAndBadPrefixesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse("trunk.example.com"));
        assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse("10.0.0.0/x"));
        assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse(""));
    }
}
