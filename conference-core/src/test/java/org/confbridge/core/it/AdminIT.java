package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** What an admin does: edit room files while the bridge runs, and act on a live room over HTTP. */
class AdminIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private final ObjectMapper json = new ObjectMapper();
    private long mtime = System.currentTimeMillis();

    private void writeRoom(BridgeProcess bridge, String number, String text) throws Exception {
        Path f = bridge.dir.resolve("rooms").resolve(number + ".properties");
        Files.writeString(f, text);
        mtime += 2000; // later than any earlier version, whatever the file system's time granularity
        Files.setLastModifiedTime(f, FileTime.fromMillis(mtime));
    }

    @Test
    void roomFilesReloadWithoutRestart() throws Exception {
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("1000", "pin = 1111\n", "2000", ""), Map.of());
             RtpPeer first = new RtpPeer(); RtpPeer second = new RtpPeer()) {
            writeRoom(bridge, "1000", "pin = 5555\n");
            bridge.awaitLog("reloaded: room 1000", Duration.ofSeconds(10));
            Sipp a = joinWithPin(bridge, first, "1000", "5555#", "first");
            bridge.awaitLog("joined room 1000 as participant", Duration.ofSeconds(10));

            writeRoom(bridge, "1000", "pin = 12a4\n");
            bridge.awaitLog("1000.properties: key 'pin': must contain digits 0-9 only", Duration.ofSeconds(10));
            assertTrue(bridge.log().contains("the previous version of room 1000 stays in force"), bridge.log());
            Sipp b = joinWithPin(bridge, second, "1000", "5555#", "second");
            bridge.awaitLogCount("joined room 1000 as participant", 2, Duration.ofSeconds(20));
            assertTrue(bridge.metric("bridge_config_reloads_total{result=\"rejected\"}") >= 1);

            Files.delete(bridge.dir.resolve("rooms/2000.properties"));
            bridge.awaitLog("removed: room 2000", Duration.ofSeconds(10));
            Sipp refused = Sipp.start(dir, "removed-room", "uac_rejected.xml", Map.of("CODE", "404", "PAYLOAD", "0"),
                    bridge, "2000");
            assertEquals(0, refused.await(Duration.ofSeconds(20)), refused.report());

            Path bridgeFile = bridge.dir.resolve("bridge.properties");
            Files.writeString(bridgeFile, Files.readString(bridgeFile).replace("sip.port = " + bridge.sipPort,
                    "sip.port = 5999") + "pin.attempts = 5\n");
            Files.setLastModifiedTime(bridgeFile, FileTime.fromMillis(mtime += 2000));
            bridge.awaitLog("sip.port changed from '" + bridge.sipPort + "' to '5999': takes effect after a restart",
                    Duration.ofSeconds(10));
            assertEquals(0, a.await(Duration.ofSeconds(30)), a.report());
            assertEquals(0, b.await(Duration.ofSeconds(30)), b.report());
        }
    }

    @Test
    void apiActsOnALiveRoomWithTheToken() throws Exception {
        Path tone = dir.resolve("tone440.wav");
        Sox.tone(tone, 440, 30, "u-law");
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("3000", "name = Team Nord\nrecord = on-demand\n"),
                Map.of("admin.token", "s3cret"));
             RtpPeer listener = new RtpPeer(); RtpPeer kicked = new RtpPeer(); RtpPeer late = new RtpPeer()) {
            Sipp talker = Sipp.start(dir, "talker", "uac_stream.xml", Map.of("FILE", tone.toString(), "HOLD_MS", "14000"),
                    bridge, "3000");
            Sipp hearer = Sipp.start(dir, "hearer", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(listener.port()), "DTMF_PT", "101", "HOLD_MS", "12000"), bridge, "3000");
            Sipp victim = Sipp.start(dir, "victim", "uac_media_elsewhere_wait_bye.xml",
                    Map.of("PEER_PORT", String.valueOf(kicked.port()), "DTMF_PT", "101", "WAIT_MS", "20000"), bridge, "3000");
            bridge.awaitLogCount("joined room 3000 as participant", 3, Duration.ofSeconds(20));
            Thread.sleep(1500);

            JsonNode room = json.readTree(bridge.get("/api/rooms/3000").body());
            assertEquals("Team Nord", room.get("name").asText());
            assertEquals(3, room.get("participants").size(), room.toPrettyString());
            String talkerLeg = legOf(room, "sip:streamer@");
            String victimLeg = legOf(room, "sip:waiter@");
            JsonNode list = json.readTree(bridge.get("/api/rooms").body());
            assertEquals(3, list.get(0).get("participants").asInt());

            assertEquals(401, post(bridge, "/api/rooms/3000/participants/" + talkerLeg + "/mute", null).statusCode());
            assertEquals(401, post(bridge, "/api/rooms/3000/lock", "wrong").statusCode());
            short[] before = listener.received();
            double loud = ToneMeter.level(before, before.length - 8000, before.length, 440, 8000);
            assertTrue(loud > 5000, "the talker is heard before the mute: " + loud);
            HttpResponse<String> muted = post(bridge, "/api/rooms/3000/participants/" + talkerLeg + "/mute", "s3cret");
            assertEquals(200, muted.statusCode(), muted.body());
            Thread.sleep(1500);
            short[] after = listener.received();
            double quiet = ToneMeter.level(after, after.length - 8000, after.length, 440, 8000);
            assertTrue(quiet < 100, "muted by the admin, the talker is no longer heard: " + quiet);
            assertTrue(json.readTree(muted.body()).toString().contains("\"muted\":true"));

            assertEquals(200, post(bridge, "/api/rooms/3000/record/start", "s3cret").statusCode());
            assertTrue(json.readTree(bridge.get("/api/rooms/3000").body()).get("recording").asBoolean());
            assertEquals(200, post(bridge, "/api/rooms/3000/record/stop", "s3cret").statusCode());

            assertEquals(200, post(bridge, "/api/rooms/3000/participants/" + victimLeg + "/kick", "s3cret").statusCode());
            assertEquals(0, victim.await(Duration.ofSeconds(20)), "kicked caller gets BYE\n" + victim.report());

            assertEquals(200, post(bridge, "/api/rooms/3000/lock", "s3cret").statusCode());
            Sipp refused = Sipp.start(dir, "late", "uac_media_elsewhere_wait_bye.xml",
                    Map.of("PEER_PORT", String.valueOf(late.port()), "DTMF_PT", "101", "WAIT_MS", "15000"), bridge, "3000");
            assertEquals(0, refused.await(Duration.ofSeconds(20)), "locked room: told and hung up\n" + refused.report());
            assertTrue(bridge.log().contains("room 3000 is locked"), bridge.log());

            assertEquals(404, post(bridge, "/api/rooms/9999/lock", "s3cret").statusCode());
            HttpResponse<String> noLeg = post(bridge, "/api/rooms/3000/participants/nobody/kick", "s3cret");
            assertEquals(404, noLeg.statusCode());
            assertTrue(json.readTree(noLeg.body()).has("error"));
            assertEquals(404, bridge.get("/api/rooms/9999").statusCode());

            String metrics = bridge.get("/metrics").body();
            for (String name : List.of("bridge_rtp_packets_in_total", "bridge_rtp_packets_out_total",
                    "bridge_rtp_packets_dropped_total", "bridge_mixer_tick_lateness_seconds_bucket",
                    "bridge_mixer_tick_duration_seconds_bucket", "bridge_mixer_leg_failures_total",
                    "bridge_mixer_loops_realtime", "bridge_media_legs_active", "bridge_media_groups_active",
                    "bridge_sip_invite_results_total", "bridge_dtmf_digits_total", "bridge_recording_bytes_total",
                    "bridge_recording_frames_dropped_total", "bridge_config_reloads_total", "jvm_memory_used_bytes",
                    "jvm_gc_pause_seconds")) {
                assertTrue(metrics.contains(name), "metric " + name + " exported");
            }
            assertEquals(0, hearer.await(Duration.ofSeconds(30)), hearer.report());
            assertEquals(0, talker.await(Duration.ofSeconds(30)), talker.report());
            bridge.awaitLog("room 3000 closed", Duration.ofSeconds(10));
        }
        Path sessionDir;
        try (var dirs = Files.list(dir.resolve("recordings").resolve("3000"))) {
            sessionDir = dirs.findFirst().orElseThrow();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String session = "";
        while (System.nanoTime() < deadline && !session.contains("\"end\" : \"")) {
            session = Files.readString(sessionDir.resolve("session.json"));
            Thread.sleep(100);
        }
        for (String event : List.of("\"mute\"", "\"kick\"", "\"lock\"", "\"recording-start\"", "\"recording-stop\"")) {
            assertTrue(session.contains("\"type\" : " + event), event + " in session.json:\n" + session);
        }
        assertTrue(session.contains("\"by\" : \"admin-api\""), session);
        assertTrue(Files.exists(sessionDir.resolve("mix.wav")), "on-demand recording written");
    }

    private Sipp joinWithPin(BridgeProcess bridge, RtpPeer peer, String room, String keys, String name) throws Exception {
        Sipp call = Sipp.start(dir, name, "uac_media_elsewhere.xml",
                Map.of("PEER_PORT", String.valueOf(peer.port()), "DTMF_PT", "101", "HOLD_MS", "8000"), bridge, room);
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", call.answeredMediaPort(Duration.ofSeconds(10)));
        peer.sendTone(target, 300, 100);
        Thread.sleep(300);
        peer.sendDigits(target, keys, 101);
        return call;
    }

    private static String legOf(JsonNode room, String callerPrefix) {
        return legOf(room, callerPrefix, 0);
    }

    private static String legOf(JsonNode room, String callerPrefix, int nth) {
        int seen = 0;
        for (JsonNode p : room.get("participants")) {
            if (p.get("callerId").asText().startsWith(callerPrefix) && seen++ == nth) {
                return p.get("leg").asText();
            }
        }
        throw new AssertionError("no participant " + callerPrefix + " #" + nth + " in " + room.toPrettyString());
    }

    private static HttpResponse<String> post(BridgeProcess bridge, String path, String token) throws Exception {
        return bridge.post(path, token, null);
    }

}
