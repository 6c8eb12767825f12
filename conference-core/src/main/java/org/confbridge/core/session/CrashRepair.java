package org.confbridge.core.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.confbridge.media.audio.WavWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, fixes the WAV headers of recordings a crash left behind (audio written after the
 * last header update), so every file under the recordings directory plays in full.
 */
public final class CrashRepair {
    private static final Logger log = LoggerFactory.getLogger(CrashRepair.class);

    private CrashRepair() {
    }

    /** Returns the number of files repaired. */
    public static int repairRecordings(Path recordingsDir) {
        if (!Files.isDirectory(recordingsDir)) {
            return 0;
        }
        int repaired = 0;
        try (Stream<Path> files = Files.walk(recordingsDir, 4)) {
            for (Path wav : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".wav"))::iterator) {
                try {
                    if (WavWriter.repair(wav)) {
                        repaired++;
                        log.warn("repaired WAV header of {} (left by an unclean stop)", wav);
                    }
                } catch (IOException e) {
                    log.warn("cannot check {}: {}", wav, e.getMessage());
                }
            }
        } catch (IOException e) {
            log.warn("cannot scan {} for unfinished recordings: {}", recordingsDir, e.getMessage());
        }
        return repaired;
    }
}
