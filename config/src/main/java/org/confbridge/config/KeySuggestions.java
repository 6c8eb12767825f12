package org.confbridge.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known key an unknown key was probably meant to be ("did you mean ..."). */
final class KeySuggestions {
    private KeySuggestions() {
    }

    static Optional<String> nearest(String unknown, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String u = unknown.toLowerCase(Locale.ROOT);
        for (String k : known) {
            int d = distance(u, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        // Beyond a third of the word it is no longer a typo but a different word.
        return best != null && bestDistance <= Math.max(2, unknown.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
