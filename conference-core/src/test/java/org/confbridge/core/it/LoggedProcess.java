package org.confbridge.core.it;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A program a test started (the bridge, Kamailio, baresip) whose output goes to a log file: what
 * it logged, waiting for a line, stopping it, and keeping its log where a developer (or CI) looks
 * after a failure, {@code target/it-logs/}.
 */
final class LoggedProcess {
    private final String name;
    private final Process process;
    private final Path log;
    private final Charset charset;

    LoggedProcess(String name, Process process, Path log, Charset charset) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.charset = charset;
    }

    Process process() {
        return process;
    }

    /** All it logged so far; empty before the file exists. */
    String log() {
        try {
            return Files.readString(log, charset);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the log contains {@code text}; fails with the log if it does not in time or the program exits. */
    void awaitLog(String text, Duration timeout) throws InterruptedException {
        awaitLogCount(text, 1, timeout);
    }

    /** Waits until {@code text} occurs at least {@code count} times in the log. */
    void awaitLogCount(String text, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (log().split(Pattern.quote(text), -1).length - 1 < count) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited (" + process.exitValue() + "):\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError((count == 1 ? "" : count + " x ") + "'" + text + "' not in " + name
                        + "'s log within " + timeout + ":\n" + log());
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}; returns the exit code. */
    int stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    /** Copies the log to {@code target/it-logs/<fileName>}. */
    void keepLog(String fileName) {
        try {
            Path keep = Files.createDirectories(Path.of("target", "it-logs"));
            Files.copy(log, keep.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // only a convenience
        }
    }
}
