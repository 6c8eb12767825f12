package org.confbridge.media.room;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.confbridge.media.MediaEngine;
import org.confbridge.media.MediaSettings;
import org.confbridge.media.codec.G711;
import org.confbridge.media.codec.OpusCodec;
import org.confbridge.media.codec.OpusLibrary;
import org.confbridge.media.ice.IceLite;
import org.confbridge.media.loop.TickTimer;
import org.confbridge.media.net.RingKernel;
import org.confbridge.media.rtp.RtpHeader;
import org.confbridge.media.testing.BrowserPeer;
import org.confbridge.media.testing.Tone;

/**
 * The room thread's CPU per leg, by kind of caller, in one room of N legs that all send a tone:
 * a phone on PCMU, a SIP softphone on Opus (plain RTP), and a browser (ICE-lite, DTLS-SRTP, Opus
 * 48 kHz). The callers are played from this JVM (encoded ahead; browsers protect each packet), the
 * bridge's side is the real engine on loopback sockets; only the room loops' threads are measured.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.confbridge.media.room.BrowserLegCost pcmu|opus|browser N SECONDS [concentus|libopus]</pre>
 */
public final class BrowserLegCost {
    private static final long TICK = 20_000_000L;

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "browser";
        int legs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        OpusLibrary library = OpusLibrary.named(args.length > 3 ? args[3] : "concentus");
        int base = 30000 + (int) (ProcessHandle.current().pid() % 500) * 4;
        try (MediaEngine engine = new MediaEngine(new MediaSettings("127.0.0.1", base, base + 2 * legs + 40, 16000, 8, 20,
                200, 1, 0, false, 0, library, true), new SimpleMeterRegistry(), System::nanoTime,
                TickTimer.LOOP, RingKernel.LINUX)) {
            MixGroup room = engine.createGroup("cost");
            List<Caller> callers = new ArrayList<>();
            for (int i = 0; i < legs; i++) {
                callers.add(switch (kind) {
                    case "pcmu" -> Phone.open(room, i, "PCMU", 0);
                    case "opus" -> Phone.open(room, i, "OPUS", 96);
                    case "browser" -> Browser.open(engine, room, i);
                    default -> throw new IllegalArgumentException("pcmu, opus or browser, not " + kind);
                });
            }
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long warm = 5 * 50L;
            long ticks = warm + seconds * 50L;
            long cpuStart = 0;
            long next = System.nanoTime();
            for (long t = 0; t < ticks; t++) {
                if (t == warm) {
                    cpuStart = roomLoopsCpu(threads);
                }
                for (Caller c : callers) {
                    c.send((int) t);
                }
                next += TICK;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            long cpu = roomLoopsCpu(threads) - cpuStart;
            double perLegPercent = 100.0 * cpu / (seconds * 1e9) / legs;
            System.out.printf("%s (%s): %d legs talking, room loop CPU %.1f %% of a core, %.3f %% per leg (%.1f µs per leg per 20 ms)%n",
                    kind, library.name().toLowerCase(java.util.Locale.ROOT), legs, 100.0 * cpu / (seconds * 1e9), perLegPercent, cpu / 1000.0 / legs / (seconds * 50.0));
            for (Caller c : callers) {
                c.close();
            }
            room.close();
        }
    }

    private static long roomLoopsCpu(com.sun.management.ThreadMXBean threads) {
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            if (info != null && info.getThreadName().startsWith("room-loop")) {
                sum += Math.max(0, threads.getThreadCpuTime(id));
            }
        }
        return sum;
    }

    private interface Caller extends AutoCloseable {
        void send(int tick) throws Exception;

        @Override
        void close();
    }

    /** A SIP caller on plain RTP: PCMU, or Opus encoded ahead. */
    private static final class Phone implements Caller {
        private final DatagramSocket socket;
        private final InetSocketAddress bridge;
        private final byte[][] packets;

        private Phone(DatagramSocket socket, InetSocketAddress bridge, byte[][] packets) {
            this.socket = socket;
            this.bridge = bridge;
            this.packets = packets;
        }

        static Phone open(MixGroup room, int i, String codec, int payloadType) throws Exception {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            LegSpec spec = new LegSpec(codec, payloadType, 101, 20,
                    new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort()), "p" + i);
            MediaLeg leg = room.openLeg("p" + i, spec, (l, d) -> { }).get(5, TimeUnit.SECONDS);
            leg.setMixed(true);
            byte[][] payloads = codec.equals("PCMU") ? pcmu(300 + i) : opus(300 + i);
            byte[][] packets = new byte[payloads.length][];
            for (int f = 0; f < payloads.length; f++) {
                packets[f] = new byte[12 + payloads[f].length];
                System.arraycopy(payloads[f], 0, packets[f], 12, payloads[f].length);
            }
            return new Phone(socket, new InetSocketAddress("127.0.0.1", leg.localPort()), packets);
        }

        @Override
        public void send(int tick) throws Exception {
            byte[] p = packets[tick % packets.length];
            int pt = p.length == 172 ? 0 : 96;
            RtpHeader.write(p, 0, false, pt, tick, tick * (pt == 0 ? 160L : 960L), 0x1000 + socket.getLocalPort());
            socket.send(new DatagramPacket(p, p.length, bridge));
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A browser: its checks and DTLS done, then Opus encoded ahead, each packet protected. */
    private static final class Browser implements Caller {
        private final BrowserPeer peer;
        private final InetSocketAddress bridge;
        private final byte[][] frames;

        private Browser(BrowserPeer peer, InetSocketAddress bridge, byte[][] frames) {
            this.peer = peer;
            this.bridge = bridge;
            this.frames = frames;
        }

        static Browser open(MediaEngine engine, MixGroup room, int i) throws Exception {
            BrowserPeer peer = new BrowserPeer("127.0.0.1");
            IceLite ice = new IceLite(peer.ufrag(), room.nanos());
            LegSpec spec = new LegSpec("OPUS", 111, -1, 20, new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 9),
                    "b" + i, null, true, null);
            MediaLeg leg = room.openLeg("b" + i, spec, (l, d) -> { }, engine.browserLeg(ice, peer.fingerprint()))
                    .get(5, TimeUnit.SECONDS);
            leg.setMixed(true);
            InetSocketAddress bridge = new InetSocketAddress("127.0.0.1", leg.localPort());
            if (peer.check(bridge, ice.localUfrag(), ice.localPassword(), true) == null) {
                throw new IllegalStateException("browser " + i + ": no answer to its check");
            }
            peer.handshake(bridge, engine.dtlsCertificate().fingerprint());
            return new Browser(peer, bridge, opus(300 + i));
        }

        @Override
        public void send(int tick) throws Exception {
            peer.sendOpusFrame(bridge, frames[tick % frames.length]);
        }

        @Override
        public void close() {
            peer.close();
        }
    }

    /** One second of a tone as PCMU payloads. */
    private static byte[][] pcmu(double hz) {
        short[] pcm = Tone.sine(hz, 8000, 8000, 8000);
        byte[][] out = new byte[50][160];
        for (int f = 0; f < 50; f++) {
            for (int j = 0; j < 160; j++) {
                out[f][j] = G711.encodeUlaw(pcm[f * 160 + j]);
            }
        }
        return out;
    }

    /** One second of a tone as 20 ms Opus frames (48 kHz). */
    private static byte[][] opus(double hz) {
        short[] pcm = Tone.sine(hz, 48000, 48000, 8000);
        OpusCodec encoder = new OpusCodec(48000, 32000);
        byte[][] out = new byte[50][];
        byte[] frame = new byte[1500];
        for (int f = 0; f < 50; f++) {
            out[f] = java.util.Arrays.copyOf(frame, encoder.encode(pcm, f * 960, 960, frame, 0));
        }
        return out;
    }
}
