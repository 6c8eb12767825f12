package org.confbridge.media;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import org.confbridge.media.audio.AudioClip;
import org.confbridge.media.codec.AudioDecoder;
import org.confbridge.media.codec.AudioEncoder;
import org.confbridge.media.codec.Resampler;
import org.confbridge.media.dtmf.InbandDtmfDetector;
import org.confbridge.media.jitter.InboundPacket;
import org.confbridge.media.jitter.JitterBuffer;
import org.confbridge.media.jitter.Playout;
import org.confbridge.media.jitter.SocketReads;
import org.confbridge.media.jitter.JitterStats;
import org.confbridge.media.mix.MixBus;
import org.confbridge.media.mix.SoftLimiter;
import org.confbridge.media.mix.TalkTimeline;
import org.confbridge.media.mix.TalkDetector;
import org.confbridge.media.rtp.DtmfEventReceiver;
import org.confbridge.media.rtp.RtcpSession;
import org.confbridge.media.rtp.RtpHeader;
import org.confbridge.media.rtp.SourceLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One caller's audio: an RTP socket, its jitter buffer, decoder and encoder, and its place in a
 * {@link MixGroup}. The leg mixes at its codec's own rate (its band of the room's {@link MixBus});
 * only private prompts, kept at the room rate, are resampled per leg. All state is confined to the
 * group's event loop; the public setters hand their change to that loop. On epoll the room's tick
 * reads the leg's RTP socket itself ({@link #readSocket}): no readiness events, no pipeline. In a
 * large room another loop may send on it: what the leg sends leaves through that loop's
 * {@link SendBatch}. On NIO a socket is a Netty channel, whose loop hands what it reads over
 * through {@link PacketRing}.
 */
public final class MediaLeg {
    private static final Logger log = LoggerFactory.getLogger(MediaLeg.class);
    static final int MAX_PACKET = 2048;
    private static final long TICK_NANOS = 20_000_000L;
    /** At most this many datagrams are read from a polled socket per tick (a burst after a stall). */
    private static final int MAX_READS_PER_TICK = 16;
    private static final int COMFORT_NOISE_PT = 13;

    // Read for every packet and every tick, and declared first: the JVM lays out a class's references
    // in declaration order, so these share the object's first three cache lines with its primitives
    // (a leg is cold again by its next tick).
    private volatile MixGroup group;
    /** The RTP socket itself (epoll): sent on directly, past Netty's pipeline; null on NIO. */
    private Socket socket;
    private final JitterBuffer jitter;
    private final AudioDecoder decoder;
    private final TalkDetector talk = new TalkDetector();
    private final SocketReads reads = new SocketReads();
    private final RtcpSession rtcp;
    /** Keypad tones in the audio, for G.711 callers that did not negotiate telephone-event. */
    private final InbandDtmfDetector inband;
    /** The room's shared encoding for this leg's codec; set when the leg joins a group. */
    SharedEncoding shared;
    /** This leg's rate in the room's mix; set when the leg joins a group. */
    MixBus.Band band;
    /** Where media goes: the SDP address until a source latches, then that source. */
    private InetSocketAddress remote;
    private final SourceLatch latch;

    private final String id;
    private final LegSpec spec;
    private final LegListener listener;
    private final MediaMetrics counters;
    private final int localPort;
    private Channel channel;
    /**
     * The socket is the leg's own, outside Netty (no channel): the room's tick reads it, sends on
     * it and closes it, so neither epoll nor a hand-over is involved.
     */
    private boolean polled;
    /** Ticks in which this leg's part threw (room's loop; see {@code MixGroup.legFailed}). */
    int failures;
    /** Returns the port and the loop's socket count once a polled socket is closed. */
    private Runnable socketReleased;
    /**
     * Set once the epoll socket is connected to the latched source: the kernel then filters other
     * senders, and packets go out by {@code send} without an address (no route lookup, no arrays).
     */
    private volatile boolean connected;
    /**
     * The socket was found empty once since it was connected: datagrams a stranger sent before the
     * connect, still queued, have been read with their source and judged. From then on a connected
     * read needs no source address.
     */
    private boolean connectedClean;
    /** Index of the loop that sends on the RTP socket (and reads it, for a channel), among the engine's loops. */
    private int socketLoop = -1;
    /** Packets a channel's loop read for the tick (the NIO fallback); null for sockets the tick reads. */
    private PacketRing inbound;
    private final PacketRing.Sink inboundSink = this::receive;
    private final java.util.function.LongSupplier clock;
    private Channel rtcpChannel;
    private final byte[] rtcpOut = new byte[512];
    private final byte[] rtcpIn = new byte[1500];
    private InetSocketAddress rtcpRemote;
    private boolean rtcpLatched;

    // Receive side.
    private final DtmfEventReceiver dtmf = new DtmfEventReceiver();
    private long lastPacketNanos;

    // Per-tick buffers at the codec rate, and the room-rate frame of a private prompt.
    /** This tick's audio from the caller; filled only while the leg contributes. */
    final short[] decoded;
    final short[] output;
    private final short[] promptFrame;
    private final short[] promptCodecRate;
    /** Talking this tick: the talk detector hears a voice, and the leg is in the room, unmuted. */
    boolean speaking;
    /**
     * In this tick's mix: speaking, with this tick's audio decoded, and among the room's loudest
     * when it caps its talkers.
     */
    boolean contributing;
    /** In the mix from this tick on, as chosen: such a leg keeps its place while it speaks. */
    boolean heard;
    /**
     * Spoke last tick without being in the mix (the room's talker cap): its G.711 packets are then
     * not decoded until it is chosen, and it fades in when let in.
     */
    boolean leftOut;
    private volatile long talkFrames;
    private boolean spokeLastTick;
    private AudioClip prompt;
    private int promptPos;
    private boolean promptLoops;
    private boolean mixed;
    private boolean muted;
    /** The caller wants our audio (its SDP direction); false on hold. */
    private boolean sending = true;
    /** The caller's audio may reach the room: false on hold (its music on hold is for nobody). */
    private boolean heardByRoom = true;
    /** On hold: silence from the caller is expected, not a dead call. */
    private boolean held;
    private boolean closed;

    // Send side.
    final String codec;
    private final String cname;
    private final AudioEncoder encoder;
    /** Room rate to codec rate, for private prompts only. */
    private final Resampler promptResampler;
    private final byte[] encoded;
    private final byte[] pending;
    private int pendingLen;
    private final int bytesPerPacket;
    private final boolean frameBased;
    private final int samplesPerPacket;
    /** {@code spec}'s payload types, kept here: the leg's own fields are in cache when a packet is handled. */
    private final int payloadType;
    private final int dtmfPayloadType;
    private final long ssrc = ThreadLocalRandom.current().nextLong(1L << 32);
    private int sequence = ThreadLocalRandom.current().nextInt(1 << 16);
    private long timestamp = ThreadLocalRandom.current().nextLong(1L << 32);
    private boolean firstPacket = true;
    private boolean wrote;
    // Declared last: the references above are laid out first, in the cache lines a tick touches.
    /** How the datagram just received arrived, for {@link #reads}. */
    private SocketReads.Arrival arrival = SocketReads.Arrival.LATER;
    /** The packet handed to the jitter buffer, filled afresh for each one (nothing allocated per packet). */
    private final InboundPacket inboundPacket = new InboundPacket();
    /** When this caller talked, in 20 ms units of the clock (the same on every loop it may move to). */
    private final TalkTimeline timeline = new TalkTimeline();

    MediaLeg(String id, MixGroup group, LegSpec spec, LegListener listener, int localPort, MediaSettings settings,
             MediaMetrics counters) {
        this.id = id;
        this.group = group;
        this.spec = spec;
        this.listener = listener;
        this.localPort = localPort;
        this.counters = counters;
        this.codec = spec.codec().toUpperCase(java.util.Locale.ROOT);
        this.payloadType = spec.payloadType();
        this.dtmfPayloadType = spec.dtmfPayloadType();
        this.remote = spec.remote();
        this.latch = new SourceLatch(spec.remote(), spec.signalling(), spec.strictRtp());
        this.decoder = CodecRegistry.decoder(codec, settings.sampleRate(), settings.opusLibrary());
        this.encoder = CodecRegistry.encoder(codec, settings.sampleRate(), settings.opusLibrary());
        int codecRate = decoder.sampleRate();
        int clockRate = CodecRegistry.clockRate(codec);
        int codecFrame = codecRate / 50;
        this.jitter = new JitterBuffer(32, CodecRegistry.maxPacketPayload(encoder),
                CodecRegistry.packetPayload(encoder, spec.ptimeMs()), clockRate, codecRate, settings.jitterMinMs(),
                settings.jitterMaxMs());
        this.decoded = new short[codecFrame];
        this.output = new short[codecFrame];
        this.promptFrame = new short[settings.frameSamples()];
        this.promptCodecRate = new short[codecFrame];
        this.promptResampler = new Resampler(settings.sampleRate(), codecRate, settings.frameSamples());
        this.frameBased = encoder.bytesPerSecond() == AudioEncoder.FRAME_BASED;
        // Frame-based codecs (Opus) send each 20 ms frame as its packet; the others follow ptime.
        this.encoded = new byte[CodecRegistry.maxFramePayload(encoder)];
        this.bytesPerPacket = frameBased ? 0 : encoder.bytesPerSecond() * spec.ptimeMs() / 1000;
        this.samplesPerPacket = clockRate * (frameBased ? 20 : spec.ptimeMs()) / 1000;
        this.pending = new byte[bytesPerPacket + 2 * encoded.length];
        this.clock = group.clock();
        this.lastPacketNanos = clock.getAsLong();
        this.rtcp = new RtcpSession(ssrc, clockRate, System::currentTimeMillis);
        this.cname = "confbridge-" + id;
        this.rtcpRemote = new InetSocketAddress(spec.remote().getAddress(), spec.remote().getPort() + 1);
        this.inband = settings.inbandDtmf() && spec.dtmfPayloadType() < 0 && codecRate == 8000
                ? new InbandDtmfDetector() : null;
    }

    public String id() {
        return id;
    }

    public int localPort() {
        return localPort;
    }

    public LegSpec spec() {
        return spec;
    }

    /** The rate this leg's audio is decoded, mixed and encoded at. */
    int codecRate() {
        return decoded.length * 50;
    }

    public MixGroup group() {
        return group;
    }

    /** Whether the leg is in the room's mix (admitted) rather than in the lobby. */
    public void setMixed(boolean value) {
        group.execute(() -> mixed = value);
    }

    public void setMuted(boolean value) {
        group.execute(() -> muted = value);
    }

    /**
     * The call's stream direction as negotiated (RFC 3264): whether we send to the caller, whether
     * its audio may reach the room, and whether it is on hold (no RTP timeout then). A change of
     * the caller's media address re-latches under the strict-RTP rules.
     */
    public void setDirection(boolean send, boolean heard, boolean onHold, InetSocketAddress sdpAddress) {
        group.execute(() -> {
            if (sending != send) {
                firstPacket = true; // the marker bit: a new talkspurt after the pause
            }
            sending = send;
            heardByRoom = heard;
            if (held && !onHold) {
                lastPacketNanos = clock.getAsLong(); // a long hold is not a dead call
            }
            held = onHold;
            if (sdpAddress != null && !sdpAddress.equals(latch.sdpAddress())) {
                relatch(sdpAddress);
            }
        });
    }

    /** The caller's media moved: forget the latched source, learn anew (strict RTP), send to the new SDP address. */
    private void relatch(InetSocketAddress sdpAddress) {
        latch.relatch(sdpAddress);
        remote = sdpAddress;
        connectedClean = false;
        if (connected) {
            connected = false; // sends carry the address again until the new source has latched
            if (polled && socket != null) {
                try {
                    socket.disconnect();
                } catch (IOException e) {
                    counters.socketError();
                }
            } else if (channel != null) {
                channel.disconnect();
            }
        }
        if (!rtcpLatched) {
            rtcpRemote = new InetSocketAddress(sdpAddress.getAddress(), sdpAddress.getPort() + 1);
        }
    }

    /**
     * Plays a clip to this caller alone (a private prompt), replacing one that is playing. In the
     * lobby the caller hears only the clip; in the room, the clip over the conversation.
     * {@link LegListener#onPromptFinished} follows when it has played to the end.
     */
    public void play(AudioClip clip) {
        startPrompt(clip, false);
    }

    /** Plays a clip to this caller alone, over and over, until {@link #stopPrompt} or another {@link #play}. */
    public void playLooped(AudioClip clip) {
        startPrompt(clip, true);
    }

    private void startPrompt(AudioClip clip, boolean loops) {
        group.execute(() -> {
            prompt = clip;
            promptPos = 0;
            promptLoops = loops;
            promptResampler.reset();
        });
    }

    /** Stops the private clip at once (barge-in); no finished event follows. */
    public void stopPrompt() {
        group.execute(() -> prompt = null);
    }

    /**
     * The turns this caller talked, {@code [from, to]} in seconds since {@code originNanos} (of
     * {@link MixGroup#nanos}), short pauses merged. Call on the leg's loop (it is written there).
     */
    public java.util.List<double[]> talkIntervals(long originNanos) {
        return timeline.intervals(originNanos / TICK_NANOS, group.tickNanos / TICK_NANOS);
    }

    /** Seconds this leg counted as talking. */
    public double talkSeconds() {
        return talkFrames * 0.02;
    }

    /**
     * Closes the socket and returns the port; safe to call more than once and from any thread.
     * Always deferred to a task of its own: a close asked for during the tick (a prompt's end
     * hangs up) must not change the leg list the tick is walking.
     */
    public void close() {
        group.loop().execute(() -> group.removeLeg(this));
    }

    /** Jitter buffer counters; reads from another thread may be slightly stale. */
    public JitterStats jitterStats() {
        return jitter.stats();
    }

    /** Interarrival jitter of the caller's stream (RFC 3550), in ms; approximate from other threads. */
    public double jitterMs() {
        return jitter.jitterMs();
    }

    /** Round-trip time from the caller's RTCP reports, or -1 when it sends none. */
    public double rttMs() {
        return rtcp.rttMs();
    }

    /** Loss of our stream as the caller reports it (RTCP), in percent. */
    public double remoteLossPercent() {
        return rtcp.remoteLossPercent();
    }

    /** The playout delay the leg's jitter buffer aims for, in ms. */
    public int playoutDelayMs() {
        return jitter.targetDelayMs();
    }

    /** Talking now, whether or not the room's talker cap lets the others hear it. */
    public boolean talking() {
        return speaking;
    }

    /** How loud the caller is, smoothed (mean absolute sample value), for choosing who is mixed. */
    int loudness() {
        return talk.loudness();
    }

    public InetSocketAddress remote() {
        return remote;
    }

    boolean mixed() {
        return mixed;
    }

    boolean closed() {
        return closed;
    }

    /**
     * Gives the leg its own bound socket, read by the room's tick (see {@link #readSocket}) and
     * written by loop {@code loopIndex}: the room's own, or another that sends the packets the
     * tick made for it (a large room's share of system calls).
     */
    void attachPolled(Socket s, int loopIndex, Runnable released) {
        this.socket = s;
        this.polled = true;
        this.socketLoop = loopIndex;
        this.socketReleased = released;
    }

    /** A leg without a socket (benchmarks): it mixes and assembles its packets like any other, and sends nothing. */
    void attachNoSocket(int loopIndex) {
        this.polled = true;
        this.socketLoop = loopIndex;
        this.socketReleased = () -> { };
    }

    void attach(Channel ch, int loopIndex) {
        this.channel = ch;
        this.socketLoop = loopIndex;
        if (ch instanceof UnixChannel unix && unix.fd() instanceof Socket s && group.sendBuffer.hasMemoryAddress()) {
            this.socket = s;
        }
    }

    void attachRtcp(Channel ch) {
        this.rtcpChannel = ch;
    }

    /** Index of the loop the RTP socket belongs to. */
    int socketLoop() {
        return socketLoop;
    }

    Channel rtcpChannel() {
        return rtcpChannel;
    }

    /** Now part of {@code target}: starts there unmixed and silent, as a new arrival. */
    void movedTo(MixGroup target) {
        this.group = target;
        this.mixed = false;
        this.prompt = null;
        this.speaking = false;
        this.contributing = false;
        this.heard = false;
        this.leftOut = false;
    }

    /** Runs on the loop when the leg leaves its group. */
    void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        if (polled) {
            MixGroup g = group;
            if (socket != null && socketLoop != g.loopIndex()) {
                // Another loop sends on this socket: close it there, after any batch already
                // posted with a packet for it (tasks run in order), so no send can reach a closed
                // descriptor or one the kernel has given to a new socket since.
                Socket s = socket;
                MediaEngine.runOn(g.loopAt(socketLoop), () -> closePolled(s));
            } else {
                closePolled(socket);
            }
        }
        if (channel != null) {
            channel.close();
        }
        if (rtcpChannel != null) {
            rtcpChannel.close();
        }
        // Here, on the room's loop, after the last tick that used them: native state goes back now.
        decoder.close();
        encoder.close();
    }

    private void closePolled(Socket s) {
        try {
            if (s != null) {
                s.close();
            }
        } catch (IOException e) {
            counters.socketError();
        }
        socketReleased.run();
    }

    // ---- receive path (event loop) ----

    /**
     * Before a channel is bound for this leg: the ring its loop hands packets over in. Sixteen
     * packets, 320 ms of 20 ms audio: a caller's burst after a network stall reaches the jitter
     * buffer, which judges each packet (kept or late), instead of being cut off here. Legs whose
     * socket the tick reads itself need none.
     */
    void useInboundRing() {
        inbound = new PacketRing(16, Math.min(MAX_PACKET, CodecRegistry.maxPacketPayload(encoder) + 128));
    }

    /** The socket's loop: queues a datagram for the room's next tick (dropped, counted, if the ring is full). */
    void offerInbound(ByteBuf datagram, InetSocketAddress sender) {
        if (!inbound.offer(datagram, sender, clock.getAsLong())) {
            counters.droppedOverrun();
        }
    }

    /** Takes the packets that arrived since the last tick, in order (room's loop). */
    void drainInbound() {
        if (polled && socket != null) {
            readSocket();
        } else if (inbound != null) {
            inbound.drain(inboundSink);
        }
    }

    /**
     * Reads what the socket holds, in the tick: one system call per datagram. Cheaper than
     * readiness events: a packet waits for the tick in either case, and this way no epoll event,
     * Netty read or hand-over copy comes between. The arrival time is the tick's, which is when
     * the packet became usable.
     * <p>
     * Reading stops where {@link SocketReads} expects the next read to find the socket empty, so
     * that call (half of a steady leg's system calls when read until empty) is mostly left out.
     */
    private void readSocket() {
        MixGroup g = group;
        ByteBuf in = g.receiveBuffer;
        long address = in.memoryAddress();
        byte[] bytes = g.receiveBytes;
        long now = g.tickNanos;
        reads.startTick();
        for (int i = 0; i < MAX_READS_PER_TICK && !closed; i++) {
            int n;
            InetSocketAddress from;
            try {
                if (connectedClean) {
                    n = socket.recvAddress(address, 0, bytes.length);
                    if (n == 0) {
                        reads.foundEmpty();
                        return;
                    }
                    from = remote;
                } else {
                    DatagramSocketAddress d = socket.recvFromAddress(address, 0, bytes.length);
                    if (d == null) {
                        connectedClean = connected;
                        reads.foundEmpty();
                        return;
                    }
                    n = d.receivedAmount();
                    from = d;
                }
            } catch (IOException e) {
                // ICMP port unreachable on a connected socket and the like: reading consumed the error.
                counters.socketError();
                continue;
            } catch (RuntimeException e) {
                // Anything else the native layer throws is this socket's problem, never the room's tick.
                counters.socketError();
                return;
            }
            if (n > 0) {
                in.getBytes(0, bytes, 0, n);
                receive(bytes, 0, n, from, now);
                if (!reads.readAgainAfterPacket(arrival)) {
                    return;
                }
            }
        }
    }

    /** Handles one datagram at {@code buf[off..off+len)}: RTP validation, strict latching, DTMF, comfort noise, audio. */
    void receive(byte[] buf, int off, int len, InetSocketAddress sender, long arrivalNanos) {
        arrival = SocketReads.Arrival.LATER;
        int payloadOff = RtpHeader.payloadOffset(buf, off, len); // relative to off
        if (payloadOff < 0) {
            counters.droppedMalformed();
            return;
        }
        int pt = RtpHeader.payloadType(buf, off);
        // A clean connected socket's reads pass the latched source itself: nothing to judge.
        if (sender != remote && !admits(sender, pt, RtpHeader.sequence(buf, off))) {
            return;
        }
        group.packetsIn++;
        lastPacketNanos = arrivalNanos;
        int payloadLen = RtpHeader.payloadLength(buf, off, len);
        if (pt == payloadType) {
            long packetSsrc = RtpHeader.ssrc(buf, off);
            int seq = RtpHeader.sequence(buf, off);
            rtcp.rtpReceived(packetSsrc, seq);
            // The level while the bytes are at hand (G.711): a packet pullFrame will not decode is
            // then not even kept. A talker's packets are decoded anyway (-1, unknown, means "decode").
            int quietBelow = quietBelow();
            int level = inband == null && quietBelow > 0 ? decoder.meanLevel(buf, off + payloadOff, payloadLen) : -1;
            jitter.put(inboundPacket.set(packetSsrc, seq, RtpHeader.timestamp(buf, off), buf, off + payloadOff,
                    payloadLen, arrivalNanos).level(level, quietBelow));
            arrival = SocketReads.arrival(jitter.lastLatenessMicros());
        } else if (pt == dtmfPayloadType) {
            char digit = dtmf.receive(RtpHeader.ssrc(buf, off), RtpHeader.timestamp(buf, off), buf, off + payloadOff,
                    payloadLen);
            if (digit != 0) {
                counters.dtmfDigit();
                listener.onDigit(this, digit);
            }
        } else if (pt != COMFORT_NOISE_PT) {
            counters.droppedUnknownPayloadType();
        }
    }

    /** Strict RTP: whether a packet from {@code sender} is the caller's; latches on the first that proves itself. */
    private boolean admits(InetSocketAddress sender, int pt, int sequence) {
        switch (latch.check(sender, pt == payloadType || pt == dtmfPayloadType, sequence)) {
            case ACCEPT -> {
                if (remote != latch.latched()) {
                    latched(latch.latched());
                }
                return true;
            }
            case LEARNING -> {
                counters.droppedLearning();
                return false;
            }
            default -> {
                counters.droppedForeignSource();
                if (latch.firstForeign()) {
                    log.warn("leg {}: RTP from {} dropped: not the caller's media source (strict RTP); further "
                            + "such packets are only counted", id, sender);
                }
                return false;
            }
        }
    }

    /** A source has proven itself: media goes there, and the socket hears only it from now on. */
    private void latched(InetSocketAddress source) {
        remote = source;
        connectedClean = false;
        if (socket != null && polled) {
            try {
                connected = socket.connect(source);
            } catch (IOException e) {
                counters.socketError(); // stays unconnected: sends carry the address
            }
        } else if (socket != null) {
            channel.connect(source).addListener(f -> connected = f.isSuccess());
        }
        if (!rtcpLatched) {
            rtcpRemote = new InetSocketAddress(source.getAddress(), source.getPort() + 1);
        }
    }

    // ---- tick path (event loop) ----

    /** Pulls this tick's frame from the jitter buffer and decides whether the leg contributes. */
    void pullFrame() {
        // Decoded into the room's scratch frame first: a silent leg (most of a large room) then
        // never touches a frame buffer of its own, which keeps a big room within the caches.
        short[] frame = group.decodeBuffer;
        int n = decoded.length;
        Playout read = jitter.read(decoder, frame, 0, n, quietBelow());
        boolean decodedNow = read != Playout.QUIET;
        boolean voice;
        boolean keyTone = false;
        if (!decodedNow) {
            voice = talk.updateLevel(jitter.quietLevel());
        } else {
            boolean audio = read == Playout.AUDIO;
            if (inband != null && audio) {
                char key = inband.process(frame, 0);
                if (key != 0) {
                    counters.inbandDigit();
                    listener.onInbandDigit(this, key);
                }
            }
            voice = audio ? talk.update(frame, 0, n) : talk.updateSilent();
            // Keypad tones are commands, not conversation: they never reach the others.
            keyTone = inband != null && inband.toneInLastBlock();
        }
        speaking = mixed && !muted && heardByRoom && voice && !keyTone;
        if (speaking) {
            talkFrames++;
        }
        if (speaking != spokeLastTick) {
            // Only a change of verdict reaches the timeline: a silent leg touches nothing more.
            spokeLastTick = speaking;
            if (speaking) {
                timeline.started(group.tickNanos / TICK_NANOS);
            } else {
                timeline.stopped(group.tickNanos / TICK_NANOS);
            }
        }
        // Only this tick's decoded audio can go into the mix; a level alone cannot.
        contributing = speaking && decodedNow;
        if (contributing) {
            System.arraycopy(frame, 0, decoded, 0, n);
        }
    }

    /**
     * The level below which this leg's next packet plays undecoded, only its level counted. A caller
     * who is not talking is heard by no one: a packet too quiet to start talk (the usual listener of
     * a large room, sending line noise). A talker the room's cap leaves out needs only its level
     * too, until it is chosen; once chosen, it is heard from the first packet that came after.
     */
    private int quietBelow() {
        return !talk.talking() ? talk.onLevel() : leftOut && !heard ? Integer.MAX_VALUE : 0;
    }

    boolean hasPrompt() {
        return prompt != null;
    }

    /**
     * Puts the next frame of the private clip (room rate, brought to the codec rate) into
     * {@link #output}: over what is there, or replacing it. At the clip's end the listener hears
     * about it.
     */
    void addPromptFrame(boolean replace) {
        AudioClip clip = prompt;
        int n = promptFrame.length;
        clip.frame(promptPos, promptFrame);
        promptResampler.process(promptFrame, 0, n, promptCodecRate, 0);
        for (int i = 0; i < output.length; i++) {
            output[i] = replace ? promptCodecRate[i] : SoftLimiter.limit(output[i] + promptCodecRate[i]);
        }
        promptPos += n;
        if (promptPos >= clip.length()) {
            if (promptLoops) {
                promptPos = 0;
                return;
            }
            prompt = null;
            listener.onPromptFinished(this, clip);
        }
    }

    /** Encodes {@link #output} for this leg alone and queues it for sending. */
    void sendOwnMix() {
        int len = encoder.encode(output, 0, output.length, encoded, 0);
        sendEncoded(encoded, len);
    }

    /** Queues 20 ms of already encoded audio, shared with other legs of the same codec. */
    void sendEncoded(byte[] payload, int len) {
        if (frameBased) {
            if (len > 0) {
                writePacket(payload, len);
            }
            return;
        }
        if (pendingLen == 0 && len == bytesPerPacket) {
            writePacket(payload, len); // ptime 20: one frame is one packet, no packetizing copy
            return;
        }
        System.arraycopy(payload, 0, pending, pendingLen, len);
        pendingLen += len;
        while (pendingLen >= bytesPerPacket) {
            writePacket(pending, bytesPerPacket);
            pendingLen -= bytesPerPacket;
            System.arraycopy(pending, bytesPerPacket, pending, 0, pendingLen);
        }
    }

    private void writePacket(byte[] payload, int len) {
        if (polled ? closed : channel == null || !channel.isActive()) {
            return;
        }
        if (!sending) {
            timestamp = (timestamp + samplesPerPacket) & 0xFFFFFFFFL; // time goes on while nothing is sent
            return;
        }
        byte[] header = group.rtpHeader;
        RtpHeader.write(header, 0, firstPacket, payloadType, sequence, timestamp, ssrc);
        rtcp.rtpSent(len, timestamp); // the SR reports this packet's own timestamp
        firstPacket = false;
        sequence = (sequence + 1) & 0xFFFF;
        timestamp = (timestamp + samplesPerPacket) & 0xFFFFFFFFL;
        if (socket != null || polled) {
            int size = RtpHeader.FIXED_SIZE + len;
            MixGroup g = group;
            boolean here = socketLoop == g.loopIndex();
            ByteBuf out = g.sendBuffer;
            int at = 0;
            if (!here) {
                // Another loop's socket: that loop sends it, with the rest of this tick's packets for it.
                SendBatch batch = g.sendBatch(socketLoop);
                if (batch == null) {
                    counters.sendDropped(); // that loop has not sent the last two ticks yet
                    return;
                }
                at = batch.reserve(this, size); // first: it may move the batch to a larger buffer
                out = batch.buffer();
            }
            out.setBytes(at, header).setBytes(at + RtpHeader.FIXED_SIZE, payload, 0, len);
            if (here && sendPrepared(out.memoryAddress(), size)) {
                g.packetsOut++;
            }
            return;
        }
        ByteBuf buf = channel.alloc().directBuffer(RtpHeader.FIXED_SIZE + len);
        buf.writeBytes(header).writeBytes(payload, 0, len);
        channel.write(new DatagramPacket(buf, remote), channel.voidPromise());
        wrote = true;
        group.packetsOut++;
    }

    /**
     * Sends one assembled RTP packet with one system call: no buffer, promise or queue entry per
     * packet. {@code send}, not {@code write}: a socket call skips the file layer (position lock,
     * VFS), about 5 % of the bridge's CPU at N = 1000. A packet the socket cannot take now is
     * dropped (and counted), never queued behind newer audio. Runs on the socket's loop, or on the
     * room's loop when that is the same one.
     * Returns whether the packet went out; the caller counts it.
     */
    boolean sendPrepared(long address, int size) {
        if (polled ? closed || socket == null : !channel.isOpen()) {
            return false; // closed (on this same loop) after the packet was made; or no socket at all
        }
        try {
            int sent = connected ? socket.sendAddress(address, 0, size)
                    : socket.sendToAddress(address, 0, size, remote.getAddress(), remote.getPort());
            if (sent > 0) {
                return true;
            }
            counters.sendDropped();
        } catch (IOException | RuntimeException e) {
            // One socket's failure (ICMP unreachable, or anything the native layer throws) costs
            // that packet only, never the rest of the tick or the batch.
            counters.socketError();
        }
        return false;
    }

    /** Flushes the packets written this tick in one go. */
    void flush() {
        if (wrote) {
            wrote = false;
            channel.flush();
        }
    }

    /** Sends an RTCP sender report (with our reception report) to the caller. */
    void sendRtcpReport() {
        if (rtcpChannel == null || !rtcpChannel.isActive()) {
            return;
        }
        int n = rtcp.buildReport(rtcpOut, 0, jitter.jitterMs(), cname);
        ByteBuf buf = rtcpChannel.alloc().directBuffer(n);
        buf.writeBytes(rtcpOut, 0, n);
        rtcpChannel.writeAndFlush(new DatagramPacket(buf, rtcpRemote), rtcpChannel.voidPromise());
    }

    /** Thin adapter for the RTCP port: symmetric RTCP, then the report is read. */
    final class RtcpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            InetSocketAddress sender = packet.sender();
            if (!latch.acceptsRtcp(sender)) {
                counters.droppedForeignSource();
                return;
            }
            rtcpRemote = sender;
            rtcpLatched = true;
            ByteBuf content = packet.content();
            int len = Math.min(content.readableBytes(), rtcpIn.length);
            content.getBytes(content.readerIndex(), rtcpIn, 0, len);
            rtcp.receive(rtcpIn, 0, len);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            counters.socketError();
        }
    }

    /** True when no RTP arrived for {@code timeoutNanos}. */
    boolean timedOut(long now, long timeoutNanos) {
        return !held && timeoutNanos > 0 && now - lastPacketNanos > timeoutNanos;
    }

    LegListener listener() {
        return listener;
    }

    /**
     * Thin Netty adapter on the socket's loop: copies the datagram out of Netty's buffer into the
     * leg's ring, which the room's next tick reads (see {@link #drainInbound}).
     */
    final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            offerInbound(packet.content(), packet.sender());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and the like: the peer may come back; never close on it.
            counters.socketError();
        }
    }

    @Override
    public String toString() {
        return "leg " + id + " (" + spec.label() + ", " + codec + ", port " + localPort + ")";
    }
}
