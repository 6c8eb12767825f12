package org.confbridge.config;

/**
 * A configuration file that cannot be used. The message always names the file, the key (when one
 * key is at fault) and the problem, so an admin can fix a typo from one log line.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String key;
    private final String problem;

    public ConfigException(String file, String key, String problem) {
        this(file, key, problem, null);
    }

    public ConfigException(String file, String key, String problem, Throwable cause) {
        super(file + (key == null ? "" : ": key '" + key + "'") + ": " + problem, cause);
        this.file = file;
        this.key = key;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    /** The offending key, or {@code null} when the file as a whole is at fault (unreadable, bad name). */
    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }
}
