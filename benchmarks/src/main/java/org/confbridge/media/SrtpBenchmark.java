package org.confbridge.media;

import java.util.concurrent.TimeUnit;
import org.confbridge.media.rtp.PacketProtection;
import org.confbridge.media.rtp.RtpHeader;
import org.confbridge.media.srtp.SrtpProtection;
import org.confbridge.media.srtp.SrtpSuite;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What SRTP costs per packet: protecting one 20 ms G.711 packet (172 bytes) as the bridge does
 * for every packet it sends, and protecting plus unprotecting it (what the caller sends us costs
 * the difference). Run with {@code -prof gc} for the bytes the library allocates per packet.
 * With {@code legs} above 1, each operation takes the next leg's contexts and buffer in turn, as
 * a room of that many does: the contexts are then no longer in the core's caches between a leg's
 * packets, which is what the bridge pays and a single leg's figure hides.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SrtpBenchmark {
    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public String suite;

    @Param({"1", "400"})
    public int legs;

    private SrtpProtection[] phones;
    private SrtpProtection[] bridges;
    private byte[][] packets;
    private int leg;
    private int seq;

    @Setup
    public void setUp() {
        SrtpSuite s = SrtpSuite.valueOf(suite);
        java.security.SecureRandom random = new java.security.SecureRandom();
        phones = new SrtpProtection[legs];
        bridges = new SrtpProtection[legs];
        packets = new byte[legs][12 + 160 + PacketProtection.MAX_OVERHEAD];
        for (int i = 0; i < legs; i++) {
            byte[] phoneKey = new byte[s.keySaltLength()];
            byte[] bridgeKey = new byte[s.keySaltLength()];
            random.nextBytes(phoneKey);
            random.nextBytes(bridgeKey);
            phones[i] = new SrtpProtection(s, bridgeKey, phoneKey);
            bridges[i] = new SrtpProtection(s, phoneKey, bridgeKey);
        }
    }

    /** The next leg's packet, with the next sequence number once every leg has had one. */
    private byte[] nextPacket() {
        if (++leg == legs) {
            leg = 0;
            seq++;
        }
        byte[] packet = packets[leg];
        RtpHeader.write(packet, 0, false, 0, seq & 0xFFFF, seq * 160L, 0x1234L + leg);
        return packet;
    }

    /** The bridge protects one packet it sends. */
    @Benchmark
    public int protect() {
        byte[] packet = nextPacket();
        return bridges[leg].protectRtp(packet, 0, 12 + 160);
    }

    /** The caller protects a packet and the bridge checks and decrypts it. */
    @Benchmark
    public int protectAndUnprotect() {
        byte[] packet = nextPacket();
        int n = phones[leg].protectRtp(packet, 0, 12 + 160);
        return bridges[leg].unprotectRtp(packet, 0, n);
    }
}
