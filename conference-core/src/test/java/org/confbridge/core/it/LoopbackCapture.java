package org.confbridge.core.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What went over loopback, as an eavesdropper sees it: {@code tcpdump} (Debian package
 * {@code tcpdump}; needs root or CAP_NET_RAW) captures UDP from a port range, and the RTP payloads
 * are read back from the pcap file, grouped by destination port.
 */
final class LoopbackCapture implements AutoCloseable {
    private final Path file;
    private final Process tcpdump;

    private LoopbackCapture(Path file, Process tcpdump) {
        this.file = file;
        this.tcpdump = tcpdump;
    }

    /** Starts capturing UDP datagrams sent from ports {@code low..high} on loopback. */
    static LoopbackCapture udpFromPorts(Path dir, int low, int high) throws IOException, InterruptedException {
        Path file = dir.resolve("capture-" + low + ".pcap");
        Path log = dir.resolve("tcpdump-" + low + ".log");
        Process p = new ProcessBuilder("tcpdump", "-i", "lo", "-U", "-n", "-w", file.toString(),
                "udp and src portrange " + low + "-" + high)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(log) || !Files.readString(log).contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("tcpdump did not start: " + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(50);
        }
        return new LoopbackCapture(file, p);
    }

    /** Stops the capture; returns the RTP payloads (after the 12-byte header) by destination port. */
    Map<Integer, List<byte[]>> rtpPayloadsByDestination() throws IOException, InterruptedException {
        Map<Integer, List<byte[]>> byPort = new TreeMap<>();
        datagramsByDestination().forEach((port, datagrams) -> {
            for (byte[] d : datagrams) {
                if (d.length > 12) {
                    byPort.computeIfAbsent(port, k -> new ArrayList<>()).add(Arrays.copyOfRange(d, 12, d.length));
                }
            }
        });
        return byPort;
    }

    /** Stops the capture; returns the UDP payloads, whole and in the order sent, by destination port. */
    Map<Integer, List<byte[]>> datagramsByDestination() throws IOException, InterruptedException {
        close();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        b.order(magic == 0xa1b2c3d4 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int linkType = b.getInt(20);
        int linkHeader = switch (linkType) {
            case 1 -> 14;     // Ethernet, as tcpdump shows lo
            case 113 -> 16;   // Linux cooked
            case 276 -> 20;   // Linux cooked v2
            default -> throw new IOException("unexpected link type " + linkType);
        };
        ByteBuffer net = b.duplicate().order(ByteOrder.BIG_ENDIAN); // the packets' own headers
        Map<Integer, List<byte[]>> byPort = new TreeMap<>();
        int at = 24;
        while (at + 16 <= b.limit()) {
            int captured = b.getInt(at + 8);
            int ip = at + 16 + linkHeader;
            at += 16 + captured;
            if (at > b.limit() || (net.get(ip) >> 4) != 4) {
                continue; // truncated, or not IPv4
            }
            int udp = ip + (net.get(ip) & 0x0F) * 4;
            int dstPort = net.getShort(udp + 2) & 0xFFFF;
            int length = (net.getShort(udp + 4) & 0xFFFF) - 8;
            int payload = udp + 8;
            if (length <= 0 || payload + length > at) {
                continue;
            }
            byte[] p = new byte[length];
            net.get(payload, p);
            byPort.computeIfAbsent(dstPort, k -> new ArrayList<>()).add(p);
        }
        return byPort;
    }

    /** Shannon entropy of the bytes, in bits per byte: near 8 for ciphertext, far lower for G.711 audio. */
    static double entropy(List<byte[]> payloads) {
        long[] counts = new long[256];
        long total = 0;
        for (byte[] p : payloads) {
            for (byte x : p) {
                counts[x & 0xFF]++;
                total++;
            }
        }
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double q = (double) c / total;
                h -= q * Math.log(q) / Math.log(2);
            }
        }
        return h;
    }

    @Override
    public void close() throws InterruptedException {
        if (tcpdump.isAlive()) {
            tcpdump.destroy(); // SIGTERM: tcpdump writes out what it has and exits
            if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
                tcpdump.destroyForcibly().waitFor();
            }
        }
    }
}
