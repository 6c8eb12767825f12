package org.confbridge.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;

/**
 * Reads one {@code .properties} file through Apache Commons Configuration into raw key/value text.
 * A trailing {@code  # comment} after a value is removed, as admins write them in the examples.
 * Values are never interpolated: {@code ${pin}}, {@code ${env:HOME}} or {@code ${file:…}} stay text.
 */
final class PropertiesFile {
    /** Whitespace then '#': a '#' inside a value (no space before it) stays part of the value. */
    private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s+#.*$");

    private PropertiesFile() {
    }

    static Map<String, String> read(Path path, String displayName) throws ConfigException {
        if (!Files.isReadable(path)) {
            throw new ConfigException(displayName, null, "cannot be read (missing or no permission)");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, displayName);
        } catch (IOException e) {
            throw new ConfigException(displayName, null, "cannot be read: " + e.getMessage(), e);
        }
    }

    static Map<String, String> read(InputStream in, String displayName) throws ConfigException {
        PropertiesConfiguration props = new PropertiesConfiguration();
        try {
            FileHandler handler = new FileHandler(props);
            handler.setEncoding("UTF-8");
            handler.load(in);
        } catch (ConfigurationException e) {
            throw new ConfigException(displayName, null, "is not a valid properties file: " + rootMessage(e), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<String> keys = props.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            List<Object> values = props.getList(key);
            if (values.size() > 1) {
                throw new ConfigException(displayName, key, "is set " + values.size() + " times; set it once");
            }
            // The raw text: getString would interpolate ${...} (other keys, env:, file:, sys:), and a
            // value is data that may come from a customer (a room name given over the API).
            Object raw = props.getProperty(key);
            String value = raw == null ? "" : raw.toString();
            out.put(key, TRAILING_COMMENT.matcher(value).replaceFirst("").trim());
        }
        return out;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
