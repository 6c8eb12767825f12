package org.confbridge.media.srtp;

/**
 * A leg's SRTP keys as SDES negotiated them: the suite, the caller's master key and salt (for what
 * it sends) and ours (for what we send).
 */
public record SrtpKeying(SrtpSuite suite, byte[] remoteKeySalt, byte[] localKeySalt) {
    public SrtpKeying {
        if (remoteKeySalt.length != suite.keySaltLength() || localKeySalt.length != suite.keySaltLength()) {
            throw new IllegalArgumentException(suite + " needs " + suite.keySaltLength() + " bytes of key and salt");
        }
    }

    /** The protection these keys give a leg. */
    public SrtpProtection protection() {
        return new SrtpProtection(suite, remoteKeySalt, localKeySalt);
    }

    @Override
    public String toString() {
        return suite.name(); // never the keys
    }
}
