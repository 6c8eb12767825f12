package org.confbridge.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One documented key of a configuration file: its name, its default and the rule that turns the
 * text an admin wrote into a value. All validation rules live in the factories of this class, so
 * the README's configuration table and the loader cannot disagree.
 *
 * @param <T> the parsed value type
 */
public final class SettingKey<T> {
    private final String name;
    private final String defaultText;
    private final String description;
    private final Function<String, T> parser;

    private SettingKey(String name, String defaultText, String description, Function<String, T> parser) {
        this.name = name;
        this.defaultText = defaultText;
        this.description = description;
        this.parser = parser;
    }

    public String name() {
        return name;
    }

    /** The default as it would be written in the file ({@code ""} for "empty"). */
    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    /**
     * Parses {@code raw}, or the default when the key is absent.
     *
     * @throws IllegalArgumentException with a human-readable problem description
     */
    public T parse(String raw) {
        return parser.apply(raw == null ? defaultText : raw.trim());
    }

    public static SettingKey<String> text(String name, String def, String description) {
        return new SettingKey<>(name, def, description, s -> s);
    }

    public static SettingKey<String> nonEmptyText(String name, String def, String description) {
        return new SettingKey<>(name, def, description, s -> {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return s;
        });
    }

    /** Empty, or digits only (PINs: a keypad has nothing else that a caller could type). */
    public static SettingKey<String> digits(String name, String def, String description) {
        return new SettingKey<>(name, def, description, s -> {
            if (!s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("must contain digits 0-9 only, got '" + s + "'");
            }
            if (s.length() > 20) {
                throw new IllegalArgumentException("is longer than 20 digits");
            }
            return s;
        });
    }

    /** A keypad sequence of two keys, e.g. {@code *6} or {@code ##}. */
    public static SettingKey<String> keySequence(String name, String def, String description) {
        return new SettingKey<>(name, def, description, s -> {
            if (!s.matches("[0-9*#]{2}")) {
                throw new IllegalArgumentException("must be two keypad keys (0-9, *, #), e.g. *6, got '" + s + "'");
            }
            return s;
        });
    }

    /** One word from a fixed vocabulary, compared case-insensitively; the value is the vocabulary's spelling. */
    public static SettingKey<String> word(String name, String def, List<String> allowed, String description) {
        return new SettingKey<>(name, def, description, s -> allowed.get(indexOf(s, allowed)));
    }

    public static SettingKey<Integer> integer(String name, String def, int min, int max, String description) {
        return new SettingKey<>(name, def, description, s -> parseInt(s, min, max));
    }

    public static SettingKey<Integer> port(String name, String def, String description) {
        return integer(name, def, 1, 65535, description);
    }

    public static SettingKey<Integer> oneOf(String name, String def, int[] allowed, String description) {
        return new SettingKey<>(name, def, description, s -> {
            int v = parseInt(s, Integer.MIN_VALUE, Integer.MAX_VALUE);
            for (int a : allowed) {
                if (a == v) {
                    return v;
                }
            }
            throw new IllegalArgumentException("must be one of " + Arrays.toString(allowed) + ", got " + v);
        });
    }

    public static SettingKey<Boolean> bool(String name, String def, String description) {
        return new SettingKey<>(name, def, description, s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("must be true or false, got '" + s + "'");
        });
    }

    /** A value from a fixed vocabulary, compared case-insensitively; the error lists the choices. */
    public static <E extends Enum<E>> SettingKey<E> choice(String name, String def, Class<E> type,
                                                           Function<E, String> spelling, String description) {
        E[] values = type.getEnumConstants();
        List<String> names = Arrays.stream(values).map(spelling).toList();
        return new SettingKey<>(name, def, description, s -> values[indexOf(s, names)]);
    }

    /** Where {@code s} is among {@code words} (case-insensitive); the error lists them. */
    private static int indexOf(String s, List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).equalsIgnoreCase(s)) {
                return i;
            }
        }
        throw new IllegalArgumentException("must be one of " + String.join(" | ", words) + ", got '" + s + "'");
    }

    /** A comma-separated list of free text entries (may be empty). */
    public static SettingKey<List<String>> textList(String name, String def, String description) {
        return new SettingKey<>(name, def, description, s -> {
            List<String> out = new ArrayList<>();
            for (String part : s.split(",")) {
                String p = part.trim();
                if (!p.isEmpty() && !out.contains(p)) {
                    out.add(p);
                }
            }
            return List.copyOf(out);
        });
    }

    /** A comma-separated list, each element checked against {@code allowed} (case-insensitive). */
    public static SettingKey<List<String>> list(String name, String def, List<String> allowed, boolean mayBeEmpty,
                                                String description) {
        return new SettingKey<>(name, def, description, s -> {
            List<String> out = new ArrayList<>();
            for (String part : s.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                String match = allowed.stream().filter(a -> a.equalsIgnoreCase(p)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "unknown entry '" + p + "', allowed: " + String.join(", ", allowed)));
                if (!out.contains(match)) {
                    out.add(match);
                }
            }
            if (out.isEmpty() && !mayBeEmpty) {
                throw new IllegalArgumentException("must name at least one of " + String.join(", ", allowed));
            }
            return List.copyOf(out);
        });
    }

    /** A comma-separated list of IP addresses and CIDR blocks (see {@link AddressBlock}); may be empty. */
    public static SettingKey<List<AddressBlock>> addressBlocks(String name, String def, String description) {
        return new SettingKey<>(name, def, description, s -> {
            List<AddressBlock> out = new ArrayList<>();
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(AddressBlock.parse(part));
                }
            }
            return List.copyOf(out);
        });
    }

    /** {@code LOW-HIGH}, both ports, LOW &lt; HIGH, at least two ports wide. */
    /** {@code LOW-HIGH} of non-negative numbers (room numbers), LOW at most HIGH. */
    public static SettingKey<NumberRange> numberRange(String name, String def, String description) {
        return new SettingKey<>(name, def, description, s -> {
            String[] parts = s.split("-");
            if (parts.length != 2 || !parts[0].trim().matches("[0-9]{1,18}") || !parts[1].trim().matches("[0-9]{1,18}")) {
                throw new IllegalArgumentException("must be LOW-HIGH, e.g. 7000-7999, got '" + s + "'");
            }
            long low = Long.parseLong(parts[0].trim());
            long high = Long.parseLong(parts[1].trim());
            if (high < low) {
                throw new IllegalArgumentException("upper number " + high + " must not be below " + low);
            }
            return new NumberRange(low, high);
        });
    }

    public static SettingKey<PortRange> portRange(String name, String def, String description) {
        return new SettingKey<>(name, def, description, s -> {
            String[] parts = s.split("-");
            if (parts.length != 2) {
                throw new IllegalArgumentException("must be LOW-HIGH, e.g. 20000-29999, got '" + s + "'");
            }
            int low = parseInt(parts[0].trim(), 1024, 65535);
            int high = parseInt(parts[1].trim(), 1024, 65535);
            if (high <= low) {
                throw new IllegalArgumentException("upper port " + high + " must be above lower port " + low);
            }
            return new PortRange(low, high);
        });
    }

    private static int parseInt(String s, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number, got '" + s + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }
}
