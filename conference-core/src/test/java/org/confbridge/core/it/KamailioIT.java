package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;

/**
 * Kamailio with the shipped {@code deploy/kamailio/kamailio.cfg} in front of two bridge nodes, as
 * a larger installation runs it: every room lands whole on one node, callers (SIPp with an RTP
 * peer, and two baresip softphones) hear each other through the proxy, BYE passes the proxy both ways, a drained node gets no new rooms while its
 * running conference still takes callers, and a killed node's rooms are answered by the other.
 */
class KamailioIT {
    private static final String TOKEN = "t0ken";
    private static final List<String> FIRST_ROOMS = List.of("1001", "1002", "1003", "1004", "1005", "1006");
    private static final List<String> LATER_ROOMS = List.of("2001", "2002", "2003", "2004");
    /** Where two softphones meet through the proxy, with a PIN as a customer's room has. */
    private static final String SOFTPHONE_ROOM = "3001";

    @Test
    void roomsLandWholeOnOneNodeAndMoveWhenTheirNodeDrainsOrDies() throws Exception {
        Map<String, String> rooms = new LinkedHashMap<>();
        for (String r : FIRST_ROOMS) {
            rooms.put(r, "announceJoinLeave = false\n");
        }
        for (String r : LATER_ROOMS) {
            rooms.put(r, "announceJoinLeave = false\n");
        }
        rooms.put(SOFTPHONE_ROOM, "pin = 1234\nannounceJoinLeave = false\n");
        // The proxy is trusted: per-source limits count the caller below it, not the proxy.
        Map<String, String> settings = Map.of("admin.token", TOKEN, "security.trustedSources", "127.0.0.1");
        Path dir = Files.createTempDirectory("bridge-KamailioIT-");
        List<Caller> callers = new ArrayList<>();
        try (BridgeProcess a = BridgeProcess.start(dir.resolve("KamailioIT-node-a"), rooms, settings);
             BridgeProcess b = BridgeProcess.start(dir.resolve("KamailioIT-node-b"), rooms, settings);
             KamailioProxy proxy = KamailioProxy.start(dir, List.of(a, b))) {
            List<BridgeProcess> nodes = List.of(a, b);

            // Two callers in each of six rooms, talking: each room whole on one node, heard both ways.
            Map<String, Caller[]> pairs = new LinkedHashMap<>();
            for (String room : FIRST_ROOMS) {
                String hold = room.equals("1001") ? "60000" : "9000";
                pairs.put(room, new Caller[] {Caller.call(proxy, dir, room + "-first", room, hold, "First"),
                        Caller.call(proxy, dir, room + "-second", room, "60000", "Second")});
            }
            for (Caller[] pair : pairs.values()) {
                callers.addAll(List.of(pair));
                pair[0].talk(440);
                pair[1].talk(1000);
            }
            Map<String, BridgeProcess> home = new LinkedHashMap<>();
            for (String room : FIRST_ROOMS) {
                home.put(room, nodeOf(room, 2, nodes));
            }
            Thread.sleep(3000);
            for (Map.Entry<String, Caller[]> pair : pairs.entrySet()) {
                String room = pair.getKey();
                Heard.last(room + "'s first caller", pair.getValue()[0].peer.received(), 1.5).hearsOtherNotOwn(1000, 3000, 440);
                Heard.last(room + "'s second caller", pair.getValue()[1].peer.received(), 1.5).hearsOtherNotOwn(440, 3000, 1000);
            }
            assertTrue(home.containsValue(a) && home.containsValue(b), "rooms are spread over both nodes: " + home);

            // Two real softphones in one room through the proxy: both on one node, each hears the other.
            try (Baresip alice = Baresip.dialVia(dir, "alice", 440, "PCMU", proxy.port, SOFTPHONE_ROOM);
                 Baresip bob = Baresip.dialVia(dir, "bob", 1000, "PCMA", proxy.port, SOFTPHONE_ROOM)) {
                BridgeProcess node = KamailioProxy.lobbyOf(SOFTPHONE_ROOM, nodes);
                Baresip.joinAndTalk(node, SOFTPHONE_ROOM, "1234", alice, bob);
                Baresip.hangUpAndHearEachOther(alice, "alice", 440, bob, "bob", 1000);
            }

            // BYE through the proxy both ways: the bridge's (a kick) and the callers' own.
            for (String room : FIRST_ROOMS) {
                if (!room.equals("1001")) {
                    BridgeProcess node = home.get(room);
                    String leg = leg(node, room, "Second");
                    assertEquals(200, node.post("/api/rooms/" + room + "/participants/" + leg + "/kick", TOKEN, null)
                            .statusCode());
                }
            }
            for (String room : FIRST_ROOMS) {
                Caller[] pair = pairs.get(room);
                if (!room.equals("1001")) {
                    assertEquals(0, pair[1].sipp.await(Duration.ofSeconds(20)), "kicked, got the bridge's BYE\n"
                            + pair[1].sipp.report());
                    assertEquals(0, pair[0].sipp.await(Duration.ofSeconds(20)), "hung up\n" + pair[0].sipp.report());
                    proxy.awaitLog("in-dialog BYE from 127.0.0.1:" + home.get(room).sipPort, Duration.ofSeconds(5));
                    proxy.awaitLog("in-dialog BYE from 127.0.0.1:" + pair[0].sipp.port, Duration.ofSeconds(5));
                }
            }

            // Drain the node of room 1001, which goes on: new rooms go to the other node, 1001 stays.
            BridgeProcess drained = home.get("1001");
            BridgeProcess other = drained == a ? b : a;
            assertEquals(200, drained.post("/api/drain", TOKEN, null).statusCode());
            Thread.sleep(2500); // the dispatcher's OPTIONS probe (every second) sees 503
            List<String> wanted = new ArrayList<>();
            for (String room : FIRST_ROOMS) {
                if (home.get(room) == drained && !room.equals("1001")) {
                    wanted.add(room);
                }
            }
            assertFalse(wanted.isEmpty(), "a room that was on the drained node: " + home);
            for (String room : concat(wanted, LATER_ROOMS)) {
                int before = count(drained, room);
                Caller c = Caller.call(proxy, dir, room + "-drained", room, "1500");
                callers.add(c);
                assertEquals(0, c.sipp.await(Duration.ofSeconds(20)), room + " answered\n" + c.sipp.report());
                assertEquals(before, count(drained, room), room + " not on the draining node");
                assertTrue(count(other, room) > 0, room + " went to the node not draining");
            }
            Caller late = Caller.call(proxy, dir, "1001-late", "1001", "1500");
            callers.add(late);
            assertEquals(0, late.sipp.await(Duration.ofSeconds(20)), late.sipp.report());
            assertEquals(3, count(drained, "1001"), "the running conference took its new caller on the drained node");
            assertEquals(0, count(other, "1001"));
            assertEquals(200, drained.delete("/api/drain", TOKEN).statusCode());

            // Kill the node the later rooms went to: calls for them are answered by the survivor.
            other.kill();
            for (String room : List.of(wanted.get(0), LATER_ROOMS.get(0))) {
                int before = count(drained, room);
                Caller c = Caller.call(proxy, dir, room + "-after-kill", room, "1500");
                callers.add(c);
                assertEquals(0, c.sipp.await(Duration.ofSeconds(30)), room + " answered by the survivor\n" + c.sipp.report());
                assertEquals(before + 1, count(drained, room), room + " joined on the surviving node");
            }
            pairs.get("1001")[0].sipp.kill();
            pairs.get("1001")[1].sipp.kill();
        } finally {
            for (Caller c : callers) {
                c.peer.close();
                c.sipp.kill();
            }
        }
    }

    /** The node whose lobby a caller of {@code room} reached first, waiting for it. */
    /** The one node where {@code room} has {@code joins} joins (the other none), waiting for them. */
    private static BridgeProcess nodeOf(String room, int joins, List<BridgeProcess> nodes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            int onA = count(nodes.get(0), room);
            int onB = count(nodes.get(1), room);
            if (onA + onB >= joins) {
                assertTrue(onA == 0 || onB == 0, "room " + room + " split over nodes: " + onA + " + " + onB);
                return onA > 0 ? nodes.get(0) : nodes.get(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError(joins + " joins of room " + room + " not seen");
    }

    private static int count(BridgeProcess node, String room) {
        return node.log().split(Pattern.quote("joined room " + room), -1).length - 1;
    }

    private static String leg(BridgeProcess node, String room, String displayName) throws Exception {
        JsonNode r = new ObjectMapper().readTree(node.getWithToken("/api/rooms/" + room, TOKEN).body());
        for (JsonNode p : r.get("participants")) {
            if (displayName.equals(p.get("displayName").asText())) {
                return p.get("leg").asText();
            }
        }
        throw new AssertionError(displayName + " not in " + room + ": " + r);
    }

    private static List<String> concat(List<String> x, List<String> y) {
        List<String> all = new ArrayList<>(x);
        all.addAll(y);
        return all;
    }

    /** A caller through the proxy: SIPp signals, an RTP peer talks and listens. */
    private record Caller(Sipp sipp, RtpPeer peer) {
        static Caller call(KamailioProxy proxy, Path dir, String name, String room, String holdMs) throws Exception {
            return call(proxy, dir, name, room, holdMs, "Proxied");
        }

        static Caller call(KamailioProxy proxy, Path dir, String name, String room, String holdMs, String displayName)
                throws Exception {
            RtpPeer peer = new RtpPeer();
            Sipp sipp = Sipp.startTo(proxy.port, "127.0.0.1", dir, name, "uac_dialog.xml",
                    Map.of("PEER_PORT", String.valueOf(peer.port()), "HOLD_MS", holdMs, "NAME", displayName), room);
            return new Caller(sipp, peer);
        }

        void talk(double hz) throws InterruptedException {
            peer.sendTone(new InetSocketAddress("127.0.0.1", sipp.answeredMediaPort(Duration.ofSeconds(15))), hz, 8000);
        }
    }
}
