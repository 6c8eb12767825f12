package org.confbridge.core.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real bridge, started as users start it: {@code java -jar conference-bridge.jar --config DIR},
 * on loopback ports of its own. Output goes to {@code bridge.log} in the work directory.
 */
final class BridgeProcess implements AutoCloseable {
    static final Path JAR = Path.of("target", "conference-bridge.jar");

    final Path dir;
    final int sipPort;
    final int httpPort;
    final int rtpBase;
    /** The admin API's token: the one configured, or the one the bridge made in its state folder. */
    String token;
    private final LoggedProcess process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private BridgeProcess(Path dir, int sipPort, int httpPort, int rtpBase, Process process, Path log) {
        this.dir = dir;
        this.sipPort = sipPort;
        this.httpPort = httpPort;
        this.rtpBase = rtpBase;
        this.process = new LoggedProcess("bridge", process, log, StandardCharsets.UTF_8);
    }

    /** Starts with the given room files (number → file text) and extra bridge.properties lines. */
    static BridgeProcess start(Path dir, Map<String, String> rooms, Map<String, String> extraSettings) throws Exception {
        return start(dir, rooms, extraSettings, Map.of(), null);
    }

    /**
     * As {@link #start(Path, Map, Map)}, with extra environment variables and a working directory
     * (null: the test's), as an init system would start it.
     */
    static BridgeProcess start(Path dir, Map<String, String> rooms, Map<String, String> extraSettings,
                               Map<String, String> environment, Path workingDirectory) throws Exception {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " missing: run 'mvn verify' (the package phase builds it)");
        }
        int sip = FreePorts.udpAndTcp();
        int httpPort = FreePorts.udpAndTcp();
        int rtp = FreePorts.udpRange(400);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("sip.bind", "127.0.0.1");
        settings.put("sip.port", String.valueOf(sip));
        settings.put("rtp.ports", rtp + "-" + (rtp + 399));
        settings.put("http.bind", "127.0.0.1");
        settings.put("http.port", String.valueOf(httpPort));
        settings.put("recordings.dir", dir.resolve("recordings").toString());
        settings.putAll(extraSettings);
        StringBuilder props = new StringBuilder();
        settings.forEach((k, v) -> props.append(k).append(" = ").append(v).append('\n'));
        Files.createDirectories(dir.resolve("rooms"));
        Files.writeString(dir.resolve("bridge.properties"), props);
        for (Map.Entry<String, String> room : rooms.entrySet()) {
            Files.writeString(dir.resolve("rooms").resolve(room.getKey() + ".properties"), room.getValue());
        }
        Path log = dir.resolve("bridge.log");
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toAbsolutePath().toString(), "--config",
                dir.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        Process p = builder.start();
        BridgeProcess bridge = new BridgeProcess(dir, sip, httpPort, rtp, p, log);
        bridge.awaitLog("bridge ready", Duration.ofSeconds(30));
        String configured = settings.get("admin.token");
        Path made = Path.of(settings.getOrDefault("state.dir", environment.getOrDefault("STATE_DIRECTORY",
                dir.resolve("state").toString()))).resolve("admin.token");
        bridge.token = configured != null && !configured.isEmpty() ? configured : Files.readString(made).trim();
        return bridge;
    }

    String log() {
        return process.log();
    }

    /**
     * Every port of the bridge's RTP range can be bound by another program within {@code within}:
     * no socket of an ended call is left open (by the bridge, or by a kernel structure holding it,
     * such as an io_uring file table).
     */
    void assertRtpPortsFree(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            java.util.List<Integer> held = new java.util.ArrayList<>();
            for (int port = rtpBase; port < rtpBase + 400; port++) {
                try (java.net.DatagramSocket probe = new java.net.DatagramSocket(port)) {
                    probe.getLocalPort();
                } catch (java.net.SocketException e) {
                    held.add(port);
                }
            }
            if (held.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("RTP ports still held after the calls ended: " + held);
            }
            Thread.sleep(100);
        }
    }

    /** Waits until the log contains {@code text}; fails with the log if it does not appear in time. */
    void awaitLog(String text, Duration timeout) throws InterruptedException {
        process.awaitLog(text, timeout);
    }

    /** Waits until {@code text} occurs at least {@code count} times in the log. */
    void awaitLogCount(String text, int count, Duration timeout) throws InterruptedException {
        process.awaitLogCount(text, count, timeout);
    }

    /** GETs as the admin does: with the token on {@code /api/} paths. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return path.startsWith("/api/") ? getWithToken(path, token) : getAnonymous(path);
    }

    /** GETs without a token, as anyone who reaches the port could. */
    HttpResponse<String> getAnonymous(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GETs from the admin API with the bearer {@code token}. */
    HttpResponse<String> getWithToken(String path, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** DELETEs over the admin API with the bearer {@code token}. */
    HttpResponse<String> delete(String path, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).DELETE()
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs to the admin API, with the bearer {@code token} (or none) and a JSON body (or none). */
    HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .timeout(Duration.ofSeconds(5));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one Prometheus sample line, e.g. {@code bridge_rtp_packets_in_total}. */
    double metric(String sample) throws IOException, InterruptedException {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        throw new AssertionError("metric " + sample + " not exported");
    }

    long pid() {
        return process.process().pid();
    }

    boolean alive() {
        return process.process().isAlive();
    }

    /** SIGKILL: a crash, or the OOM killer; nothing is closed. */
    void kill() throws InterruptedException {
        process.process().destroyForcibly();
        process.process().waitFor();
    }

    /** SIGTERM, as an init system would stop it; returns the exit code. */
    int stop() throws InterruptedException {
        return process.stop(Duration.ofSeconds(20));
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            stop();
        }
        process.keepLog(dir.getFileName() + "-bridge.log");
    }
}
