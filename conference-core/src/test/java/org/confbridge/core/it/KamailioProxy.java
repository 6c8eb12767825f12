package org.confbridge.core.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Kamailio (Debian package {@code kamailio}) running the shipped {@code deploy/kamailio/kamailio.cfg}
 * in front of bridge nodes, on a loopback port of its own, logging to {@code kamailio.log}.
 */
final class KamailioProxy implements AutoCloseable {
    static final Path CONFIG = Path.of("..", "deploy", "kamailio", "kamailio.cfg");

    final int port;
    private final LoggedProcess process;
    /** The log's name in target/it-logs: the work directory's, so two tests' logs stay apart. */
    private final String keptAs;

    private KamailioProxy(int port, Process process, Path log) {
        this.port = port;
        this.process = new LoggedProcess("Kamailio", process, log, StandardCharsets.UTF_8);
        this.keptAs = log.getParent().getFileName() + "-kamailio.log";
    }

    /** Starts with {@code nodes} as the dispatcher's set, probed every second. */
    static KamailioProxy start(Path dir, List<BridgeProcess> nodes) throws Exception {
        StringBuilder list = new StringBuilder();
        for (BridgeProcess node : nodes) {
            list.append("1 sip:127.0.0.1:").append(node.sipPort).append('\n');
        }
        Path nodesFile = dir.resolve("dispatcher.list");
        Files.writeString(nodesFile, list);
        Path run = Files.createDirectories(dir.resolve("kamailio-run"));
        int port = FreePorts.udpAndTcp();
        Path log = dir.resolve("kamailio.log");
        String binary = Files.isExecutable(Path.of("/usr/sbin/kamailio")) ? "/usr/sbin/kamailio" : "kamailio";
        Process p = new ProcessBuilder(binary, "-f", CONFIG.toAbsolutePath().normalize().toString(), "-DD", "-E",
                "-m", "64", "-M", "8", "-Y", run.toString(), "-P", run.resolve("kamailio.pid").toString(),
                "-A", "LISTEN=udp:127.0.0.1:" + port, "-A", "NODES=\"" + nodesFile + "\"", "-A", "PROBE_SECONDS=1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KamailioProxy proxy = new KamailioProxy(port, p, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!"SIP/2.0 200 OK".equals(SipProbe.options(port, "127.0.0.1", "sip:127.0.0.1:" + port))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                proxy.close();
                throw new IllegalStateException("Kamailio did not start:\n" + proxy.log());
            }
            Thread.sleep(200);
        }
        return proxy;
    }

    /** The node behind the proxy where a caller of {@code room} reached the lobby, waiting for one. */
    static BridgeProcess lobbyOf(String room, List<BridgeProcess> nodes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (BridgeProcess node : nodes) {
                if (node.log().contains("in the lobby of room " + room)) {
                    return node;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no caller of room " + room + " reached a lobby");
    }

    String log() {
        return process.log();
    }

    /** Waits until the log contains {@code text}. */
    void awaitLog(String text, Duration timeout) throws InterruptedException {
        process.awaitLog(text, timeout);
    }

    @Override
    public void close() throws InterruptedException {
        process.stop(Duration.ofSeconds(10));
        process.keepLog(keptAs);
    }
}
