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

    private SrtpProtection phone;
    private SrtpProtection bridge;
    private final byte[] packet = new byte[12 + 160 + PacketProtection.MAX_OVERHEAD];
    private int seq;

    @Setup
    public void setUp() {
        SrtpSuite s = SrtpSuite.valueOf(suite);
        byte[] phoneKey = new byte[s.keySaltLength()];
        byte[] bridgeKey = new byte[s.keySaltLength()];
        new java.security.SecureRandom().nextBytes(phoneKey);
        new java.security.SecureRandom().nextBytes(bridgeKey);
        phone = new SrtpProtection(s, bridgeKey, phoneKey);
        bridge = new SrtpProtection(s, phoneKey, bridgeKey);
    }

    private void nextPacket() {
        RtpHeader.write(packet, 0, false, 0, seq & 0xFFFF, seq * 160L, 0x1234L);
        seq++;
    }

    /** The bridge protects one packet it sends. */
    @Benchmark
    public int protect() {
        nextPacket();
        return bridge.protectRtp(packet, 0, 12 + 160);
    }

    /** The caller protects a packet and the bridge checks and decrypts it. */
    @Benchmark
    public int protectAndUnprotect() {
        nextPacket();
        int n = phone.protectRtp(packet, 0, 12 + 160);
        return bridge.unprotectRtp(packet, 0, n);
    }
}
