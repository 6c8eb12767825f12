package org.confbridge.media.ice;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * The ICE-lite side of one browser leg (RFC 8445 section 2.5): we gather one host candidate, never
 * check, and answer the browser's connectivity checks. A check counts only with our username pair,
 * a right MESSAGE-INTEGRITY under our password and a right FINGERPRINT; the leg's media goes to the
 * address the browser nominated (or, until it does, the first that passed). A check at least every
 * {@link #CONSENT_NANOS} keeps the leg (consent freshness, RFC 7675). One room loop owns it.
 */
public final class IceLite {
    /** Without a passing check for this long the browser has gone (RFC 7675: 30 s). */
    public static final long CONSENT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    /** What a datagram that looked like STUN came to. */
    public enum Verdict {
        /** A check that passed: answer it; the leg may now send to {@link #selected}. */
        ANSWERED,
        /** A binding request that failed its credentials: answered with 401, counted. */
        REFUSED,
        /** Not a request we answer (a response, an indication, malformed): dropped, counted. */
        DROPPED
    }

    private final String localUfrag;
    private final String localPassword;
    private final byte[] passwordKey;
    private final String remoteUfrag;
    private final String expectedUsername;
    private InetSocketAddress selected;
    private boolean nominated;
    private long lastCheckNanos;
    private boolean checked;
    private byte[] answer;

    /**
     * Our credentials made afresh (ufrag 8 and password 24 characters of the ICE alphabet), the
     * browser's ufrag from its offer, made at {@code now}: the first check is due within
     * {@link #CONSENT_NANOS} too.
     */
    public IceLite(String remoteUfrag, long now) {
        this(random(8), random(24), remoteUfrag, now);
    }

    IceLite(String localUfrag, String localPassword, String remoteUfrag, long now) {
        this.lastCheckNanos = now;
        this.localUfrag = localUfrag;
        this.localPassword = localPassword;
        this.passwordKey = localPassword.getBytes(StandardCharsets.UTF_8);
        this.remoteUfrag = remoteUfrag;
        this.expectedUsername = localUfrag + ":" + remoteUfrag;
    }

    public String localUfrag() {
        return localUfrag;
    }

    public String localPassword() {
        return localPassword;
    }

    /**
     * A datagram that {@link StunMessage#looksLikeStun looks like STUN} arrived from {@code from} at
     * {@code now}: the verdict, and for ANSWERED and REFUSED the answer in {@link #answer()}.
     */
    public Verdict receive(byte[] buf, int off, int len, InetSocketAddress from, long now) {
        answer = null;
        StunMessage m;
        try {
            m = StunMessage.parse(buf, off, len);
        } catch (StunMessage.Malformed e) {
            return Verdict.DROPPED;
        }
        if (m.type() != StunMessage.BINDING_REQUEST) {
            return Verdict.DROPPED;
        }
        if (!expectedUsername.equals(m.username()) || !m.fingerprintValid() || !m.integrityValid(passwordKey)) {
            // RFC 8489 section 9.1.3: 401 without integrity (we cannot sign for a stranger's key).
            answer = new StunMessage.Builder(StunMessage.BINDING_ERROR, m.transactionId())
                    .add(StunMessage.ERROR_CODE, new byte[] {0, 0, 4, 1, 'U', 'n', 'a', 'u', 't', 'h', 'o', 'r', 'i', 'z', 'e', 'd'})
                    .build(null, true);
            return Verdict.REFUSED;
        }
        checked = true;
        lastCheckNanos = now;
        boolean nominates = m.attribute(StunMessage.USE_CANDIDATE) != null;
        if (selected == null || (nominates && (!nominated || !selected.equals(from)))) {
            selected = from;
            nominated |= nominates;
        }
        answer = new StunMessage.Builder(StunMessage.BINDING_SUCCESS, m.transactionId())
                .xorMappedAddress(from)
                .build(passwordKey, true);
        return Verdict.ANSWERED;
    }

    /** The answer to the last datagram, to send back to where it came from; null when there is none. */
    public byte[] answer() {
        return answer;
    }

    /** Where the leg's media goes: the address the browser nominated, or the first that passed; null before any. */
    public InetSocketAddress selected() {
        return selected;
    }

    /** Whether the browser has not proven for 30 s that it wants our media (since the last passing check, or since we began). */
    public boolean consentExpired(long now) {
        return now - lastCheckNanos > CONSENT_NANOS;
    }

    /** Whether any check has passed yet. */
    public boolean connected() {
        return checked;
    }

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ICE_CHARS[RANDOM.nextInt(ICE_CHARS.length)];
        }
        return new String(out);
    }
}
