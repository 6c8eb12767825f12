package org.confbridge.core.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A mutation fuzzer for SIP: takes a valid message and breaks it the ways scanners, broken stacks
 * and attackers do: flipped and inserted bytes, lines dropped, doubled or cut, numbers made huge
 * or negative, bodies longer or shorter than Content-Length, headers folded, control characters.
 * The Via lines keep their address (only their port and parameters are played with), so that any
 * answer goes back over loopback to the sender. Seeded: a failure can be replayed.
 */
final class SipMutator {
    private static final String[] NUMBERS = {"0", "-1", "65536", "99999", "4294967296", "99999999999999999999",
            "2147483648", "-2147483649", "1e9", "0x10", ""};
    private static final String[] JUNK = {"\u0000", "\r", "\n", "\r\n\r\n", ";", ":", "<", ">", "\"", "%00", "%",
            "\\", ",,,", "\t", " ", "@@", "sip:", "SIP/3.0", "\u00ff\u00fe"};
    private final Random random;

    SipMutator(long seed) {
        this.random = new Random(seed);
    }

    byte[] mutate(String message) {
        List<String> lines = new ArrayList<>(Arrays.asList(message.split("\r\n", -1)));
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            int i = random.nextInt(lines.size());
            String line = lines.get(i);
            boolean via = line.regionMatches(true, 0, "Via:", 0, 4) || line.regionMatches(true, 0, "v:", 0, 2);
            switch (random.nextInt(10)) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(i, line);
                case 2 -> lines.set(i, via ? line : line.substring(0, random.nextInt(line.length() + 1)));
                case 3 -> lines.set(i, via ? line : replaceNumber(line));
                case 4 -> lines.set(i, via ? line + ";" + JUNK[random.nextInt(JUNK.length)] : insertJunk(line));
                case 5 -> lines.set(i, via ? replacePort(line) : flipBytes(line));
                case 6 -> lines.add(i, pick(lines) + " " + JUNK[random.nextInt(JUNK.length)]);
                case 7 -> lines.set(i, " " + line); // a folded continuation where none belongs
                case 8 -> lines.set(i, line + "x".repeat(1 + random.nextInt(3000)));
                default -> {
                    int j = random.nextInt(lines.size());
                    if (!via && !isVia(lines.get(j))) {
                        lines.set(i, lines.get(j));
                        lines.set(j, line);
                    }
                }
            }
        }
        return String.join("\r\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }

    private String pick(List<String> lines) {
        String l = lines.get(random.nextInt(lines.size()));
        int colon = l.indexOf(':');
        return colon > 0 && !isVia(l) ? l.substring(0, colon + 1) : "X-Junk:";
    }

    private static boolean isVia(String line) {
        return line.regionMatches(true, 0, "Via:", 0, 4) || line.regionMatches(true, 0, "v:", 0, 2);
    }

    private String replaceNumber(String line) {
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+").matcher(line);
        int last = 0;
        boolean done = false;
        while (m.find()) {
            out.append(line, last, m.start());
            boolean hit = !done && random.nextBoolean();
            out.append(hit ? NUMBERS[random.nextInt(NUMBERS.length)] : m.group());
            done |= hit;
            last = m.end();
        }
        return out.append(line.substring(last)).toString();
    }

    private String replacePort(String via) {
        return via.replaceFirst(":(\\d+)", ":" + NUMBERS[random.nextInt(4)].replace("-", ""));
    }

    private String insertJunk(String line) {
        int at = random.nextInt(line.length() + 1);
        return line.substring(0, at) + JUNK[random.nextInt(JUNK.length)] + line.substring(at);
    }

    private String flipBytes(String line) {
        char[] c = line.toCharArray();
        for (int k = 0; k < 1 + random.nextInt(4) && c.length > 0; k++) {
            c[random.nextInt(c.length)] = (char) random.nextInt(256);
        }
        return new String(c);
    }
}
