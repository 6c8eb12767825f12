package org.confbridge.sip.sdp;

import java.util.Arrays;

/**
 * The SRTP keying of a call as negotiated by SDES: the suite, the caller's master key and salt
 * (what it sends is protected with them) and ours, made fresh for the call.
 */
public record SdesKeys(int tag, String suite, byte[] remoteKeySalt, byte[] localKeySalt) {
    /** Whether {@code offered} is the very crypto these keys came from (a re-offer that does not re-key). */
    public boolean sameOffer(SdesCrypto offered) {
        return offered.tag() == tag && offered.suite().equals(suite) && Arrays.equals(offered.keySalt(), remoteKeySalt);
    }

    @Override
    public String toString() {
        return suite; // never the keys
    }
}
