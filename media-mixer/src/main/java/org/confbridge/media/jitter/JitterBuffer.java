package org.confbridge.media.jitter;

import org.confbridge.media.codec.AudioDecoder;

/**
 * A per-leg playout buffer between the network and the 20 ms mixing tick. It holds packets (not
 * audio), ordered by sequence number, and decodes them in order at playout time so stateful
 * decoders see a proper stream. It
 * <ul>
 *   <li>puts reordered packets back in order and drops duplicates and packets that come too late,</li>
 *   <li>builds up a target delay of audio before it starts to play, and after an underrun; the target
 *       follows the measured arrival jitter between a minimum and a maximum ({@link DelayEstimator}),</li>
 *   <li>gives back delay when more is buffered than the target needs (one packet skipped at a time,
 *       at most every 200 ms), so a sender whose clock runs fast does not grow the delay,</li>
 *   <li>conceals a missing packet with the decoder's loss concealment once a later packet proves it lost,</li>
 *   <li>drops the oldest audio when more than {@code maxDelay} piles up (sender clock faster than ours),</li>
 *   <li>starts over on an SSRC change or a sequence/timestamp jump.</li>
 * </ul>
 * Not thread-safe: a leg's buffer is only touched on its room's event loop. Allocates nothing
 * <p>
 * Why one file of this length: {@link #put} and {@link #read} are one algorithm over one packed
 * state (the slots, the playout position, the target delay); the helpers below are a few lines
 * each and exist to name the bit layout. The delay estimate and the counters are classes of their own.
 * after construction.
 */
public final class JitterBuffer {
    /** Ticks of underrun after which the buffer refills to its target delay instead of playing dribbles. */
    private static final int UNDERRUN_TICKS_BEFORE_REFILL = 3;
    private static final int MAX_SEQUENCE_JUMP = 1000;
    /**
     * In-order packets in a row (5 s) before {@link #lastLatenessMicros} trusts the stream's order:
     * in a stream whose packets overtake each other an older one may arrive behind a newer one.
     */
    private static final int IN_ORDER_TO_JUDGE = 250;

    /** A slot's 16-bit level field: the level plus one in the low 15 bits, the top bit set for bytes not kept. */
    private static final int LEVEL_BITS = 0x7FFF;
    private static final long UNKEPT = 0x8000;

    private final int slots;
    private final int maxPayload;
    /**
     * Slot {@code i}'s payload is at {@code payloads[i * stride]}. The stride starts at a 20 ms
     * packet, not the largest allowed: a thousand G.711 legs then hold 5 KB of slots each instead
     * of 30 KB, and consecutive packets are adjacent in memory. A larger packet grows it (once).
     */
    private int stride;
    private byte[] payloads;
    /** Bytes of a 20 ms packet: only such a packet is played undecoded, so only its bytes may go unkept. */
    private final int framePayload;
    /**
     * Per slot, two longs: the packet's extended RTP timestamp, then its extended sequence number
     * (high 32 bits), payload length (0 = empty slot) and level from its bytes plus one (see
     * {@link AudioDecoder#meanLevel}; 0 = unknown; top bit set: bytes not kept), 16 bits each. One
     * cache line holds four slots' bookkeeping, where five arrays cost a large room five cache
     * misses per packet.
     */
    private final long[] slotMeta;
    private int quietLevel;
    private final int clockRate;
    private final int audioRate;
    private final int minDelay;
    private final int maxTarget;
    private final int maxDelay;
    private final int frameTicks;
    private int targetDelay;
    private int readsSinceAdjust;
    private final DelayEstimator delays;

    private final short[] pcm;
    private int pcmStart;
    private int pcmCount;

    private boolean started;
    private boolean playing;
    private long ssrc;
    private int nextSeq;
    private int highestSeq;
    private long nextTimestamp;
    private long highestTimestamp;
    private int lastPacketSamples;
    private int lastPacketTicks;
    private int underrunTicks;
    private boolean lastPutTimed;
    /** Packets kept in a row, each newer than all before it (none overtaken on the way). */
    private int packetsInOrder;
    /**
     * The newest packet put at or above its {@code quietBelow} (or of unknown level): until it has
     * played, it may start talk, and the quiet packets after it keep their bytes.
     */
    private int loudSeq;

    private final JitterStats stats = new JitterStats();
    /**
     * The longest packet, in ms, this buffer decodes: Opus's longest, and the longest payload
     * callers set {@code maxPayload} to for the other codecs.
     */
    private static final int MAX_PACKET_MS = 120;
    /** {@link #MAX_PACKET_MS} at the audio rate: the room a packet whose length is unknown gets. */
    private final int maxPacketSamples;

    /**
     * @param slots       packets held at most, a power of two
     * @param maxPayload  largest payload kept; larger packets are dropped and counted
     * @param payload     the payload size expected (20 ms of audio); larger ones up to {@code maxPayload}
     *                    grow the buffer
     * @param clockRate   RTP clock rate of the stream
     * @param audioRate   rate of the decoded audio (differs from the clock for G.722 and Opus)
     * @param minDelayMs  smallest playout delay the buffer aims for
     * @param maxDelayMs  largest playout delay it aims for; beyond it, the oldest packets are dropped
     */
    public JitterBuffer(int slots, int maxPayload, int payload, int clockRate, int audioRate, int minDelayMs,
                        int maxDelayMs) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        if (maxPayload > 0xFFFF) {
            throw new IllegalArgumentException("maxPayload above 65535: " + maxPayload);
        }
        this.slots = slots;
        this.maxPayload = maxPayload;
        this.stride = Math.max(1, Math.min(payload, maxPayload));
        this.framePayload = payload;
        this.payloads = new byte[slots * stride];
        this.slotMeta = new long[2 * slots];
        this.clockRate = clockRate;
        this.audioRate = audioRate;
        this.frameTicks = clockRate / 50;
        this.minDelay = clockRate / 1000 * minDelayMs;
        this.maxTarget = Math.max(minDelay, clockRate / 1000 * maxDelayMs);
        this.maxDelay = maxTarget + 2 * frameTicks;
        this.targetDelay = minDelay;
        this.delays = new DelayEstimator(clockRate);
        this.maxPacketSamples = audioRate * MAX_PACKET_MS / 1000;
        // Decoded audio held: the rest of a long packet (under a frame) and the next, up to 120 ms.
        this.pcm = new short[maxPacketSamples + 2 * (audioRate / 50)];
    }

    public JitterStats stats() {
        return stats;
    }

    /**
     * Offers one packet; returns false when it was not kept (duplicate, late, oversize). With its
     * level known and below the level the leg will read with ({@link InboundPacket#level}), a 20 ms
     * packet plays undecoded, so its bytes are not kept: in a large room, where most callers are
     * silent, that saves each one's copy into a cold slot every tick. Its bytes are kept while a
     * louder packet before it is still to play, since that one may start talk and make the next
     * ones needed. Should one still be needed (a louder packet overtaken by it on the way), it plays
     * as its level without audio, like a {@link Playout#QUIET} read.
     */
    public boolean put(InboundPacket p) {
        long packetSsrc = p.ssrc;
        int seq16 = p.sequence;
        long timestamp = p.timestamp;
        int len = p.length;
        long arrivalNanos = p.arrivalNanos;
        int level = p.level;
        int quietBelow = p.quietBelow;
        stats.received++;
        lastPutTimed = false;
        if (len > maxPayload || len <= 0) {
            stats.dropped++;
            return false;
        }
        if (!started || packetSsrc != ssrc) {
            restart(packetSsrc, seq16, timestamp);
        }
        int seq = extend(seq16);
        int ahead = seq - nextSeq;
        if (ahead < 0) {
            if (-ahead > MAX_SEQUENCE_JUMP) {
                restart(packetSsrc, seq16, timestamp);
                seq = nextSeq;
                ahead = 0;
            } else {
                stats.late++;
                return false;
            }
        }
        if (ahead > MAX_SEQUENCE_JUMP) {
            // The sender restarted its sequence (or jumped): play from here.
            restart(packetSsrc, seq16, timestamp);
            seq = nextSeq;
            ahead = 0;
        } else if (ahead >= slots) {
            // We are too far behind the sender: skip what cannot be held.
            skipTo(seq - slots + 1);
        }
        int slot = slot(seq);
        if (holds(slot, seq)) {
            stats.duplicates++;
            return false;
        }
        lastPutTimed = arrivalNanos != InboundPacket.UNTIMED;
        if (lastPutTimed) {
            delays.arrival(arrivalNanos, extendTimestamp(timestamp));
            adaptTarget();
        }
        if (len > stride) {
            growStride(len);
        }
        boolean quiet = playsUndecoded(level, quietBelow);
        boolean unkept = quiet && len == framePayload && loudSeq - nextSeq < 0;
        if (!unkept) {
            System.arraycopy(p.payload, p.offset, payloads, slot * stride, len);
        }
        if (!quiet && seq - loudSeq > 0) {
            loudSeq = seq;
        }
        slotMeta[2 * slot] = extendTimestamp(timestamp);
        slotMeta[2 * slot + 1] = (long) seq << 32 | (long) len << 16 | Math.max(0, Math.min(level + 1, LEVEL_BITS))
                | (unkept ? UNKEPT : 0);
        if (seq - highestSeq > 0) {
            packetsInOrder = Math.min(packetsInOrder + 1, IN_ORDER_TO_JUDGE);
            highestSeq = seq;
            highestTimestamp = extendTimestamp(timestamp);
        } else {
            packetsInOrder = 0; // overtaken by a newer packet on the way
        }
        return true;
    }

    /**
     * Reads exactly {@code samples} samples at the decoder's rate for one tick. A packet whose
     * level (given to {@code put}) is below {@code quietBelow} is played without being decoded
     * ({@link Playout#QUIET}): for a caller who is not talking only the level matters, and a large
     * room then neither reads the packet again nor decodes it; {@code out} is left as it was then.
     * {@code quietBelow} 0 decodes everything.
     */
    public Playout read(AudioDecoder decoder, short[] out, int outOff, int samples, int quietBelow) {
        if (!playing) {
            // Refilling after a gap (DTX, silence suppression): time restarts at the next packet.
            int first = slot(nextSeq);
            if (started && holds(first, nextSeq)) {
                nextTimestamp = slotMeta[2 * first];
            }
            if (!started || bufferedSpan() < targetDelay) {
                fillSilence(out, outOff, samples);
                return Playout.SILENCE;
            }
            playing = true;
        }
        trimExcess();
        giveBackDelay();
        if (pcmCount == 0) {
            // The usual case, a packet per frame: decode straight into the caller's frame.
            int slot = slot(nextSeq);
            if (holds(slot, nextSeq) && decoder.decodedSamples(payloads, slot * stride, length(slot)) == samples) {
                underrunTicks = 0;
                int level = level(slot);
                if (playsUndecoded(level, quietBelow) || !kept(slot)) {
                    quietLevel = level;
                    played(slot, samples);
                    decoder.skipped();
                    return Playout.QUIET;
                }
                played(slot, decoder.decode(payloads, slot * stride, length(slot), out, outOff));
                return Playout.AUDIO;
            }
        }
        boolean underrun = false;
        while (pcmCount < samples) {
            int slot = slot(nextSeq);
            if (holds(slot, nextSeq)) {
                // Room for this packet's audio, however long the caller made it (up to 120 ms).
                int decoded = decoder.decodedSamples(payloads, slot * stride, length(slot));
                ensureRoom(decoded >= 0 ? decoded : maxPacketSamples);
                int n;
                if (kept(slot)) {
                    n = decoder.decode(payloads, slot * stride, length(slot), pcm, pcmEnd());
                } else {
                    // Needed after all (see put): its length in silence.
                    n = decoded >= 0 ? decoded : lengthGuess();
                    fillSilence(pcm, pcmEnd(), n);
                    decoder.skipped();
                }
                played(slot, n);
                pcmCount += n;
            } else if (highestSeq - nextSeq > 0) {
                int n = lengthGuess();
                ensureRoom(n);
                int next = slot(nextSeq + 1);
                boolean nextHere = holds(next, nextSeq + 1);
                if (nextHere && kept(next) && decoder.recover(payloads, next * stride, length(next), pcm, pcmEnd(), n)) {
                    stats.recovered++;
                } else {
                    decoder.conceal(pcm, pcmEnd(), n);
                }
                pcmCount += n;
                nextSeq++;
                nextTimestamp += (long) n * clockRate / audioRate;
                stats.lost++;
            } else {
                underrun = true;
                break;
            }
        }
        if (underrun) {
            stats.underruns++;
            int have = pcmCount;
            copyOut(out, outOff, have);
            fillSilence(out, outOff + have, samples - have);
            if (++underrunTicks >= UNDERRUN_TICKS_BEFORE_REFILL) {
                playing = false;
            }
            return have > 0 ? Playout.AUDIO : Playout.SILENCE;
        }
        underrunTicks = 0;
        copyOut(out, outOff, samples);
        return Playout.AUDIO;
    }

    /** The level of the packet the last {@link Playout#QUIET} read played. */
    public int quietLevel() {
        return quietLevel;
    }

    /** Books the packet in {@code slot} as played, {@code n} samples long. */
    private void played(int slot, int n) {
        empty(slot);
        if (n != lastPacketSamples) {
            lastPacketSamples = n;
            lastPacketTicks = (int) ((long) n * clockRate / audioRate);
        }
        nextTimestamp = slotMeta[2 * slot] + lastPacketTicks;
        nextSeq++;
        stats.played++;
    }

    /** Audio waiting to be played, in RTP clock units (estimated from timestamps). */
    public int bufferedSpan() {
        if (!started || highestSeq - nextSeq < 0) {
            return (int) ((long) pcmCount * clockRate / audioRate);
        }
        long span = highestTimestamp - nextTimestamp + Math.max(lastPacketTicks, clockRate / 50);
        return (int) Math.max(0, Math.min(span, Integer.MAX_VALUE)) + (int) ((long) pcmCount * clockRate / audioRate);
    }

    /** Makes room for payloads of {@code len} bytes, keeping every packet already held. */
    private void growStride(int len) {
        int wider = Math.min(maxPayload, Math.max(len, 2 * stride));
        byte[] moved = new byte[slots * wider];
        for (int i = 0; i < slots; i++) {
            if (length(i) > 0) {
                System.arraycopy(payloads, i * stride, moved, i * wider, length(i));
            }
        }
        payloads = moved;
        stride = wider;
    }

    /** Sets the target from the measured need: one packet of margin above the 97th percentile. */
    private void adaptTarget() {
        int need = (int) ((long) delays.neededMs() * clockRate / 1000) + frameTicks;
        targetDelay = Math.max(minDelay, Math.min(maxTarget, need));
    }

    /**
     * How much later than the stream's earliest-arriving recent packets the last packet put came,
     * in µs; -1 when that says nothing: the packet was not kept or had no arrival time, or fewer
     * than {@value #IN_ORDER_TO_JUDGE} packets in a row arrived in order. The socket reads judge
     * from it whether a newer packet can be waiting ({@link SocketReads#arrival}).
     */
    public long lastLatenessMicros() {
        // Every put that does not keep its packet returns before lastPutTimed is set.
        if (!lastPutTimed || packetsInOrder < IN_ORDER_TO_JUDGE) {
            return -1;
        }
        return delays.lastLatenessMicros();
    }

    /** Skips one packet when clearly more is buffered than the target needs, at most every 200 ms. */
    private void giveBackDelay() {
        if (++readsSinceAdjust < 10 || bufferedSpan() <= targetDelay + 2 * frameTicks || highestSeq - nextSeq <= 0) {
            return;
        }
        readsSinceAdjust = 0;
        skipNext();
        stats.accelerated++;
    }

    /** Drops the next packet unplayed (or steps over its gap), keeping the timeline in step. */
    private void skipNext() {
        int slot = slot(nextSeq);
        int ticks = lastPacketTicks > 0 ? lastPacketTicks : frameTicks;
        if (holds(slot, nextSeq)) {
            empty(slot);
            nextTimestamp = slotMeta[2 * slot] + ticks;
        } else {
            nextTimestamp += ticks;
        }
        nextSeq++;
    }

    /** The playout delay aimed for now, in milliseconds. */
    public int targetDelayMs() {
        return (int) ((long) targetDelay * 1000 / clockRate);
    }

    /** Audio waiting to be played, in milliseconds. */
    public int bufferedMs() {
        return (int) ((long) bufferedSpan() * 1000 / clockRate);
    }

    /** RFC 3550 interarrival jitter of the stream in milliseconds. */
    public double jitterMs() {
        return delays.jitterMs();
    }

    /** Unwraps a 32-bit RTP timestamp relative to the highest one seen. */
    private long extendTimestamp(long ts32) {
        long diff = (int) (ts32 - (highestTimestamp & 0xFFFFFFFFL));
        return highestTimestamp + diff;
    }

    private void trimExcess() {
        while (bufferedSpan() > maxDelay && highestSeq - nextSeq > 0) {
            skipNext();
            stats.discarded++;
        }
    }

    private void restart(long newSsrc, int seq16, long timestamp) {
        if (started) {
            stats.restarts++;
        }
        started = true;
        playing = false;
        ssrc = newSsrc;
        nextSeq = seq16;
        highestSeq = seq16 - 1;
        loudSeq = seq16 - 1;
        packetsInOrder = 0;
        nextTimestamp = timestamp;
        highestTimestamp = timestamp;
        underrunTicks = 0;
        delays.reset();
        for (int i = 0; i < slots; i++) {
            empty(i);
        }
    }

    private void skipTo(int seq) {
        while (nextSeq - seq < 0) {
            empty(slot(nextSeq));
            nextSeq++;
            stats.discarded++;
        }
    }

    /** Whether {@code slot} holds the packet with extended sequence number {@code seq}. */
    private boolean holds(int slot, int seq) {
        long m = slotMeta[2 * slot + 1];
        return (int) (m >>> 32) == seq && (m & 0xFFFF0000L) != 0;
    }

    /** Payload length of the packet in {@code slot}; 0 when empty. */
    private int length(int slot) {
        return (int) (slotMeta[2 * slot + 1] >>> 16) & 0xFFFF;
    }

    /** Level of the packet in {@code slot}, or -1 when not known. */
    private int level(int slot) {
        return ((int) slotMeta[2 * slot + 1] & LEVEL_BITS) - 1;
    }

    /** A packet of known level below {@code quietBelow} is played without being decoded (see read). */
    private static boolean playsUndecoded(int level, int quietBelow) {
        return level >= 0 && level < quietBelow;
    }

    /** Whether the bytes of the packet in {@code slot} are in {@link #payloads} (see put). */
    private boolean kept(int slot) {
        return (slotMeta[2 * slot + 1] & UNKEPT) == 0;
    }

    private void empty(int slot) {
        slotMeta[2 * slot + 1] &= ~0xFFFF0000L;
    }

    /** Maps a 16-bit sequence number to the extended number closest to the next expected one. */
    private int extend(int seq16) {
        return nextSeq + (short) (seq16 - (nextSeq & 0xFFFF));
    }

    /** Decoded samples a missing packet stands for: as long as the last one. */
    private int lengthGuess() {
        return lastPacketSamples > 0 ? lastPacketSamples : audioRate / 50;
    }

    private int slot(int seq) {
        return seq & (slots - 1);
    }

    private int pcmEnd() {
        return pcmStart + pcmCount;
    }

    /** Keeps decoded samples contiguous: moves the unread tail to the front when needed. */
    private void ensureRoom(int n) {
        if (pcmStart + pcmCount + n > pcm.length) {
            System.arraycopy(pcm, pcmStart, pcm, 0, pcmCount);
            pcmStart = 0;
            if (pcmCount + n > pcm.length) {
                // A packet longer than planned for: drop the oldest decoded audio to make room.
                int drop = pcmCount + n - pcm.length;
                System.arraycopy(pcm, drop, pcm, 0, pcmCount - drop);
                pcmCount -= drop;
            }
        }
    }

    private void copyOut(short[] out, int outOff, int n) {
        System.arraycopy(pcm, pcmStart, out, outOff, n);
        pcmStart += n;
        pcmCount -= n;
        if (pcmCount == 0) {
            pcmStart = 0;
        }
    }

    private static void fillSilence(short[] out, int off, int n) {
        java.util.Arrays.fill(out, off, off + n, (short) 0);
    }
}
