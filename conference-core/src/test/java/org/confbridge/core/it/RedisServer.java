package org.confbridge.core.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's {@code redis-server} on a free loopback port, without persistence (a restart comes back
 * empty, the hardest case for the nodes), logging to {@code redis.log}; stopped and started again
 * on the same port as an operator's restart would.
 */
final class RedisServer implements AutoCloseable {
    final int port;
    private final Path dir;
    private LoggedProcess process;
    private int starts;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static RedisServer start(Path dir) throws Exception {
        RedisServer redis = new RedisServer(Files.createDirectories(dir), FreePorts.udpAndTcp());
        redis.startAgain();
        return redis;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts (again, on the same port), empty; returns when it accepts connections. */
    void startAgain() throws Exception {
        Path log = dir.resolve("redis-" + (++starts) + ".log");
        Process p = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "yes")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process = new LoggedProcess("redis-server", p, log, StandardCharsets.UTF_8);
        process.awaitLog("Ready to accept connections", Duration.ofSeconds(10));
    }

    /** Stops it (SIGTERM, as systemd would) and waits until it is gone. */
    void stop() throws InterruptedException {
        process.stop(Duration.ofSeconds(10));
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        process.keepLog(dir.getFileName() + "-redis.log");
    }
}
