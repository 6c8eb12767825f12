package org.confbridge.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the README's configuration reference true: every key is documented with its real default. */
class ReadmeConfigTableTest {
    @Test
    void everyKeyIsDocumentedWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        check(readme, BridgeSettings.KEYS);
        check(readme, RoomSettings.KEYS);
    }

    private static void check(String readme, List<SettingKey<?>> keys) {
        for (SettingKey<?> key : keys) {
            String row = readme.lines().filter(l -> l.startsWith("| `" + key.name() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("README has no table row for " + key.name()));
            String def = key.defaultText().isEmpty() ? "*(" : "`" + key.defaultText() + "`";
            assertTrue(row.contains("| " + def), "README default of " + key.name() + " should be " + def + ": " + row);
        }
    }
}
