package org.confbridge.sip;

import java.util.Locale;

/** Reads the key of a SIP INFO body: {@code application/dtmf-relay} ("Signal=5") or {@code application/dtmf} ("5"). */
public final class DtmfInfoBody {
    private static final String KEYS = "0123456789*#ABCD";

    private DtmfInfoBody() {
    }

    /** The key, or 0 when the body names none. */
    public static char parse(String contentSubtype, String body) {
        if (body == null) {
            return 0;
        }
        String type = contentSubtype.toLowerCase(Locale.ROOT);
        if (type.equals("dtmf-relay")) {
            for (String line : body.split("\r?\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).trim().equalsIgnoreCase("Signal")) {
                    return key(line.substring(eq + 1).trim());
                }
            }
            return 0;
        }
        if (type.equals("dtmf")) {
            return key(body.trim());
        }
        return 0;
    }

    private static char key(String v) {
        if (v.length() == 1 && KEYS.indexOf(Character.toUpperCase(v.charAt(0))) >= 0) {
            return Character.toUpperCase(v.charAt(0));
        }
        // Some phones send the RFC 4733 event code instead: 10 = '*', 11 = '#'.
        try {
            int code = Integer.parseInt(v);
            return code >= 0 && code < KEYS.length() ? KEYS.charAt(code) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
