package org.confbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpLiteralTest {
    @Test
    void literalsParseNamesNever() throws Exception {
        assertEquals(InetAddress.getByName("192.0.2.7"), IpLiteral.parse("192.0.2.7"));
        assertEquals(InetAddress.getByName("2001:db8::1"), IpLiteral.parse("[2001:db8::1]"));
        assertEquals(5004, IpLiteral.socketAddress("::1", 5004).getPort());
        assertThrows(IllegalArgumentException.class, () -> IpLiteral.parse("trunk.example.com"));
        assertThrows(IllegalArgumentException.class, () -> IpLiteral.parse("1.2.3"));
        assertNull(IpLiteral.orNull("phone.local"));
        assertThrows(IllegalArgumentException.class, () -> IpLiteral.parse("999.1.1.1"));
        assertThrows(IllegalArgumentException.class, () -> IpLiteral.parse("1.2.3.256"));
        assertThrows(IllegalArgumentException.class, () -> IpLiteral.parse("010.1.1.1"));
        assertThrows(IllegalArgumentException.class, () -> IpLiteral.parse("::g"));
        assertThrows(IllegalArgumentException.class, () -> IpLiteral.parse(":"));
        assertEquals(InetAddress.getByName("10.0.0.1"), IpLiteral.parse("10.0.0.1"));
        assertNull(IpLiteral.orNull(null));
    }
}
