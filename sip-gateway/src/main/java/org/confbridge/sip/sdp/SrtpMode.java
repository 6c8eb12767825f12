package org.confbridge.sip.sdp;

import java.util.Locale;

/** Whether calls use SRTP (the {@code srtp} key). */
public enum SrtpMode {
    /** Plain RTP only: an offer with only SRTP streams is refused. */
    OFF,
    /** SRTP when the caller offers it (with a key the bridge can use), else plain RTP. */
    OPTIONAL,
    /** SRTP only: a plain offer gets 488 with a Warning saying so. */
    REQUIRED;

    /** The mode of a configuration value ({@code off}, {@code optional}, {@code required}). */
    public static SrtpMode parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
