package org.confbridge.media.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.logging.Level;
import org.confbridge.media.rtp.PacketProtection;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * SRTP and SRTCP (RFC 3711) for one leg, keyed by SDES (RFC 4568): the caller's master key
 * decrypts and authenticates what it sends, ours protects what we send. The transform is the
 * jitsi-srtp library's; replay protection and the rollover counter are its contexts'. A context is
 * derived once per SSRC (the caller's stream, and a new one when the caller restarts its stream).
 * The library allocates a little per packet (an IV object, the HMAC's result). The leg's loop only.
 */
public final class SrtpProtection implements PacketProtection {
    /** The library logs through java.util.logging; failures are the leg's to count, not to log. */
    private static final Logger QUIET = new LoggerImpl(SrtpProtection.class.getName(), Level.OFF);
    /** Held: java.util.logging keeps loggers weakly, and with them their levels. */
    private static final java.util.logging.Logger LIBRARY_LOG = java.util.logging.Logger.getLogger("org.jitsi");

    static {
        // Its start-up notes ("loaded for OpenSSL", "AES benchmark") are not the bridge's to print.
        LIBRARY_LOG.setLevel(Level.WARNING);
        // Named, not chosen by the library: it would time every provider on first use, a second's
        // stall of the room loop that makes the first call. OpenSSL's AES (the library ships the
        // glue) where it loads: as fast under load as the JCE's, with a third of its garbage per
        // packet (the JCE copies each packet it encrypts in place); else the JCE's.
        Aes.setFactoryClassName(Aes.class.getName() + (openSsl() ? "$OpenSSLCipherFactory" : "$SunJCECipherFactory"));
    }

    private static boolean openSsl() {
        if ("jce".equals(System.getProperty("confbridge.srtp.aes"))) {
            return false; // -Dconfbridge.srtp.aes=jce: the JCE's, to compare or to rule OpenSSL out
        }
        try {
            return JitsiOpenSslProvider.isLoaded();
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** Which AES runs the transform: {@code "OpenSSL"} or {@code "JCE"}. */
    public static String aes() {
        return openSsl() ? "OpenSSL" : "JCE";
    }

    /**
     * Loads and initialises the library (its native parts, its ciphers) on the calling thread, so
     * that the first encrypted call does not pay for it on a room's loop.
     */
    public static void warmUp() {
        SrtpSuite suite = SrtpSuite.AES_CM_128_HMAC_SHA1_80;
        byte[] key = new byte[suite.keySaltLength()];
        SrtpProtection sender = new SrtpProtection(suite, key, key);
        byte[] packet = new byte[12 + 160 + MAX_OVERHEAD];
        packet[0] = (byte) 0x80;
        int n = sender.protectRtp(packet, 0, 12 + 160);
        sender.unprotectRtp(packet, 0, n);
        sender.protectRtcp(packet, 0, 12);
        sender.close();
    }

    private final SrtpContextFactory outbound;
    private final SrtpContextFactory inbound;
    private final PacketView view = new PacketView();
    private SrtpCryptoContext sending;
    private int sendingSsrc;
    private SrtcpCryptoContext sendingControl;
    private int sendingControlSsrc;
    /** The caller's stream's context, once a packet of it has authenticated. */
    private SrtpCryptoContext receiving;
    private int receivingSsrc;
    /** A context for an SSRC not yet authenticated: kept while packets of it fail, not replacing the good one. */
    private SrtpCryptoContext candidate;
    private int candidateSsrc;
    private SrtcpCryptoContext receivingControl;
    private int receivingControlSsrc;
    private final SrtpSuite suite;

    /**
     * Protection with {@code suite}: {@code remoteKeySalt} is the caller's master key and salt
     * (from its {@code a=crypto}), {@code localKeySalt} ours (from our answer).
     */
    public SrtpProtection(SrtpSuite suite, byte[] remoteKeySalt, byte[] localKeySalt) {
        this.suite = suite;
        if (remoteKeySalt.length != suite.keySaltLength() || localKeySalt.length != suite.keySaltLength()) {
            throw new IllegalArgumentException(suite + " needs " + suite.keySaltLength() + " bytes of key and salt");
        }
        this.outbound = factory(true, localKeySalt);
        this.inbound = factory(false, remoteKeySalt);
    }

    private SrtpContextFactory factory(boolean sender, byte[] keySalt) {
        byte[] key = Arrays.copyOfRange(keySalt, 0, suite.keyLength());
        byte[] salt = Arrays.copyOfRange(keySalt, suite.keyLength(), keySalt.length);
        return new SrtpContextFactory(sender, key, salt, suite.rtpPolicy(), suite.rtcpPolicy(), QUIET);
    }

    public SrtpSuite suite() {
        return suite;
    }

    @Override
    public boolean encrypted() {
        return true;
    }

    @Override
    public int unprotectRtp(byte[] buf, int off, int len) {
        if (len < 12) {
            return -1;
        }
        int ssrc = readInt(buf, off + 8);
        try {
            if (receiving != null && ssrc == receivingSsrc) {
                return verdict(receiving.reverseTransformPacket(view.point(buf, off, len), false));
            }
            if (candidate == null || ssrc != candidateSsrc) {
                candidate = inbound.deriveContext(ssrc, 0);
                candidateSsrc = ssrc;
            }
            int plain = verdict(candidate.reverseTransformPacket(view.point(buf, off, len), false));
            if (plain >= 0) {
                receiving = candidate; // the caller's (new) stream has proven itself
                receivingSsrc = ssrc;
                candidate = null;
            }
            return plain;
        } catch (GeneralSecurityException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public int protectRtp(byte[] buf, int off, int len) {
        int ssrc = readInt(buf, off + 8);
        try {
            if (sending == null || ssrc != sendingSsrc) {
                sending = outbound.deriveContext(ssrc, 0);
                sendingSsrc = ssrc;
            }
            return verdict(sending.transformPacket(view.point(buf, off, len)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public int unprotectRtcp(byte[] buf, int off, int len) {
        if (len < 8) {
            return -1;
        }
        int ssrc = readInt(buf, off + 4);
        try {
            if (receivingControl == null || ssrc != receivingControlSsrc) {
                receivingControl = inbound.deriveControlContext(ssrc);
                receivingControlSsrc = ssrc;
            }
            return verdict(receivingControl.reverseTransformPacket(view.point(buf, off, len)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public int protectRtcp(byte[] buf, int off, int len) {
        int ssrc = readInt(buf, off + 4);
        try {
            if (sendingControl == null || ssrc != sendingControlSsrc) {
                sendingControl = outbound.deriveControlContext(ssrc);
                sendingControlSsrc = ssrc;
            }
            return verdict(sendingControl.transformPacket(view.point(buf, off, len)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return -1;
        }
    }

    private int verdict(SrtpErrorStatus status) {
        return status == SrtpErrorStatus.OK ? view.getLength() : -1;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    /** Frees the library's state. */
    @Override
    public void close() {
        outbound.close();
        inbound.close();
    }
}
