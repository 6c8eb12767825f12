package org.confbridge.media.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.confbridge.media.MediaEngine;
import org.confbridge.media.MediaSettings;
import org.confbridge.media.codec.G711;
import org.confbridge.media.codec.OpusLibrary;
import org.confbridge.media.loop.TickTimer;
import org.confbridge.media.net.IoUring;
import org.confbridge.media.net.RingKernel;
import org.confbridge.media.rtp.RtpHeader;
import org.confbridge.media.testing.Tone;

/** Rooms on real event loops with callers on loopback UDP: engines, legs, packets and what a caller heard. */
final class LoopbackLegs {
    private LoopbackLegs() {
    }

    static double level(short[] pcm, int hz) {
        return Tone.goertzel(pcm, 0, pcm.length, hz, 8000);
    }

    /**
     * The tone's level as a listener hears it: the median of 200 ms blocks, so that one late
     * packet (a click to a listener, a broken phase to a whole-window measure) does not count as
     * not hearing it. What must not be heard is measured over the whole window ({@link #level}).
     */
    static double heard(short[] pcm, int hz) {
        return Tone.heardLevel(pcm, 0, pcm.length, hz, 8000);
    }

    /** Each test tone's level over the whole window, and as heard. */
    static String levels(short[] pcm) {
        StringBuilder b = new StringBuilder();
        for (int hz : new int[] {500, 1000, 1500}) {
            b.append(String.format("%d Hz %.0f (heard %.0f), ", hz, level(pcm, hz), heard(pcm, hz)));
        }
        return b.append(pcm.length).append(" samples").toString();
    }

    /** Takes what has arrived on {@code s} without waiting; kept in {@code into} unless that is null. */
    static void takeAvailable(DatagramSocket s, List<byte[]> into) throws Exception {
        byte[] buf = new byte[2048];
        s.setSoTimeout(1);
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (java.net.SocketTimeoutException e) {
                return;
            }
            if (into != null) {
                into.add(java.util.Arrays.copyOf(buf, p.getLength()));
            }
        }
    }

    /** Whether this kernel (or container) lets a process make an io_uring at all. */
    static boolean ioUringAllowed() {
        try (org.confbridge.media.net.IoUring ring = org.confbridge.media.net.IoUring.open(8)) {
            return true;
        } catch (org.confbridge.media.net.IoUring.Refused refused) {
            return false;
        } catch (java.io.IOException e) {
            throw new AssertionError("io_uring allowed but broken", e);
        }
    }

    static MediaEngine engine(int loops, SimpleMeterRegistry registry) {
        return engine("127.0.0.1", loops, registry);
    }

    static MediaEngine engine(String bind, int loops, SimpleMeterRegistry registry) {
        return engine(bind, loops, 0, true, true, registry);
    }

    static MediaEngine engine(String bind, int loops, int maxTalkers, boolean inbandDtmf, boolean ioUring,
                              SimpleMeterRegistry registry) {
        return engine(bind, loops, maxTalkers, inbandDtmf, ioUring, registry, RingKernel.LINUX);
    }

    /** An engine on a port range of its own (tests may run in parallel), its rings talking to {@code kernel}. */
    static MediaEngine engine(String bind, int loops, int maxTalkers, boolean inbandDtmf, boolean ioUring,
                              SimpleMeterRegistry registry, RingKernel kernel) {
        int base = 40000 + (int) (System.nanoTime() % 10000) * 2;
        return new MediaEngine(new MediaSettings(bind, base, base + 19, 16000, maxTalkers, 20, 200, loops, 0, inbandDtmf, 0,
                OpusLibrary.CONCENTUS, ioUring), registry, System::nanoTime, TickTimer.LOOP, kernel);
    }

    /** The decoded audio of packets {@code from} to {@code to} (exclusive) received, as a caller heard it. */
    static short[] packets(List<byte[]> got, int from, int to) {
        assertTrue(got.size() >= to, "got " + got.size() + " packets");
        return decode(concatPayloads(got.subList(from, to)));
    }

    /**
     * Closes the legs and the room, and checks that each leg's port is back in the pool and can
     * be bound by anyone: no ring that read or sent on it still holds its socket.
     */
    static void closeAndCheckPorts(MediaEngine engine, MixGroup group, MediaLeg... legs) throws Exception {
        int free = engine.freePorts();
        for (MediaLeg leg : legs) {
            leg.close();
        }
        group.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (engine.freePorts() < free + legs.length && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(free + legs.length, engine.freePorts(), "ports returned to the pool");
        for (MediaLeg leg : legs) {
            try (DatagramSocket again = new DatagramSocket(leg.localPort())) {
                assertEquals(leg.localPort(), again.getLocalPort());
            }
        }
    }

    /** A PCMU packet of 160 samples of {@code pcm} from {@code from}, the {@code seq}th of its stream. */
    static byte[] rtp(int seq, long ssrc, short[] pcm, int from) {
        return rtp(seq, seq * 160L, ssrc, pcm, from, 160);
    }

    /** A PCMU packet of {@code samples} samples of {@code pcm} from {@code from}. */
    static byte[] rtp(int seq, long timestamp, long ssrc, short[] pcm, int from, int samples) {
        byte[] pkt = new byte[12 + samples];
        RtpHeader.write(pkt, 0, false, 0, seq, timestamp, ssrc);
        for (int j = 0; j < samples; j++) {
            pkt[12 + j] = G711.encodeUlaw(pcm[from + j]);
        }
        return pkt;
    }

    static DatagramSocket socket() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(100);
        return s;
    }

    /** A room whose legs' sockets are spread over the engine's loops from the first leg on. */
    static MixGroup spreadRoom(MediaEngine engine) {
        engine.loops().spreadAboveLoad(0);
        return engine.createGroup("test");
    }

    /** A PCMU leg, mixed into the room, whose caller is {@code peer} (IPv4 or IPv6, as it is bound). */
    static MediaLeg open(MixGroup group, String id, DatagramSocket peer) throws Exception {
        return open(group, id, peer, (l, digit) -> { });
    }

    static MediaLeg open(MixGroup group, String id, DatagramSocket peer, LegListener listener) throws Exception {
        InetSocketAddress caller = new InetSocketAddress(peer.getLocalAddress(), peer.getLocalPort());
        LegSpec spec = new LegSpec("PCMU", 0, 101, 20, caller, id);
        MediaLeg leg = group.openLeg(id, spec, listener).get(5, TimeUnit.SECONDS);
        leg.setMixed(true);
        return leg;
    }

    static List<byte[]> drain(DatagramSocket s) throws Exception {
        List<byte[]> out = new ArrayList<>();
        byte[] buf = new byte[2048];
        // The bridge keeps sending every 20 ms: take what has queued up, bounded in time.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (java.net.SocketTimeoutException e) {
                return out;
            }
            out.add(java.util.Arrays.copyOf(buf, p.getLength()));
        }
        return out;
    }

    static byte[] concatPayloads(List<byte[]> packets) {
        byte[] out = new byte[packets.size() * 160];
        int o = 0;
        for (byte[] p : packets) {
            System.arraycopy(p, 12, out, o, p.length - 12);
            o += p.length - 12;
        }
        return java.util.Arrays.copyOf(out, o);
    }

    static short[] decode(byte[] ulaw) {
        short[] s = new short[ulaw.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = G711.decodeUlaw(ulaw[i]);
        }
        return s;
    }

    /** The level of {@code hz} in the PCMU packets a caller received, as a listener hears it ({@link Tone#heardLevel}). */
    static double heardLevel(List<byte[]> packets, double hz) {
        short[] heard = decode(concatPayloads(packets));
        return Tone.heardLevel(heard, 0, heard.length, hz, 8000);
    }
}
