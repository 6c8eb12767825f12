package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;

/**
 * Two bridge nodes sharing one Redis (Debian's {@code redis-server}), behind Kamailio with the
 * shipped configuration: rooms made over either node's API get different numbers and are reached
 * through the proxy with their PINs wherever the proxy sends the callers; each node lists the
 * other's running rooms and acts on them through their node (lock, chat); sessions are listed by
 * every node and their files redirected to; a guesser blocked on one node is refused by the other
 * and lifted on both; Redis stopped and started empty mid-call loses neither the call nor a room; a
 * room deleted through the node that does not run it ends where it runs; a node that dies leaves
 * the list, and its room's next caller gets in on the other.
 */
class ClusterIT {
    private static final String TOKEN = "t0ken";
    private static final String GUESSER = "127.0.0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoNodesActAsOneBridge() throws Exception {
        Path dir = Files.createTempDirectory("bridge-ClusterIT-");
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"));
             BridgeProcess a = BridgeProcess.start(dir.resolve("ClusterIT-node-a"), Map.of(), settings(redis, "node-a"));
             BridgeProcess b = BridgeProcess.start(dir.resolve("ClusterIT-node-b"), Map.of(), settings(redis, "node-b"));
             KamailioProxy proxy = KamailioProxy.start(dir, List.of(a, b))) {
            List<BridgeProcess> nodes = List.of(a, b);

            // Rooms made on both nodes at once: never the same number.
            Set<String> numbers = new HashSet<>();
            Map<String, String> pins = new java.util.HashMap<>();
            JsonNode talkRoom = null;
            JsonNode byeRoom = null;
            for (int i = 0; i < 3; i++) {
                for (BridgeProcess node : nodes) {
                    var created = node.post("/api/rooms", TOKEN, "{\"name\":\"Ticket " + i + "\",\"language\":\"en\"}");
                    assertEquals(201, created.statusCode(), created.body());
                    JsonNode room = JSON.readTree(created.body());
                    assertTrue(numbers.add(room.get("room").asText()), "a number given twice: " + room + " " + numbers);
                    pins.put(room.get("room").asText(), room.get("pin").asText());
                    if (talkRoom == null) {
                        talkRoom = room;
                    } else if (byeRoom == null && node == b) {
                        byeRoom = room;
                    }
                }
            }
            for (BridgeProcess node : nodes) {
                awaitApi(node, "/api/rooms", body -> numbers.stream().allMatch(n -> body.contains("\"room\":\"" + n + "\"")),
                        "every node lists every room");
            }

            // Two softphones reach the room made on node a through the proxy, with its PIN, and talk.
            String room = talkRoom.get("room").asText();
            BridgeProcess talkNode;
            try (Baresip alice = Baresip.dialVia(dir, "alice", 440, "PCMU", proxy.port, room);
                 Baresip bob = Baresip.dialVia(dir, "bob", 1000, "PCMU", proxy.port, room)) {
                BridgeProcess runs = KamailioProxy.lobbyOf(room, nodes);
                talkNode = runs;
                BridgeProcess other = runs == a ? b : a;
                Baresip.joinAndTalk(runs, room, talkRoom.get("pin").asText(), alice, bob);
                String runsId = runs == a ? "node-a" : "node-b";
                awaitApi(other, "/api/rooms", body -> listed(body, room, runsId, 2),
                        "the other node lists the room where it runs");

                // The other node's API acts on the room where it runs, and answers as that node does.
                var locked = other.post("/api/rooms/" + room + "/lock", TOKEN, null);
                assertEquals(200, locked.statusCode(), locked.body());
                assertEquals(runsId, locked.headers().firstValue("X-Confbridge-Node").orElse(""), "acted where it runs");
                assertTrue(runs.getWithToken("/api/rooms/" + room, TOKEN).body().contains("\"locked\":true"),
                        "locked where it runs");
                assertEquals(200, other.post("/api/rooms/" + room + "/unlock", TOKEN, null).statusCode());
                assertEquals(200, other.post("/api/rooms/" + room + "/chat", TOKEN,
                        "{\"from\":\"Support\",\"text\":\"Hallo aus dem anderen Knoten\"}").statusCode());
                assertTrue(other.getWithToken("/api/rooms/" + room + "/chat", TOKEN).body()
                        .contains("Hallo aus dem anderen Knoten"), "the room's chat, read through the other node");
                assertEquals(401, other.post("/api/rooms/" + room + "/lock", "wrong", null).statusCode(),
                        "the token is checked before anything is sent on");

                // Redis goes away mid-call, and comes back empty.
                redis.stop();
                for (BridgeProcess node : nodes) {
                    awaitApi(node, "/health", body -> body.contains("\"degraded\""), "health says degraded");
                    var refused = node.post("/api/rooms", TOKEN, "{}");
                    assertEquals(503, refused.statusCode(), "no rooms made without Redis: " + refused.body());
                }
                Thread.sleep(1500);
                redis.startAgain();
                for (BridgeProcess node : nodes) {
                    awaitApi(node, "/health", body -> body.contains("\"up\""), "health is up again");
                }
                Thread.sleep(2000);
                Baresip.hangUpAndHearEachOther(alice, "alice", 440, bob, "bob", 1000);
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!(a.log() + b.log()).contains("cluster: Redis held nothing") && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue((a.log() + b.log()).contains("cluster: Redis held nothing"), "a node announced its rooms again");
            }
            // The room's session, listed by both nodes; its files a redirect away from the other.
            BridgeProcess holder = talkNode;
            String sessionsOn = holder == a ? "node-a" : "node-b";
            BridgeProcess elsewhere = holder == a ? b : a;
            awaitApi(elsewhere, "/api/sessions?room=" + room, body -> body.contains("\"node\":\"" + sessionsOn + "\"")
                    && body.contains("\"end\":\"20"), "the other node lists the ended session with its node");
            String session = JSON.readTree(elsewhere.getWithToken("/api/sessions?room=" + room, TOKEN).body()).get(0)
                    .get("id").asText();
            var moved = elsewhere.getWithToken("/api/sessions/" + session + "/session.json", TOKEN);
            assertEquals(307, moved.statusCode(), moved.body());
            String location = moved.headers().firstValue("Location").orElseThrow();
            assertEquals("http://127.0.0.1:" + holder.httpPort + "/api/sessions/" + session + "/session.json", location);
            assertEquals(200, holder.getWithToken("/api/sessions/" + session + "/session.json", TOKEN).statusCode());

            var again = a.post("/api/rooms", TOKEN, "{}");
            assertEquals(201, again.statusCode(), again.body());
            JsonNode lastRoom = JSON.readTree(again.body());
            assertTrue(numbers.add(lastRoom.get("room").asText()),
                    "the rooms announced again keep their numbers: " + again.body());

            // A room deleted through the node that does not run it: its caller gets the bridge's BYE.
            String doomed = byeRoom.get("room").asText();
            try (RtpPeer peer = new RtpPeer()) {
                // Through the proxy, with its route set; it would hang up itself only after 60 s.
                Sipp caller = Sipp.startTo(proxy.port, "127.0.0.1", dir, "doomed", "uac_dialog.xml",
                        Map.of("PEER_PORT", String.valueOf(peer.port()), "HOLD_MS", "60000", "NAME", "Doomed"), doomed);
                InetSocketAddress rtp = new InetSocketAddress("127.0.0.1", caller.answeredMediaPort(Duration.ofSeconds(10)));
                peer.sendTone(rtp, 300, 100);
                BridgeProcess runs = KamailioProxy.lobbyOf(doomed, nodes);
                Thread.sleep(500);
                peer.sendDigits(rtp, byeRoom.get("pin").asText() + "#", 101);
                runs.awaitLog("joined room " + doomed, Duration.ofSeconds(10));
                BridgeProcess other = runs == a ? b : a;
                assertEquals(200, other.delete("/api/rooms/" + doomed, TOKEN).statusCode());
                assertEquals(0, caller.await(Duration.ofSeconds(20)), "the caller got BYE\n" + caller.report());
                proxy.awaitLog("in-dialog BYE from 127.0.0.1:" + runs.sipPort, Duration.ofSeconds(5));
                runs.awaitLog("room " + doomed + " deleted over the API", Duration.ofSeconds(5)); // sent on to it
                other.awaitLog("HTTP DELETE /api/rooms/" + doomed + " -> node " + (runs == a ? "node-a" : "node-b"),
                        Duration.ofSeconds(5));
            }

            // A room is never opened twice: a caller the proxy sends to the node where it does not run
            // is redirected (302) to the one where it does. The room is opened directly on node a, then
            // on node b; the proxy's hash (or what it learned in the first round) sends the proxied
            // caller of one of the two rounds to the node where the room does not run.
            String shared = numbers.stream().filter(n -> !n.equals(room) && !n.equals(doomed)
                    && !n.equals(lastRoom.get("room").asText())).skip(1).findFirst().orElseThrow();
            int redirects = 0;
            for (BridgeProcess opener : nodes) {
                BridgeProcess other = opener == a ? b : a;
                String openerId = opener == a ? "node-a" : "node-b";
                int joinsBefore = count(opener.log(), "joined room " + shared);
                int otherJoins = count(other.log(), "joined room " + shared);
                int redirectsBefore = count(other.log(), "redirected (302) to sip:" + shared + "@");
                try (PinCaller direct = PinCaller.dial(opener.sipPort, dir, "direct-" + openerId, shared, pins.get(shared), 8000)) {
                    opener.awaitLogCount("joined room " + shared, joinsBefore + 1, Duration.ofSeconds(15));
                    awaitApi(other, "/api/rooms", body -> listed(body, shared, openerId, 1), "the other node knows where it runs");
                    try (PinCaller proxied = PinCaller.dial(proxy.port, dir, "proxied-" + openerId, shared, pins.get(shared), 3000)) {
                        opener.awaitLogCount("joined room " + shared, joinsBefore + 2, Duration.ofSeconds(15));
                    }
                }
                assertEquals(otherJoins, count(other.log(), "joined room " + shared), "never opened on the other node");
                redirects += count(other.log(), "redirected (302) to sip:" + shared + "@") - redirectsBefore;
                opener.awaitLog("room " + shared + " closed", Duration.ofSeconds(10));
                awaitApi(other, "/api/rooms", body -> listed(body, shared, "", 0), "a closed room runs nowhere");
            }
            assertTrue(redirects >= 1, "a proxied caller was redirected to where the room ran");
            proxy.awaitLog("following the node's redirect", Duration.ofSeconds(1));

            // A room running nowhere, deleted through node b: gone from node a's folder too.
            String idle = numbers.stream().filter(n -> !n.equals(room) && !n.equals(doomed)
                    && !n.equals(lastRoom.get("room").asText())).findFirst().orElseThrow();
            assertEquals(200, b.delete("/api/rooms/" + idle, TOKEN).statusCode());
            a.awaitLog("room " + idle + " was deleted through another node", Duration.ofSeconds(5));
            assertEquals(404, a.getWithToken("/api/rooms/" + idle, TOKEN).statusCode(), "node a no longer has it");

            // A guesser blocked by node a is refused by node b, and lifted through b on both.
            for (int call = 0; call < 2; call++) {
                PinGuesser.call(GUESSER, dir, "guess-" + call, a, room, 555000 + call * 3);
            }
            a.awaitLog("security: " + GUESSER + " blocked", Duration.ofSeconds(5));
            b.awaitLog("security: " + GUESSER + " blocked until", Duration.ofSeconds(5));
            Sipp refused = Sipp.startFrom(GUESSER, dir, "guess-refused", "uac_rejected.xml",
                    Map.of("CODE", "403", "PAYLOAD", "0"), b, room);
            assertEquals(0, refused.await(Duration.ofSeconds(15)), "node b refuses the guesser\n" + refused.report());
            assertEquals(200, b.delete("/api/security/blocked/" + GUESSER, TOKEN).statusCode());
            awaitApi(a, "/api/security/blocked", body -> body.equals("[]"), "the block is lifted on node a too");

            // A node dies mid-call: the other stops listing it, and the room's next caller gets in there.
            String last = lastRoom.get("room").asText();
            try (RtpPeer peer = new RtpPeer()) {
                Sipp first = Sipp.startTo(proxy.port, "127.0.0.1", dir, "before-death", "uac_dialog.xml",
                        Map.of("PEER_PORT", String.valueOf(peer.port()), "HOLD_MS", "60000", "NAME", "Before"), last);
                peer.sendTone(new InetSocketAddress("127.0.0.1", first.answeredMediaPort(Duration.ofSeconds(10))), 300, 100);
                BridgeProcess dying = KamailioProxy.lobbyOf(last, nodes);
                BridgeProcess survivor = dying == a ? b : a;
                String dyingId = dying == a ? "node-a" : "node-b";
                awaitApi(survivor, "/api/rooms", body -> body.contains("\"node\":\"" + dyingId + "\""),
                        "the survivor lists the room on the node about to die");
                dying.kill();
                first.kill();
                awaitApi(survivor, "/api/rooms", body -> !body.contains("\"node\":\"" + dyingId + "\""),
                        "a dead node's rooms leave the list within its records' expiry");
                try (RtpPeer next = new RtpPeer()) {
                    Sipp caller = Sipp.startTo(proxy.port, "127.0.0.1", dir, "after-death", "uac_dialog.xml",
                            Map.of("PEER_PORT", String.valueOf(next.port()), "HOLD_MS", "3000", "NAME", "After"), last);
                    InetSocketAddress rtp = new InetSocketAddress("127.0.0.1", caller.answeredMediaPort(Duration.ofSeconds(15)));
                    next.sendTone(rtp, 300, 100);
                    survivor.awaitLog("in the lobby of room " + last, Duration.ofSeconds(10));
                    Thread.sleep(500);
                    next.sendDigits(rtp, lastRoom.get("pin").asText() + "#", 101);
                    survivor.awaitLog("joined room " + last, Duration.ofSeconds(10));
                    assertEquals(0, caller.await(Duration.ofSeconds(20)), caller.report());
                }
            }
        }
    }

    private static Map<String, String> settings(RedisServer redis, String node) {
        // The proxy is trusted (limits count the caller below it); two wrong PIN calls block a source.
        return Map.of("admin.token", TOKEN, "security.trustedSources", "127.0.0.1", "cluster.redis", redis.uri(),
                "cluster.nodeId", node, "security.pinFailuresPerSource", "4", "rooms.onDemandRange", "7000-7099");
    }

    private static int count(String log, String text) {
        return log.split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }

    private static boolean listed(String body, String room, String node, int participants) {
        try {
            for (JsonNode r : JSON.readTree(body)) {
                if (r.get("room").asText().equals(room)) {
                    return node.equals(r.path("node").asText("")) && r.get("participants").asInt() == participants;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void awaitApi(BridgeProcess node, String path, Predicate<String> wanted, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = node.getWithToken(path, TOKEN).body();
            if (wanted.test(body)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(what + ": " + path + " on port " + node.httpPort + " says " + body);
    }
}
