package org.confbridge.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.confbridge.config.BridgeConfiguration;
import org.confbridge.config.ConfigException;
import org.confbridge.config.ConfigLoader;
import org.confbridge.core.logging.QueuedConsoleAppender;
import org.confbridge.sip.tls.TlsKeyMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar conference-bridge.jar [--config DIR]}: starts the bridge on DIR's
 * {@code bridge.properties} and {@code rooms/}, or on the embedded default configuration.
 */
public final class BridgeMain {
    private static final Logger log = LoggerFactory.getLogger(BridgeMain.class);

    private BridgeMain() {
    }

    public static void main(String[] args) {
        // Netty's leak detector samples buffers by building stack traces: a cost on every RTP
        // loop for a check that belongs in tests. -Dio.netty.leakDetection.level=... still wins.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        Path configDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        usage("--config needs a directory");
                    }
                    configDir = Path.of(args[++i]);
                }
                case "--check-config" -> {
                    if (i + 1 >= args.length) {
                        usage("--check-config needs a directory");
                    }
                    System.exit(checkConfig(Path.of(args[++i])));
                }
                case "-h", "--help" -> {
                    usage(null);
                }
                default -> usage("unknown argument: " + args[i]);
            }
        }
        StandardErrorLog.install();
        BridgeConfiguration config;
        try {
            if (configDir == null) {
                log.info("no --config given: using the embedded default configuration (room 1000)");
                config = ConfigLoader.embedded();
            } else {
                if (!Files.isDirectory(configDir)) {
                    usage("--config " + configDir + ": not a directory");
                }
                config = ConfigLoader.load(configDir);
            }
        } catch (ConfigException e) {
            log.error("cannot start: {}", e.getMessage());
            QueuedConsoleAppender.stopLogging();
            System.exit(2);
            return;
        }
        ConfigLoader.logFindings(config);

        BridgeServer server = new BridgeServer(config, configDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("shutting down");
            server.close();
            stopped.countDown();
            QueuedConsoleAppender.stopLogging(); // what is queued is written out: halt runs no other hook
            // A clean stop on SIGTERM is a success: exit 0, not the JVM's 143.
            Runtime.getRuntime().halt(0);
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.start();
        } catch (Exception e) {
            // A failed start is no clean stop: without the hook's exit 0, a service manager sees it.
            Runtime.getRuntime().removeShutdownHook(hook);
            log.error("cannot start: {}", e.getMessage());
            log.debug("start failure", e);
            server.close();
            QueuedConsoleAppender.stopLogging();
            System.exit(1);
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code --check-config DIR}: every problem of DIR's files on stdout, one line each, without
     * starting anything; 0 when there is none, 1 otherwise.
     */
    private static int checkConfig(Path dir) {
        if (!Files.isDirectory(dir)) {
            System.out.println(dir + ": not a directory");
            return 1;
        }
        java.util.List<String> problems = new java.util.ArrayList<>();
        ConfigLoader.check(dir).forEach(p -> problems.add(p.getMessage()));
        if (problems.isEmpty()) {
            // The TLS files as SIP and the join listener will read them: present, PEM, and a pair.
            try {
                var bridge = ConfigLoader.load(dir).bridge();
                if (bridge.sipTransports().contains("tls")) {
                    checkTls(dir, "sip.tls", bridge.tls().certificate(), bridge.tls().privateKey(), problems);
                }
                if (bridge.join().enabled() && bridge.join().tls()) {
                    checkTls(dir, "join.tls", bridge.join().tlsCertificate(), bridge.join().tlsPrivateKey(), problems);
                }
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        problems.forEach(System.out::println);
        System.out.println(problems.isEmpty() ? dir + ": configuration OK"
                : dir + ": " + problems.size() + " problem(s)");
        return problems.isEmpty() ? 0 : 1;
    }

    private static void checkTls(Path dir, String keys, String certificate, String key, java.util.List<String> problems) {
        try {
            TlsKeyMaterial.load(Path.of(certificate), Path.of(key));
        } catch (TlsKeyMaterial.TlsConfigException e) {
            problems.add(dir.resolve("bridge.properties") + ": " + keys + ": " + e.getMessage());
        }
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("error: " + problem);
        }
        System.err.println("usage: java -jar conference-bridge.jar [--config DIR | --check-config DIR]");
        System.err.println("  DIR/bridge.properties   server settings (see README)");
        System.err.println("  DIR/rooms/<n>.properties one file per room");
        QueuedConsoleAppender.stopLogging(); // System.err may be the log by now
        System.exit(problem == null ? 0 : 64);
    }
}
