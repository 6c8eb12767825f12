package org.confbridge.core.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs SIPp (Debian package {@code sip-tester}) against the bridge on loopback. Scenarios are
 * templates in {@code src/test/resources/sipp}; {@code @NAME@} placeholders are filled in
 * (SIPp does not expand variables inside {@code exec} actions).
 */
final class Sipp {
    private final Process process;
    private final Path messages;
    private final Path errors;
    private final Path output;

    /** The SIP port SIPp listens on (a UAS scenario is called there). */
    final int port;

    private Sipp(Process process, Path messages, Path errors, Path output, int port) {
        this.port = port;
        this.process = process;
        this.messages = messages;
        this.errors = errors;
        this.output = output;
    }

    /**
     * Starts one SIPp call in the background.
     *
     * @param name      a name for the files of this run
     * @param scenario  resource name under {@code /sipp/}
     * @param service   the Request-URI user (room number)
     * @param extra     further SIPp arguments, e.g. {@code -t t1}
     */
    static Sipp start(Path dir, String name, String scenario, Map<String, String> fill, BridgeProcess bridge,
                      String service, String... extra) throws IOException {
        return startFrom("127.0.0.1", dir, name, scenario, fill, bridge, service, extra);
    }

    /** As {@link #start}, signalling from another loopback address (an attacker, another customer). */
    static Sipp startFrom(String localIp, Path dir, String name, String scenario, Map<String, String> fill,
                          BridgeProcess bridge, String service, String... extra) throws IOException {
        return startTo(bridge.sipPort, localIp, dir, name, scenario, fill, service, extra);
    }

    /**
     * As {@link #startFrom}, calling whatever listens on loopback {@code targetPort} (a proxy in
     * front); from an IPv6 {@code localIp}, the IPv6 loopback.
     */
    static Sipp startTo(int targetPort, String localIp, Path dir, String name, String scenario,
                        Map<String, String> fill, String service, String... extra) throws IOException {
        String text;
        try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + scenario)) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario " + scenario);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> e : fill.entrySet()) {
            text = text.replace("@" + e.getKey() + "@", e.getValue());
        }
        Path file = dir.resolve(name + ".xml");
        Files.writeString(file, text);
        List<String> args = new ArrayList<>(List.of("-sf", file.toString(), "-m", "1"));
        args.addAll(List.of(extra));
        return launch(localIp, dir, name, targetPort, service, args);
    }

    /** Runs one of SIPp's built-in scenarios ({@code -sn uac}) with the given load arguments. */
    static Sipp builtin(Path dir, String name, String scenario, BridgeProcess bridge, String service, String... extra)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("-sn", scenario));
        args.addAll(List.of(extra));
        return launch("127.0.0.1", dir, name, bridge.sipPort, service, args);
    }

    private static Sipp launch(String localIp, Path dir, String name, int targetPort, String service,
                               List<String> args) throws IOException {
        Path messages = dir.resolve(name + "-messages.log");
        Path errors = dir.resolve(name + "-errors.log");
        Path output = dir.resolve(name + "-out.log");
        int port = FreePorts.udpAndTcp();
        List<String> cmd = new ArrayList<>(List.of("sipp", "-s", service,
                (localIp.contains(":") ? "[::1]:" : "127.0.0.1:") + targetPort, "-i", localIp, "-mi", localIp,
                "-p", String.valueOf(port), "-mp", String.valueOf(FreePorts.udpRange(4)),
                "-nostdin", "-timeout", "60s", "-trace_msg", "-message_file", messages.toString(),
                "-trace_err", "-error_file", errors.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        return new Sipp(p, messages, errors, output, port);
    }

    /** Runs to the end and returns SIPp's exit code (0: every call as the scenario expects). */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("SIPp did not finish within " + timeout + "\n" + report());
        }
        return process.exitValue();
    }

    String messages() {
        return read(messages);
    }

    /** Stops it now (its call left behind, as when the other side has gone). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Everything SIPp said, for assertion messages. */
    String report() {
        return "--- SIPp errors:\n" + read(errors) + "\n--- SIPp messages:\n" + read(messages);
    }

    /** Waits for the bridge's SDP answer and returns its audio port. */
    int answeredMediaPort(Duration timeout) throws InterruptedException {
        Pattern m = Pattern.compile("SIP/2.0 200[\\s\\S]*?m=audio (\\d+) ");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = m.matcher(messages());
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no 200 OK with SDP within " + timeout + "\n" + report());
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
