package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.confbridge.media.testing.RtpPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long day's recording (1.5 GB) downloaded three times at once from a bridge with the production
 * heap ({@code -Xmx512m}) while two callers talk: every download arrives whole, the listener keeps
 * hearing the talker, and the bridge's memory hardly moves; a player's seek ({@code Range}) gets
 * exactly the bytes asked for, {@code HEAD} only the headers.
 */
class DownloadIT {
    private static final long SIZE = 1_500L * 1024 * 1024;
    private static final String ID = "00c0ffee";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void threeDownloadsOfALongRecordingWhileACallGoesOn() throws Exception {
        Path session = Files.createDirectories(dir.resolve("recordings/1000/20261206T080000Z-" + ID));
        Files.writeString(session.resolve("session.json"), "{\"sessionId\":\"" + ID + "\",\"room\":\"1000\"}");
        byte[] head = "RIFF....WAVEfmt the start of a day".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "and the end of it".getBytes(StandardCharsets.US_ASCII);
        try (RandomAccessFile wav = new RandomAccessFile(session.resolve("mix.wav").toFile(), "rw")) {
            wav.setLength(SIZE); // sparse: no disk needed for the silence in between
            wav.write(head);
            wav.seek(SIZE - tail.length);
            wav.write(tail);
        }
        Path tone = dir.resolve("tone440.wav");
        Sox.tone(tone, 440, 40, "u-law");
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("1000", "announceJoinLeave = false\n"), Map.of(),
                Map.of("JAVA_TOOL_OPTIONS", "-Xms512m -Xmx512m"), null);
             RtpPeer listener = new RtpPeer()) {
            Sipp talker = Sipp.start(dir, "talker", "uac_stream.xml", Map.of("FILE", tone.toString(), "HOLD_MS", "25000"),
                    bridge, "1000");
            Sipp hearer = Sipp.start(dir, "hearer", "uac_media_elsewhere.xml",
                    Map.of("PEER_PORT", String.valueOf(listener.port()), "DTMF_PT", "101", "HOLD_MS", "23000"), bridge, "1000");
            bridge.awaitLogCount("joined room 1000 as participant", 2, Duration.ofSeconds(20));
            listener.sendTone(new InetSocketAddress("127.0.0.1", hearer.answeredMediaPort(Duration.ofSeconds(10))), 1000, 100);
            String url = "http://127.0.0.1:" + bridge.httpPort + "/api/sessions/" + ID + "/mix.wav";
            // As the bridge left it: its crash repair at start writes the RIFF lengths into the header.
            try (InputStream in = Files.newInputStream(session.resolve("mix.wav"))) {
                assertEquals(head.length, in.readNBytes(head, 0, head.length));
            }
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<Void> headOnly = http.send(HttpRequest.newBuilder(URI.create(url))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + bridge.token)
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(200, headOnly.statusCode());
            assertEquals(String.valueOf(SIZE), headOnly.headers().firstValue("Content-Length").orElse(""));
            assertEquals("bytes", headOnly.headers().firstValue("Accept-Ranges").orElse(""));
            HttpResponse<byte[]> seek = http.send(HttpRequest.newBuilder(URI.create(url)).header("Range",
                    "bytes=" + (SIZE - tail.length) + "-").header("Authorization", "Bearer " + bridge.token).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(206, seek.statusCode());
            assertArrayEquals(tail, seek.body());
            assertEquals("bytes " + (SIZE - tail.length) + "-" + (SIZE - 1) + "/" + SIZE,
                    seek.headers().firstValue("Content-Range").orElse(""));
            HttpResponse<byte[]> start = http.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=0-3")
                    .header("Authorization", "Bearer " + bridge.token).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("RIFF", new String(start.body(), StandardCharsets.US_ASCII));
            assertEquals(416, http.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=" + SIZE + "-")
                    .header("Authorization", "Bearer " + bridge.token).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode());

            long rssBefore = rssKb(bridge);
            int heardFrom = listener.received().length;
            AtomicLong rssPeak = new AtomicLong(rssBefore);
            List<CompletableFuture<long[]>> downloads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                downloads.add(CompletableFuture.supplyAsync(() -> download(http, url, bridge.token, head, tail)));
            }
            while (!downloads.stream().allMatch(CompletableFuture::isDone)) {
                rssPeak.accumulateAndGet(rssKb(bridge), Math::max);
                Thread.sleep(100);
            }
            for (CompletableFuture<long[]> d : downloads) {
                long[] got = d.join();
                assertEquals(SIZE, got[0], "a download arrives whole");
                assertEquals(1, got[1], "with the file's first and last bytes where they belong");
            }
            long grewMb = (rssPeak.get() - rssBefore) / 1024;
            assertTrue(grewMb <= 256, "the bridge's memory grew by " + grewMb + " MB for 4.5 GB sent");
            Heard.since("the listener, during the downloads,", listener.received(), heardFrom).hears(440, 5000, "the talker");
            assertEquals(0, hearer.await(Duration.ofSeconds(40)), hearer.report());
            assertEquals(0, talker.await(Duration.ofSeconds(40)), talker.report());
            assertTrue(bridge.alive());
        }
    }

    /** Reads a whole download: its length, and 1 when its first and last bytes are the file's. */
    private static long[] download(HttpClient http, String url, String token, byte[] head, byte[] tail) {
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            byte[] buf = new byte[1 << 16];
            byte[] first = new byte[head.length];
            byte[] last = new byte[tail.length];
            long total = 0;
            try (InputStream in = r.body()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    copyOverlap(buf, n, total, first, 0);
                    copyOverlap(buf, n, total, last, SIZE - last.length);
                    total += n;
                }
            }
            boolean ends = java.util.Arrays.equals(first, head) && java.util.Arrays.equals(last, tail);
            if (!ends) {
                throw new AssertionError("first bytes '" + new String(first, StandardCharsets.ISO_8859_1) + "', last '"
                        + new String(last, StandardCharsets.ISO_8859_1) + "'");
            }
            return new long[] {total, 1};
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies what of {@code buf[0, n)}, at file offset {@code at}, falls into {@code into} at {@code intoAt}. */
    private static void copyOverlap(byte[] buf, int n, long at, byte[] into, long intoAt) {
        long from = Math.max(at, intoAt);
        long to = Math.min(at + n, intoAt + into.length);
        if (from < to) {
            System.arraycopy(buf, (int) (from - at), into, (int) (from - intoAt), (int) (to - from));
        }
    }

    private static long rssKb(BridgeProcess bridge) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + bridge.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS for the bridge");
    }
}
