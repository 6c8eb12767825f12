package org.confbridge.media;

import java.io.IOException;
import org.confbridge.media.codec.OpusCodec;
import org.confbridge.media.rtp.RtpHeader;

/**
 * Writes an Opus RTP stream as a pcap file that SIPp's {@code play_pcap_audio} plays: a tone (or
 * silence) at 16 kHz, 32 kbit/s, one packet per 20 ms, payload type 111 on a 48 kHz clock. SIPp
 * cannot stream Opus from a WAV file as it does G.711, so {@code bench/load.sh} with
 * {@code CODEC=opus} gives each caller one of these.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.confbridge.media.OpusRtpCapture OUT.pcap HZ SECONDS</pre>
 * (HZ 0: silence)
 */
public final class OpusRtpCapture {
    private static final int RATE = 16000;
    private static final int FRAME = RATE / 50;

    private OpusRtpCapture() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: OpusRtpCapture OUT.pcap HZ SECONDS   (HZ 0: silence)");
            System.exit(2);
        }
        double hz = Double.parseDouble(args[1]);
        int frames = Integer.parseInt(args[2]) * 50;
        OpusCodec encoder = new OpusCodec(RATE, 32000);
        short[] pcm = new short[FRAME];
        byte[] rtp = new byte[RtpHeader.FIXED_SIZE + OpusCodec.MAX_PAYLOAD];
        try (RtpPcapWriter out = new RtpPcapWriter(args[0])) {
            for (int f = 0; f < frames; f++) {
                for (int i = 0; i < FRAME; i++) {
                    pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * hz * (f * FRAME + i) / RATE));
                }
                int n = encoder.encode(pcm, 0, FRAME, rtp, RtpHeader.FIXED_SIZE);
                RtpHeader.write(rtp, 0, false, 111, f & 0xFFFF, f * 960L, 0x0BADCAFEL);
                out.write(rtp, RtpHeader.FIXED_SIZE + n);
            }
        }
        encoder.close();
    }
}
