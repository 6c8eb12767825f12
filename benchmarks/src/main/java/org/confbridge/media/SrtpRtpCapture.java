package org.confbridge.media;

import java.io.IOException;
import java.util.Base64;
import org.confbridge.media.codec.G711;
import org.confbridge.media.rtp.PacketProtection;
import org.confbridge.media.rtp.RtpHeader;
import org.confbridge.media.srtp.SrtpProtection;
import org.confbridge.media.srtp.SrtpSuite;

/**
 * Writes an SRTP stream (PCMU, AES_CM_128_HMAC_SHA1_80 under the given SDES master key and salt)
 * as a pcap file for SIPp's {@code play_pcap_audio}: SIPp has no SRTP of its own, so
 * {@code bench/load.sh} with {@code SRTP=1} offers the key in its {@code a=crypto} line and plays
 * these packets, already protected.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.confbridge.media.SrtpRtpCapture OUT.pcap HZ SECONDS KEY</pre>
 * (HZ 0: silence; KEY: the 30 bytes of key and salt, base64, as in {@code inline:}; {@code none}:
 * plain RTP, the same packets unprotected, to compare with)
 */
public final class SrtpRtpCapture {
    private SrtpRtpCapture() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: SrtpRtpCapture OUT.pcap HZ SECONDS KEY   (HZ 0: silence; KEY base64, or none)");
            System.exit(2);
        }
        double hz = Double.parseDouble(args[1]);
        int packets = Integer.parseInt(args[2]) * 50;
        SrtpProtection srtp = null;
        if (!args[3].equals("none")) {
            byte[] key = Base64.getDecoder().decode(args[3]);
            srtp = new SrtpProtection(SrtpSuite.AES_CM_128_HMAC_SHA1_80, key, key);
        }
        byte[] rtp = new byte[RtpHeader.FIXED_SIZE + 160 + PacketProtection.MAX_OVERHEAD];
        try (RtpPcapWriter out = new RtpPcapWriter(args[0])) {
            for (int f = 0; f < packets; f++) {
                RtpHeader.write(rtp, 0, false, 0, f & 0xFFFF, f * 160L, 0x5EC12E7L);
                for (int i = 0; i < 160; i++) {
                    rtp[RtpHeader.FIXED_SIZE + i] = G711.encodeUlaw(
                            (short) (8000 * Math.sin(2 * Math.PI * hz * (f * 160 + i) / 8000)));
                }
                int n = srtp == null ? RtpHeader.FIXED_SIZE + 160 : srtp.protectRtp(rtp, 0, RtpHeader.FIXED_SIZE + 160);
                if (n < 0) {
                    throw new IOException("packet " + f + " could not be protected");
                }
                out.write(rtp, n);
            }
        }
        if (srtp != null) {
            srtp.close();
        }
    }
}
