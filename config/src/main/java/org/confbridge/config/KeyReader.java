package org.confbridge.config;

import java.util.Map;

/** Parses keys of one file and turns a rule violation into a {@link ConfigException} naming file and key. */
final class KeyReader {
    private final Map<String, String> raw;
    private final String file;

    KeyReader(Map<String, String> raw, String file) {
        this.raw = raw;
        this.file = file;
    }

    <T> T get(SettingKey<T> key) throws ConfigException {
        try {
            return key.parse(raw.get(key.name()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, key.name(), e.getMessage());
        }
    }
}
