package org.confbridge.media.webrtc;

import java.util.concurrent.Executor;
import org.confbridge.media.dtls.DtlsCertificate;
import org.confbridge.media.ice.IceLite;

/**
 * What makes a leg a browser's: its ICE-lite credentials (in our answer), the fingerprint of the
 * browser's certificate (from its offer), our certificate, and where DTLS handshakes run.
 */
public record BrowserLeg(IceLite ice, String remoteFingerprint, DtlsCertificate certificate, Executor handshakes) {
}
