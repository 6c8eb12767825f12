package org.confbridge.media;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A pcap file of RTP packets, one every 20 ms, as SIPp's {@code play_pcap_audio} plays them: SIPp
 * takes each packet's UDP payload and sends it from the caller's media port to the bridge's.
 */
final class RtpPcapWriter implements AutoCloseable {
    private final DataOutputStream out;
    private long packets;

    RtpPcapWriter(String file) throws IOException {
        out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(file)));
        // pcap file header: version 2.4, no time zone, snapshot length 65535, Ethernet frames.
        out.write(ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0xa1b2c3d4).putShort((short) 2)
                .putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1).array());
    }

    /** The next packet, 20 ms after the last: {@code rtp[0..len)}. */
    void write(byte[] rtp, int len) throws IOException {
        int udp = 8 + len;
        int ip = 20 + udp;
        int frame = 14 + ip;
        long micros = packets++ * 20_000L;
        out.write(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (micros / 1_000_000))
                .putInt((int) (micros % 1_000_000)).putInt(frame).putInt(frame).array());
        ByteBuffer p = ByteBuffer.allocate(frame);
        p.put(new byte[12]).putShort((short) 0x0800);
        p.put((byte) 0x45).put((byte) 0).putShort((short) ip).putInt(0).put((byte) 64).put((byte) 17)
                .putShort((short) 0).put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
        p.putShort((short) 40000).putShort((short) 30000).putShort((short) udp).putShort((short) 0);
        p.put(rtp, 0, len);
        out.write(p.array());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
