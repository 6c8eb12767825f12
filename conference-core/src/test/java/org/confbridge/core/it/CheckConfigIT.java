package org.confbridge.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --check-config DIR}, as an admin runs it before a reload: every problem, nothing started. */
class CheckConfigIT {
    @TempDir
    Path dir;

    @Test
    void reportsEveryProblemWithFileAndKeyAndFailsWithoutStarting() throws Exception {
        Files.createDirectories(dir.resolve("rooms"));
        Files.writeString(dir.resolve("bridge.properties"), "sip.port = 5999\nadmin.tokn = x\n");
        Files.writeString(dir.resolve("rooms/1000.properties"), "pin = 1234\n");
        Files.writeString(dir.resolve("rooms/2000.properties"), "pim = 4711\nmaxParticipants = many\n");
        Result bad = run(dir);
        assertEquals(1, bad.exit, bad.out);
        assertTrue(bad.out.contains("bridge.properties: key 'admin.tokn': is not a known key (did you mean 'admin.token'?)"),
                bad.out);
        assertTrue(bad.out.contains("2000.properties: key 'pim'"), bad.out);
        assertTrue(bad.out.contains("2000.properties: key 'maxParticipants'"), bad.out);
        assertTrue(bad.out.contains("3 problem(s)"), bad.out);
        assertTrue(!bad.out.contains("bridge ready") && !bad.out.contains("SIP listening"), "nothing started: " + bad.out);

        Files.writeString(dir.resolve("bridge.properties"), "sip.port = 5999\n");
        Files.writeString(dir.resolve("rooms/2000.properties"), "pin = 4711\n");
        Result good = run(dir);
        assertEquals(0, good.exit, good.out);
        assertTrue(good.out.contains("configuration OK"), good.out);
    }

    private record Result(int exit, String out) {
    }

    private static Result run(Path dir) throws Exception {
        Process p = new ProcessBuilder("java", "-jar", BridgeProcess.JAR.toAbsolutePath().toString(), "--check-config",
                dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "finished");
        return new Result(p.exitValue(), out);
    }
}
