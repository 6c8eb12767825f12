package org.confbridge.media.room;

import org.confbridge.media.MediaEngine;
import org.confbridge.media.MediaSettings;
import org.confbridge.media.codec.CodecRegistry;
import org.confbridge.media.loop.TickTimer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.confbridge.media.codec.AudioEncoder;
import org.confbridge.media.codec.OpusLibrary;
import org.confbridge.media.net.MemorySocket;
import org.confbridge.media.rtp.RtpHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 20 ms mixing tick of one room: every leg receives its packet (talkers a tone, the others
 * silence), the jitter buffers play out, the talkers are summed, everyone's mix is encoded and
 * each leg's RTP packet is assembled. Listeners send silence, or nothing ({@link #listenersSend}).
 * The legs' sockets are in memory ({@link MemorySocket}), so the system calls are left out and
 * this is the tick's own cost; the load script measures the whole bridge. The room's clock is
 * stepped 20 ms per tick and the benchmark drives the ticks itself ({@link TickTimer#CALLER}). Run
 * with {@code -prof gc} for allocation per tick.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MixerTickBenchmark {
    @Param({"10", "100", "1000", "5000"})
    public int legs;

    /** How many legs talk: a number, or "all". */
    @Param({"1", "3", "all"})
    public String talkers;

    @Param({"PCMU", "G722", "opus"})
    public String codec;

    /**
     * What the listeners send: "silence" packets (a G.711 line without VAD, the usual phone), or
     * "none" (discontinuous transmission, or a muted softphone): then a listener's whole cost is
     * its share of the encoded-once mix and its own packet.
     */
    @Param({"silence", "none"})
    public String listenersSend;

    /** Which library runs Opus (codec=opus): {@code concentus} (pure Java) or {@code libopus} (native). */
    @Param({"concentus"})
    public String opusLibrary;

    /** {@code mixer.maxTalkers}: the most voices mixed at once; 0 = every talker (the full cost of K). */
    @Param({"0"})
    public int maxTalkers;

    /**
     * Whether each tick starts with cold caches, as in the running bridge, where the kernel's
     * network path, the callers and other programs run between two ticks: before each tick (not
     * measured) 64 MB are written, twice the last-level cache of this machine. Warm, the room's
     * few MB stay cached from tick to tick and the figures flatter the layout of its data.
     */
    @Param({"false"})
    public boolean coldCaches;

    private long[] evictor;

    private MediaEngine engine;
    private MixGroup group;
    private MemorySocket[] sockets;
    /** The room's clock: one tick is 20 ms. */
    private long now;
    /** One datagram buffer, as on the room's loop, where each packet is parsed in turn. */
    private final byte[] packet = new byte[12 + 1500];
    private byte[][][] tonePayloads;
    private byte[][] silencePayload;
    private int talking;
    private int seq;
    private final InetSocketAddress sender = new InetSocketAddress("127.0.0.1", 40000);

    @Setup(Level.Trial)
    public void setUp() {
        engine = new MediaEngine(new MediaSettings("127.0.0.1", 20000, 20000 + 2 * legs + 2, 16000, maxTalkers, 20, 200, 1, 0, false, 0,
                OpusLibrary.named(opusLibrary), false),
                new SimpleMeterRegistry(), () -> now, TickTimer.CALLER);
        group = engine.createGroup("bench");
        talking = talkers.equals("all") ? legs : Math.min(legs, Integer.parseInt(talkers));
        sockets = new MemorySocket[legs];
        int pt = codec.equals("PCMU") ? 0 : codec.equals("G722") ? 9 : 111;
        for (int i = 0; i < legs; i++) {
            LegSpec spec = new LegSpec(codec, pt, 101, 20, sender, "bench-" + i);
            sockets[i] = new MemorySocket(20000 + 2 * i);
            CompletableFuture<MediaLeg> leg = new CompletableFuture<>();
            group.add("L" + i, spec, (l, digit) -> { }, sockets[i], null, leg);
            leg.join().setMixed(true); // the benchmark thread is not the loop: queued there
        }
        // Let the loop apply setMixed before measuring.
        try {
            group.loop().submit(() -> { }).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        prepareAudio(pt);
        // Fill every jitter buffer to its playout delay.
        for (int t = 0; t < 5; t++) {
            feed();
            group.mixOnce();
        }
    }

    /** Fifty frames of a 440 Hz tone, and one of silence, in the codec. */
    private void prepareAudio(int pt) {
        AudioEncoder enc = CodecRegistry.encoder(codec, 16000, engine.settings().opusLibrary());
        int rate = enc.sampleRate();
        int frame = rate / 50;
        tonePayloads = new byte[50][][];
        for (int f = 0; f < 50; f++) {
            short[] pcm = new short[frame];
            for (int i = 0; i < frame; i++) {
                pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * (f * frame + i) / rate));
            }
            byte[] out = new byte[1500];
            int n = enc.encode(pcm, 0, frame, out, 0);
            tonePayloads[f] = new byte[][] {java.util.Arrays.copyOf(out, n)};
        }
        byte[] out = new byte[1500];
        int n = CodecRegistry.encoder(codec, 16000, engine.settings().opusLibrary()).encode(new short[frame], 0, frame, out, 0);
        silencePayload = new byte[][] {java.util.Arrays.copyOf(out, n)};
    }

    /** Every leg receives one packet, as the tick's read of the leg's socket hands it over. */
    private void feed() {
        int clock = CodecRegistry.clockRate(codec) / 50;
        int senders = listenersSend.equals("none") ? talking : legs;
        for (int i = 0; i < senders; i++) {
            byte[] payload = i < talking ? tonePayloads[seq % 50][0] : silencePayload[0];
            byte[] p = packet;
            RtpHeader.write(p, 0, false, codec.equals("PCMU") ? 0 : codec.equals("G722") ? 9 : 111, seq & 0xFFFF,
                    (long) seq * clock, 1000 + i);
            System.arraycopy(payload, 0, p, 12, payload.length);
            sockets[i].deliver(p, 0, 12 + payload.length, sender);
        }
        seq++;
        now += 20_000_000L; // one packet per leg every 20 ms, read by the next tick
    }

    @Setup(Level.Invocation)
    public void evictCaches() {
        if (!coldCaches) {
            return;
        }
        if (evictor == null) {
            evictor = new long[64 << 17]; // 64 MB
        }
        long[] e = evictor;
        for (int i = 0; i < e.length; i += 8) { // one write per 64-byte line
            e[i]++;
        }
    }

    @Benchmark
    public void tick() {
        feed();
        group.mixOnce();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }
}
