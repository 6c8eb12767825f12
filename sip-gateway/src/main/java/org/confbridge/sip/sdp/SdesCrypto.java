package org.confbridge.sip.sdp;

import java.util.Base64;
import java.util.Map;

/**
 * One {@code a=crypto} attribute of an offer (SDES, RFC 4568 section 9.1) that the bridge can use:
 * its tag, its suite and the offerer's master key and salt. What the bridge cannot honour is
 * refused with the reason: a suite it does not speak, more than one key, an MKI, a lifetime
 * shorter than a call may last, session parameters other than a window size hint.
 */
public record SdesCrypto(int tag, String suite, byte[] keySalt) {
    /** Shorter key lifetimes (in packets) could run out within a call: 2^20 packets are 5.8 hours of 20 ms. */
    static final long MIN_LIFETIME = 1L << 20;

    /**
     * Parses the value after {@code a=crypto:}, e.g. {@code 1 AES_CM_128_HMAC_SHA1_80
     * inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32}. {@code suites} maps each suite
     * the bridge speaks to the bytes of key and salt it needs.
     */
    public static SdesCrypto parse(String value, Map<String, Integer> suites) throws SdpException {
        String[] parts = value.trim().split("[ \t]+");
        if (parts.length < 3) {
            throw new SdpException("malformed a=crypto: tag, suite and key expected");
        }
        int tag = tag(parts[0]);
        String suite = parts[1];
        Integer length = suites.get(suite);
        if (length == null) {
            throw new SdpException("crypto suite " + abbreviate(suite) + " not supported");
        }
        for (int i = 3; i < parts.length; i++) {
            if (!parts[i].startsWith("WSH=")) { // a window size hint changes nothing for us
                throw new SdpException("SDES session parameter " + abbreviate(parts[i]) + " not supported");
            }
        }
        String keyParams = parts[2];
        if (keyParams.contains(";")) {
            throw new SdpException("more than one SDES key (MKI) not supported");
        }
        if (!keyParams.startsWith("inline:")) {
            throw new SdpException("SDES key method other than inline");
        }
        String[] info = keyParams.substring("inline:".length()).split("\\|", -1);
        if (info.length > 3) {
            throw new SdpException("malformed SDES key parameters");
        }
        byte[] keySalt;
        try {
            keySalt = Base64.getDecoder().decode(info[0]);
        } catch (IllegalArgumentException e) {
            throw new SdpException("SDES key is not base64");
        }
        if (keySalt.length != length) {
            throw new SdpException("SDES key of " + keySalt.length + " bytes for " + suite + ", " + length + " expected");
        }
        for (int i = 1; i < info.length; i++) {
            if (info[i].contains(":")) {
                throw new SdpException("SDES key with MKI not supported");
            }
            if (lifetime(info[i]) < MIN_LIFETIME) {
                throw new SdpException("SDES key lifetime " + abbreviate(info[i]) + " shorter than a call may last");
            }
        }
        return new SdesCrypto(tag, suite, keySalt);
    }

    private static int tag(String s) throws SdpException {
        if (!s.matches("[0-9]{1,9}")) {
            throw new SdpException("malformed a=crypto tag " + abbreviate(s));
        }
        return Integer.parseInt(s);
    }

    /** A lifetime in packets: {@code 2^N} or a decimal number. */
    private static long lifetime(String s) throws SdpException {
        try {
            if (s.startsWith("2^")) {
                int exp = Integer.parseInt(s.substring(2));
                return exp >= 62 ? Long.MAX_VALUE : exp < 0 ? 0 : 1L << exp;
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new SdpException("malformed SDES key lifetime " + abbreviate(s));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** The attribute value of our answer: the offer's tag and suite with our own key. */
    public static String answer(int tag, String suite, byte[] keySalt) {
        return tag + " " + suite + " inline:" + Base64.getEncoder().encodeToString(keySalt);
    }
}
