package org.confbridge.media.srtp;

import java.util.Locale;
import org.jitsi.srtp.SrtpPolicy;

/**
 * The SRTP crypto suites the bridge speaks, by their SDES names (RFC 4568 section 6.2, RFC 7714
 * section 12 for GCM), with the sizes of their master key and salt and of their authentication tags.
 */
public enum SrtpSuite {
    AES_CM_128_HMAC_SHA1_80(16, 14, 10, 10),
    /** A short tag on RTP only: SRTCP keeps the 80-bit tag (RFC 4568 section 6.2.2). */
    AES_CM_128_HMAC_SHA1_32(16, 14, 4, 10),
    /** AES-GCM (RFC 7714): encryption and a 16-byte tag in one. */
    AEAD_AES_128_GCM(16, 12, 16, 16);

    private final int keyLength;
    private final int saltLength;
    private final int rtpTagLength;
    private final int rtcpTagLength;

    SrtpSuite(int keyLength, int saltLength, int rtpTagLength, int rtcpTagLength) {
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.rtpTagLength = rtpTagLength;
        this.rtcpTagLength = rtcpTagLength;
    }

    /** The suite of that SDES name (case as written in SDP), or null when the bridge does not speak it. */
    public static SrtpSuite named(String name) {
        for (SrtpSuite s : values()) {
            if (s.name().equals(name.toUpperCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }

    /** Bytes of the master key followed by the master salt, as the inline key carries them. */
    public int keySaltLength() {
        return keyLength + saltLength;
    }

    public int keyLength() {
        return keyLength;
    }

    public int saltLength() {
        return saltLength;
    }

    SrtpPolicy rtpPolicy() {
        return policy(rtpTagLength);
    }

    SrtpPolicy rtcpPolicy() {
        return policy(rtcpTagLength);
    }

    private SrtpPolicy policy(int tagLength) {
        SrtpPolicy p = this == AEAD_AES_128_GCM
                ? new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, keyLength, SrtpPolicy.NULL_AUTHENTICATION, 0, tagLength,
                        saltLength)
                : new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, keyLength, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, tagLength,
                        saltLength);
        p.setReceiveReplayEnabled(true); // RFC 3711 section 3.3.2: replayed packets are dropped
        return p;
    }
}
