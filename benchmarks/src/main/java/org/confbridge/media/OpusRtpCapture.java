package org.confbridge.media;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(args[0])))) {
            // pcap file header: version 2.4, no time zone, snapshot length 65535, Ethernet frames.
            out.write(ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0xa1b2c3d4).putShort((short) 2)
                    .putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1).array());
            for (int f = 0; f < frames; f++) {
                for (int i = 0; i < FRAME; i++) {
                    pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * hz * (f * FRAME + i) / RATE));
                }
                int n = encoder.encode(pcm, 0, FRAME, rtp, RtpHeader.FIXED_SIZE);
                RtpHeader.write(rtp, 0, false, 111, f & 0xFFFF, f * 960L, 0x0BADCAFEL);
                int udp = 8 + RtpHeader.FIXED_SIZE + n;
                int ip = 20 + udp;
                int frame = 14 + ip;
                long micros = f * 20_000L;
                out.write(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (micros / 1_000_000))
                        .putInt((int) (micros % 1_000_000)).putInt(frame).putInt(frame).array());
                // SIPp reads the UDP payload and sends it from its own media port to the bridge's.
                ByteBuffer p = ByteBuffer.allocate(frame);
                p.put(new byte[12]).putShort((short) 0x0800);
                p.put((byte) 0x45).put((byte) 0).putShort((short) ip).putInt(0).put((byte) 64).put((byte) 17)
                        .putShort((short) 0).put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
                p.putShort((short) 40000).putShort((short) 30000).putShort((short) udp).putShort((short) 0);
                p.put(rtp, 0, RtpHeader.FIXED_SIZE + n);
                out.write(p.array());
            }
        }
        encoder.close();
    }
}
