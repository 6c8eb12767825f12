package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the bridge (SIGTERM) hangs up live calls with BYE instead of leaving them dead. */
class ShutdownIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void liveCallsGetByeOnShutdown() throws Exception {
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("1000", ""), Map.of())) {
            Sipp caller = Sipp.start(dir, "waiter", "uac_wait_bye.xml", Map.of(), bridge, "1000");
            caller.answeredMediaPort(Duration.ofSeconds(10));
            bridge.awaitLog("confirmed (ACK)", Duration.ofSeconds(5));
            bridge.stop();
            assertEquals(0, caller.await(Duration.ofSeconds(20)), "the caller received BYE\n" + caller.report());
            assertTrue(bridge.log().contains("BYE sent by the bridge"), bridge.log());
            assertTrue(bridge.log().contains("bridge stopped"), bridge.log());
        }
    }
}
