package org.confbridge.core.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One bridge process for a test class: started before its first test with the given rooms and
 * settings, in a work directory of its own, stopped after the last; the directory is deleted when
 * every test passed (the bridge's log is kept in {@code target/it-logs} either way). Register it
 * as {@code @RegisterExtension static final BridgeExtension bridge = BridgeExtension.with(...)}.
 */
final class BridgeExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    private final Map<String, String> rooms;
    private final Map<String, String> settings;
    private Path dir;
    private BridgeProcess process;
    private boolean failed;

    private BridgeExtension(Map<String, String> rooms, Map<String, String> settings) {
        this.rooms = rooms;
        this.settings = settings;
    }

    /** Room files (number → text) and extra bridge.properties lines. */
    static BridgeExtension with(Map<String, String> rooms, Map<String, String> settings) {
        return new BridgeExtension(rooms, settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("bridge-" + context.getRequiredTestClass().getSimpleName() + "-");
        process = BridgeProcess.start(dir, rooms, settings);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        failed = true;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.close();
        }
        if (!failed && context.getExecutionException().isEmpty() && dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp directory is harmless
            }
        }
    }

    /** The running bridge. */
    BridgeProcess process() {
        return process;
    }

    /** The bridge's work directory (config, recordings, scenario files). */
    Path dir() {
        return dir;
    }
}
