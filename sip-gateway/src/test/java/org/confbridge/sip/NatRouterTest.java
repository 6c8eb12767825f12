package org.confbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.util.Properties;
import javax.sip.SipFactory;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.message.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NatRouterTest {
    private static SipStack stack;
    private NatRouter router;

    @BeforeAll
    static void stack() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "nat-router-test");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", JainSipStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", JainSipMessageLogger.class.getName());
        p.setProperty("javax.sip.ROUTER_PATH", NatRouter.class.getName());
        stack = factory.createSipStack(p);
    }

    @BeforeEach
    void router() {
        router = (NatRouter) stack.getRouter();
        router.forget("c1");
    }

    @AfterAll
    static void stop() {
        stack.stop();
    }

    /** A request as the stack hands it over: received and rport written into the top Via. */
    private static Request request(String method, String via, String extra) throws Exception {
        String text = method + " sip:phone@192.168.1.20:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + via + ";branch=z9hG4bK1\r\n"
                + "From: <sip:phone@192.168.1.20>;tag=1\r\nTo: <sip:1000@bridge.example>;tag=2\r\n"
                + "Call-ID: c1\r\nCSeq: 2 " + method + "\r\nMax-Forwards: 70\r\n" + extra
                + "Contact: <sip:phone@192.168.1.20:5060>\r\nContent-Length: 0\r\n\r\n";
        return new MessageFactoryImpl().createRequest(text);
    }

    @Test
    void aCallerBehindNatIsReachedWhereItsRequestsCameFrom() throws Exception {
        Request invite = request("INVITE", "192.168.1.20:5060;rport=40112;received=203.0.113.7", "");
        Hop hop = router.remember(invite);
        assertEquals("203.0.113.7", hop.getHost());
        assertEquals(40112, hop.getPort());

        Request bye = request("BYE", "bridge.example:5060", "");
        Hop next = router.getNextHop(bye);
        assertEquals("203.0.113.7:40112", next.getHost() + ":" + next.getPort());

        router.forget("c1");
        assertEquals("192.168.1.20:5060", router.getNextHop(bye).getHost() + ":" + router.getNextHop(bye).getPort());
    }

    @Test
    void onlyAPortRewrittenByNatCountsWhenRportWasAsked() throws Exception {
        Hop hop = router.remember(request("INVITE", "198.51.100.4:5060;rport=61000;received=198.51.100.4", ""));
        assertEquals(61000, hop.getPort());
        assertNull(router.remember(request("INVITE", "198.51.100.4:5060;rport=5060;received=198.51.100.4", "")));
        assertNull(router.remember(request("INVITE", "198.51.100.4:5060", "")), "not behind NAT: its Contact is used");
    }

    @Test
    void aRecordRoutingProxyReachesTheCallerItself() throws Exception {
        assertNull(router.remember(request("INVITE", "10.0.0.5:5060;rport=5070;received=10.0.0.9",
                "Record-Route: <sip:10.0.0.9;lr>\r\n")));
        Request bye = request("BYE", "bridge.example:5060", "Route: <sip:10.0.0.9;lr>\r\n");
        assertEquals("10.0.0.9", router.getNextHop(bye).getHost());
    }
}
