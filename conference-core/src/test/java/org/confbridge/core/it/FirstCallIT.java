package org.confbridge.core.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first call, on one machine: the bridge as the quick start runs it (SIP bound to
 * every address, no public address set; only the ports are its own, so tests run side by side),
 * two softphones on the same machine call {@code 127.0.0.1}, type the PIN and hear each other.
 * The bridge answers them with {@code 127.0.0.1} (the address toward them), not the machine's LAN
 * address, from which their media would come and which strict RTP would drop.
 */
class FirstCallIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void softphonesOnTheSameMachineTypeThePinAndHearEachOther() throws Exception {
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("1000", "name = Demo\npin = 1234\n"),
                Map.of("sip.bind", "0.0.0.0"))) {
            try (Baresip alice = Baresip.dial(dir, "alice", 440, "PCMU", bridge, "1000");
                 Baresip bob = Baresip.dial(dir, "bob", 1000, "PCMU", bridge, "1000")) {
                Baresip.joinAndTalk(bridge, "1000", "1234", alice, bob);
                Baresip.hangUpAndHearEachOther(alice, "alice", 440, bob, "bob", 1000);
            }
            bridge.awaitLog("answered, RTP 127.0.0.1:", Duration.ofSeconds(1));
        }
    }
}
