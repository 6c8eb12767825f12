package org.confbridge.core.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's bearer token: {@code admin.token} when set, else one the bridge makes (128 bits
 * from SecureRandom) and keeps in {@code <state.dir>/admin.token} (mode 0600), so it survives a
 * restart and an admin reads it where the log says. Without a state folder (the embedded
 * configuration) the made token lives in memory and is logged once: the quick start needs it.
 */
public final class AdminToken implements Supplier<String> {
    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);
    private static final String FILE = "admin.token";

    private final Supplier<String> configured;
    private final Path stateDir;
    private String made;

    /** @param stateDir where a made token is kept, or null to keep it in memory only */
    public AdminToken(Supplier<String> configured, Path stateDir) {
        this.configured = configured;
        this.stateDir = stateDir;
    }

    /** The token in force; makes (or reads) the bridge's own the first time none is configured. */
    @Override
    public String get() {
        String c = configured.get();
        return c == null || c.isEmpty() ? made() : c;
    }

    private synchronized String made() {
        if (made == null) {
            made = stateDir == null ? fresh() : readOrWrite(stateDir.resolve(FILE));
            if (stateDir == null) {
                log.info("admin API token (no admin.token set; made for this run): {}", made);
            }
        }
        return made;
    }

    private static String readOrWrite(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (kept.length() >= 16) {
                    log.info("admin API token: no admin.token set, using the one in {}", file);
                    return kept;
                }
            }
            String token = fresh();
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + FILE + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log.info("admin API token: no admin.token set, made one and wrote it to {} (mode 0600)", file);
            return token;
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the admin token in " + file + ": " + e.getMessage()
                    + " (set admin.token, or make state.dir writable)", e);
        }
    }

    private static String fresh() {
        byte[] bits = new byte[16];
        new SecureRandom().nextBytes(bits);
        return HexFormat.of().formatHex(bits);
    }
}
