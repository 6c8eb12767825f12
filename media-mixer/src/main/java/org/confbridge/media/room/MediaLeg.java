package org.confbridge.media.room;

import org.confbridge.media.codec.CodecRegistry;
import org.confbridge.media.metrics.MediaMetrics;

import java.net.InetSocketAddress;
import java.util.List;
import org.confbridge.media.audio.AudioClip;
import org.confbridge.media.audio.MixRecorder;
import org.confbridge.media.codec.AudioEncoder;
import org.confbridge.media.dtmf.InbandDtmfDetector;
import org.confbridge.media.jitter.InboundPacket;
import org.confbridge.media.jitter.JitterBuffer;
import org.confbridge.media.jitter.JitterStats;
import org.confbridge.media.leg.CallerVoice;
import org.confbridge.media.leg.OwnTrack;
import org.confbridge.media.leg.PromptOverlay;
import org.confbridge.media.leg.RtcpLink;
import org.confbridge.media.mix.MixBus;
import org.confbridge.media.net.LegSocket;
import org.confbridge.media.net.PolledSocket;
import org.confbridge.media.net.RtcpPort;
import org.confbridge.media.net.SocketReads;
import org.confbridge.media.rtp.DtmfEventReceiver;
import org.confbridge.media.rtp.PacketProtection;
import org.confbridge.media.rtp.RtcpSession;
import org.confbridge.media.rtp.RtpHeader;
import org.confbridge.media.rtp.RtpIntake;
import org.confbridge.media.rtp.RtpPacketizer;
import org.confbridge.media.rtp.SourceLatch;
import org.confbridge.media.srtp.SrtpKeying;
import org.confbridge.media.webrtc.BrowserLeg;
import org.confbridge.media.webrtc.BrowserTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One caller's audio in a {@link MixGroup}: the chain of stages its media passes, and the room's
 * view of it (admitted, muted, on hold, talking). Inbound: socket → protection (the SRTP slot) →
 * {@link RtpIntake} (parse, strict latching) → {@link JitterBuffer} → {@link CallerVoice} (decode,
 * level, keypad tones) → the room's mix. Outbound: the mix → {@link PromptOverlay} → encoder →
 * {@link RtpPacketizer} → protection → socket. Each stage owns its state; the leg only passes
 * results along and counts. All state is confined to the group's event loop; the public setters
 * <p>
 * Why one file of this length: this is the object every packet and every tick touches, and its
 * fields' declaration order is its cache layout (docs/performance.md, "Refactorings measured").
 * The stages and the cold parts (the own track, a browser's ICE and DTLS) are classes of their
 * own; what stays is passing results between stages and the room's view of the caller, which a
 * further split would put behind another pointer per packet.
 * hand their change to that loop.
 */
public final class MediaLeg {
    private static final Logger log = LoggerFactory.getLogger(MediaLeg.class);
    private static final long TICK_NANOS = 20_000_000L;

    // Read for every packet and every tick, and declared first: the JVM lays out a class's references
    // in declaration order, so these share the object's first cache lines with its primitives (a
    // leg is cold again by its next tick).
    private volatile MixGroup group;
    private final LegSocket socket;
    // The codec's stages: built anew when a re-offer changes the codec (changeCodec).
    private JitterBuffer jitter;
    private CallerVoice voice;
    private final RtpIntake intake;
    /** The SRTP slot: plain RTP, or the call's SRTP keys. */
    private PacketProtection protection;
    private final RtcpSession rtcp;
    /** A browser's leg: ICE checks and DTLS on the leg's port, before SRTP; null for a phone's. */
    private final BrowserTransport browser;
    private RtpPacketizer packetizer;
    /** The room's shared encoding for this leg's codec; set when the leg joins a group. */
    private SharedEncoding shared;
    /** This leg's rate in the room's mix; set when the leg joins a group. */
    private MixBus.Band band;

    private final String id;
    private LegSpec spec;
    private final MixSettings settings;
    private final LegListener listener;
    private final MediaMetrics counters;
    /** Ticks in which this leg's part threw (see {@code MixGroup.legFailed}). */
    private int failures;
    private final RtcpLink rtcpLink;
    private final DtmfEventReceiver dtmf = new DtmfEventReceiver();
    private long lastPacketNanos;

    // Per-tick buffers at the codec rate.
    /** This tick's audio from the caller; filled only while the leg contributes. */
    private short[] decoded;
    private short[] output;
    /** Talking this tick: the caller's voice is heard, and the leg is in the room, unmuted, not on hold. */
    private boolean speaking;
    /**
     * In this tick's mix: speaking, with this tick's audio decoded, and among the room's loudest
     * when it caps its talkers.
     */
    private boolean contributing;
    /** In the mix from this tick on, as chosen: such a leg keeps its place while it speaks. */
    private boolean heard;
    /**
     * Spoke last tick without being in the mix (the room's talker cap): its G.711 packets are then
     * not decoded until it is chosen, and it fades in when let in.
     */
    private boolean leftOut;
    private boolean mixed;
    private boolean muted;
    /** The caller's audio may reach the room: false on hold (its music on hold is for nobody). */
    private boolean heardByRoom = true;
    /** On hold: silence from the caller is expected, not a dead call. */
    private boolean held;
    private boolean closed;

    // Send side.
    String codec;
    private AudioEncoder encoder;
    private byte[] encoded;
    private PromptOverlay prompt;
    /** This participant's own voice, when recorded (recordTracks). */
    private OwnTrack track;
    // Declared last: the references above are laid out first, in the cache lines a tick touches.
    /** The packet handed to the jitter buffer, filled afresh for each one (nothing allocated per packet). */
    private final InboundPacket inboundPacket = new InboundPacket();
    private final LegSocket.Receiver inbound = this::receive;
    private final RtpPacketizer.Sink outbound = this::sendPacket;

    MediaLeg(String id, MixGroup group, LegSpec spec, LegListener listener, LegSocket socket, RtcpPort rtcpPort,
             MixSettings settings, MediaMetrics counters, BrowserLeg browserLeg) {
        this.id = id;
        this.group = group;
        this.spec = spec;
        this.listener = listener;
        this.socket = socket;
        this.counters = counters;
        this.settings = settings;
        this.protection = spec.srtp() == null ? PacketProtection.NONE : spec.srtp().protection();
        this.intake = new RtpIntake(spec.payloadType(), spec.dtmfPayloadType(),
                new SourceLatch(spec.remote(), spec.signalling(), spec.strictRtp()));
        useCodec(spec);
        this.lastPacketNanos = group.nanos();
        this.rtcp = new RtcpSession(packetizer.ssrc(), CodecRegistry.clockRate(codec), System::currentTimeMillis);
        this.rtcpLink = new RtcpLink(rtcp, rtcpPort, intake, protection, counters, "confbridge-" + id);
        if (browserLeg != null) {
            this.browser = new BrowserTransport(browserLeg.ice(), browserLeg.certificate(), browserLeg.remoteFingerprint(),
                    browserLeg.handshakes(), new BrowserEvents());
            packetizer.sending(false); // nothing goes to a browser before DTLS has given the keys
        } else {
            this.browser = null;
        }
    }

    /** What a browser leg's transport asks of the leg. */
    private final class BrowserEvents implements BrowserTransport.Events {
        @Override
        public void send(byte[] datagram, InetSocketAddress to) {
            group.execute(() -> {
                if (!closed) {
                    socket.send(datagram, 0, datagram.length, to, group.io());
                }
            });
        }

        @Override
        public void selected(InetSocketAddress address) {
            // The room loop: the checked address is the only source, and where media goes.
            intake.relatch(address);
            socket.disconnect();
        }

        @Override
        public void keys(SrtpKeying keys) {
            rekey(keys);
            group.execute(() -> {
                if (!closed) {
                    packetizer.sending(true);
                }
            });
        }

        @Override
        public void failed(String why) {
            group.execute(() -> {
                if (!closed) {
                    log.warn("leg {}: the browser's DTLS failed ({}); the leg ends", id, why);
                    listener.onTransportFailed(MediaLeg.this, why);
                }
            });
        }
    }

    /** Whether this is a browser's leg (WebRTC). */
    public boolean browser() {
        return browser != null;
    }

    /**
     * Builds the codec's stages for {@code next}: decoder, jitter buffer, encoder, prompt overlay
     * and packetizer (continuing the stream's SSRC, sequence and timestamp when there was one).
     */
    private void useCodec(LegSpec next) {
        this.spec = next;
        this.codec = next.codec().toUpperCase(java.util.Locale.ROOT);
        this.encoder = CodecRegistry.encoder(codec, settings.sampleRate(), settings.opusLibrary());
        var decoder = CodecRegistry.decoder(codec, settings.sampleRate(), settings.opusLibrary());
        int codecRate = decoder.sampleRate();
        int clockRate = CodecRegistry.clockRate(codec);
        this.voice = new CallerVoice(decoder, settings.inbandDtmf() && next.dtmfPayloadType() < 0 && codecRate == 8000
                ? new InbandDtmfDetector() : null);
        this.jitter = new JitterBuffer(32, CodecRegistry.maxPacketPayload(encoder),
                CodecRegistry.packetPayload(encoder, next.ptimeMs()), clockRate, codecRate, settings.jitterMinMs(),
                settings.jitterMaxMs());
        this.decoded = new short[codecRate / 50];
        this.output = new short[codecRate / 50];
        this.prompt = prompt == null ? new PromptOverlay(settings.sampleRate(), codecRate) : prompt.atRate(codecRate);
        // Frame-based codecs (Opus) send each 20 ms frame as its packet; the others follow ptime.
        boolean frameBased = encoder.bytesPerSecond() == AudioEncoder.FRAME_BASED;
        this.encoded = new byte[CodecRegistry.maxFramePayload(encoder)];
        int bytesPerPacket = frameBased ? 0 : encoder.bytesPerSecond() * next.ptimeMs() / 1000;
        int samplesPerPacket = clockRate * (frameBased ? 20 : next.ptimeMs()) / 1000;
        this.packetizer = packetizer == null
                ? new RtpPacketizer(next.payloadType(), bytesPerPacket, samplesPerPacket, encoded.length)
                : packetizer.continuedAs(next.payloadType(), bytesPerPacket, samplesPerPacket, encoded.length);
    }

    /**
     * A re-offer changed the codec (RFC 3264): from the next tick the caller's packets are decoded,
     * and ours encoded, as {@code next} says; the leg keeps its socket, latch, keys and place in
     * the room. Audio buffered for the old codec is dropped.
     */
    public void changeCodec(LegSpec next) {
        group.execute(() -> {
            if (closed) {
                return;
            }
            AudioEncoder oldEncoder = encoder;
            CallerVoice oldVoice = voice;
            useCodec(next); // the packetizer continues the stream, sending or not as before
            oldEncoder.close(); // native state (libopus) goes back with the old codec
            oldVoice.close();
            intake.payloadTypes(next.payloadType(), next.dtmfPayloadType());
            rtcp.clockRate(CodecRegistry.clockRate(codec));
            if (track != null) {
                track.codecChanged(codecRate(), decoded.length);
            }
            group.codecChanged(this);
        });
    }

    public String id() {
        return id;
    }

    public int localPort() {
        return socket.localPort();
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
            packetizer.sending(send);
            heardByRoom = heard;
            if (held && !onHold) {
                lastPacketNanos = group.nanos(); // a long hold is not a dead call
            }
            held = onHold;
            if (sdpAddress != null && !sdpAddress.equals(intake.sdpAddress())) {
                intake.relatch(sdpAddress);
                socket.disconnect(); // any source may be heard again, to be judged anew
                rtcpLink.rtpMoved(sdpAddress);
            }
        });
    }

    /**
     * The caller re-keyed SRTP in a new offer: from now on its packets are checked, and ours
     * protected, with the new keys (RFC 4568 section 7.1.4).
     */
    public void rekey(SrtpKeying keys) {
        group.execute(() -> {
            PacketProtection old = protection;
            protection = keys.protection();
            rtcpLink.protection(protection);
            old.close();
        });
    }

    /** Records this caller's own decoded voice into {@code recorder}, a frame per tick (see {@code MediaEngine.recordTrack}). */
    public void recordTrack(MixRecorder recorder) {
        group.execute(() -> {
            if (track != null) {
                track.stop();
            }
            track = new OwnTrack(recorder, codecRate(), decoded.length);
        });
    }

    /** Whether the leg's media is encrypted (SRTP). */
    public boolean encrypted() {
        return protection.encrypted();
    }

    /**
     * Plays a clip to this caller alone (a private prompt), replacing one that is playing. In the
     * lobby the caller hears only the clip; in the room, the clip over the conversation.
     * {@link LegListener#onPromptFinished} follows when it has played to the end.
     */
    public void play(AudioClip clip) {
        group.execute(() -> prompt.start(clip, false));
    }

    /** Plays a clip to this caller alone, over and over, until {@link #stopPrompt} or another {@link #play}. */
    public void playLooped(AudioClip clip) {
        group.execute(() -> prompt.start(clip, true));
    }

    /** Stops the private clip at once (barge-in); no finished event follows. */
    public void stopPrompt() {
        group.execute(prompt::stop);
    }

    /**
     * The turns this caller talked, {@code [from, to]} in seconds since {@code originNanos} (of
     * {@link MixGroup#nanos}), short pauses merged. Call on the leg's loop (it is written there).
     */
    public List<double[]> talkIntervals(long originNanos) {
        return voice.intervals(originNanos / TICK_NANOS, group.tickNanos() / TICK_NANOS);
    }

    /** Seconds this leg counted as talking. */
    public double talkSeconds() {
        return voice.talkSeconds();
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

    /** Where our media goes: the SDP address until a source latches, then that source. */
    public InetSocketAddress remote() {
        return intake.remote();
    }

    // ---- the room's view (its loop) ----

    /** How loud the caller is, smoothed (mean absolute sample value), for choosing who is mixed. */
    int loudness() {
        return voice.loudness();
    }

    boolean mixed() {
        return mixed;
    }

    boolean speaking() {
        return speaking;
    }

    boolean contributing() {
        return contributing;
    }

    boolean heard() {
        return heard;
    }

    boolean leftOut() {
        return leftOut;
    }

    /** The talker cap's choice for this tick. */
    void chosen(boolean isHeard, boolean isContributing) {
        // Written only where changed: most talkers keep their place, and a write dirties the leg's line.
        if (heard != isHeard) {
            heard = isHeard;
        }
        if (contributing != isContributing) {
            contributing = isContributing;
        }
    }

    /** After the mix: a talker not in it was left out, and fades in when let in. */
    void mixedThisTick() {
        leftOut = !contributing;
    }

    /** This leg's part of the tick failed: it is not heard in it. */
    void notHeardThisTick() {
        speaking = false;
        contributing = false;
    }

    /** Not talking this tick: nothing to choose, nothing to fade. */
    void silentThisTick() {
        heard = false;
        leftOut = false;
    }

    /** This tick's audio from the caller (valid while {@link #contributing()}). */
    short[] decoded() {
        return decoded;
    }

    /** This leg's own mix for this tick, at its codec rate. */
    short[] output() {
        return output;
    }

    MixBus.Band band() {
        return band;
    }

    SharedEncoding shared() {
        return shared;
    }

    /** Joins a room's mix: its band at this leg's rate, and its shared encoding of this leg's codec. */
    void joined(MixBus.Band bandOfRoom, SharedEncoding sharedOfRoom) {
        this.band = bandOfRoom;
        this.shared = sharedOfRoom;
    }

    /** Counts a failed tick; returns how many came before. */
    int failed() {
        return failures++;
    }

    /** Whether another loop than the room's sends on this leg's socket (a large room's share of system calls). */
    boolean sentByAnotherLoop() {
        return socket instanceof PolledSocket polled && polled.sendLoop() != group.io().loopIndex();
    }

    RtcpPort rtcpPort() {
        return rtcpLink.port();
    }

    LegListener listener() {
        return listener;
    }

    boolean closed() {
        return closed;
    }

    /** Leaving its room for one that may tick on another loop: on the loop it leaves. */
    void leavingLoop() {
        socket.leaveLoop(group.io());
    }

    /** Now part of {@code target}: starts there unmixed and silent, as a new arrival. */
    void movedTo(MixGroup target) {
        this.group = target;
        this.mixed = false;
        this.prompt.stop();
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
        if (browser != null) {
            browser.close();
        }
        socket.close(group.io());
        rtcpLink.close();
        if (track != null) {
            track.stop(); // the participant has left: its track is complete
            track = null;
        }
        // Here, on the room's loop, after the last tick that used them: native state goes back now.
        protection.close();
        voice.close();
        encoder.close();
    }

    // ---- receive path (room's loop) ----

    /** The tick is about to read every leg: this one's first read may be batched with the others'. */
    void queueRead() {
        if (!closed) {
            socket.queueRead(group.io());
        }
    }

    /** Takes the packets that arrived since the last tick, in order. */
    void drainInbound() {
        if (!closed) {
            socket.read(inbound, group.io());
        }
    }

    /** One datagram through the inbound stages; answers how it arrived, for the socket's reads. */
    private SocketReads.Arrival receive(byte[] buf, int off, int len, InetSocketAddress sender, long arrivalNanos) {
        if (browser != null) {
            BrowserTransport.Kind kind = browser.receive(buf, off, len, sender, arrivalNanos);
            if (kind == BrowserTransport.Kind.REFUSED) {
                counters.droppedByBrowserTransport();
                if (!browserRefusalSaid) {
                    browserRefusalSaid = true;
                    log.warn("leg {}: STUN or DTLS from {} refused (not our ICE password, or no check passed from "
                            + "there); further such datagrams are only counted", id, sender);
                }
            }
            if (kind != BrowserTransport.Kind.MEDIA) {
                return SocketReads.Arrival.LATER;
            }
            if (len > 1 && (buf[off + 1] & 0xFF) >= 192 && (buf[off + 1] & 0xFF) <= 223) {
                return SocketReads.Arrival.LATER; // RTCP multiplexed on the port (RFC 5761): not read yet
            }
        }
        int plain = len;
        if (protection.encrypted()) {
            // Only what may be the caller's is decrypted: a stranger's packets cost no crypto.
            if (!intake.plausible(sender)) {
                countForeign(sender);
                return SocketReads.Arrival.LATER;
            }
            plain = protection.unprotectRtp(buf, off, len);
            if (plain < 0) {
                counters.droppedUnprotectable();
                return SocketReads.Arrival.LATER;
            }
        }
        RtpIntake.Kind kind = intake.accept(buf, off, plain, sender);
        switch (kind) {
            case MALFORMED -> counters.droppedMalformed();
            case LEARNING -> counters.droppedLearning();
            case FOREIGN -> countForeign(sender);
            default -> {
                return accepted(kind, buf, off, arrivalNanos);
            }
        }
        return SocketReads.Arrival.LATER;
    }

    private void countForeign(InetSocketAddress sender) {
        counters.droppedForeignSource();
        if (intake.firstForeign()) {
            log.warn("leg {}: RTP from {} dropped: not the caller's media source (strict RTP); further "
                    + "such packets are only counted", id, sender);
        }
    }

    private SocketReads.Arrival accepted(RtpIntake.Kind kind, byte[] buf, int off, long arrivalNanos) {
        InetSocketAddress newSource = intake.newSource();
        if (newSource != null) {
            socket.connect(newSource); // the kernel passes only the caller's datagrams from now on
            rtcpLink.rtpMoved(newSource);
        }
        group.packetIn();
        lastPacketNanos = arrivalNanos;
        int payloadOff = intake.payloadOffset();
        int payloadLen = intake.payloadLength();
        if (kind == RtpIntake.Kind.AUDIO) {
            long ssrc = RtpHeader.ssrc(buf, off);
            int seq = RtpHeader.sequence(buf, off);
            rtcp.rtpReceived(ssrc, seq);
            int quietBelow = voice.quietBelow(leftOut && !heard);
            int level = voice.packetLevel(buf, payloadOff, payloadLen, quietBelow);
            jitter.put(inboundPacket.set(ssrc, seq, RtpHeader.timestamp(buf, off), buf, payloadOff, payloadLen,
                    arrivalNanos).level(level, quietBelow));
            return SocketReads.arrival(jitter.lastLatenessMicros());
        }
        if (kind == RtpIntake.Kind.EVENT) {
            char digit = dtmf.receive(RtpHeader.ssrc(buf, off), RtpHeader.timestamp(buf, off), buf, payloadOff,
                    payloadLen);
            if (digit != 0) {
                counters.dtmfDigit();
                listener.onDigit(this, digit);
            }
        } else if (kind == RtpIntake.Kind.UNKNOWN_PAYLOAD) {
            counters.droppedUnknownPayloadType();
        }
        return SocketReads.Arrival.LATER;
    }

    // ---- tick path (room's loop) ----

    /** Pulls this tick's frame from the jitter buffer and decides whether the leg contributes. */
    void pullFrame() {
        // Decoded into the room's scratch frame first: a silent leg (most of a large room) then
        // never touches a frame buffer of its own, which keeps a big room within the caches.
        MixGroup g = group;
        short[] frame = g.decodeBuffer();
        int n = decoded.length;
        boolean voiced = voice.pull(jitter, frame, n, voice.quietBelow(leftOut && !heard));
        char key = voice.keyPressed();
        if (key != 0) {
            counters.inbandDigit();
            listener.onInbandDigit(this, key);
        }
        speaking = mixed && !muted && heardByRoom && voiced;
        voice.verdict(speaking, g.tickNanos() / TICK_NANOS);
        if (track != null && !track.offer(frame, n, voice.decodedNow())) {
            track = null; // stopped and finished
        }
        // Only this tick's decoded audio can go into the mix; a level alone cannot.
        contributing = speaking && voice.decodedNow();
        if (contributing) {
            System.arraycopy(frame, 0, decoded, 0, n);
        }
    }

    boolean hasPrompt() {
        return prompt.playing();
    }

    /** Puts the private clip's next frame into {@link #output}: over what is there, or replacing it. */
    void addPromptFrame(boolean replace) {
        AudioClip ended = prompt.overlay(output, replace);
        if (ended != null) {
            listener.onPromptFinished(this, ended);
        }
    }

    /** Encodes {@link #output} for this leg alone and sends it. */
    void sendOwnMix() {
        int len = encoder.encode(output, 0, output.length, encoded, 0);
        sendEncoded(encoded, len);
    }

    /** Sends 20 ms of already encoded audio, shared with other legs of the same codec. */
    void sendEncoded(byte[] payload, int len) {
        if (!closed) {
            packetizer.add(payload, len, group.packetScratch(), outbound);
        }
    }

    /** The packetizer made a packet: protected, it goes out. */
    private void sendPacket(byte[] packet, int len, long timestamp) {
        rtcp.rtpSent(len - RtpHeader.FIXED_SIZE, timestamp); // the SR reports this packet's own timestamp
        int n = protection.protectRtp(packet, 0, len);
        MixGroup g = group;
        if (n < 0) {
            counters.sendDropped(); // could not be protected: never sent in clear
        } else if (socket.send(packet, 0, n, intake.remote(), g.io())) {
            g.packetOut();
        }
    }

    /** The tick has made all its packets. */
    void flush() {
        socket.flush();
    }

    private boolean browserRefusalSaid;
    private static final String NO_RTP = "no RTP for too long";
    private static final String CONSENT_LOST = "consent lost (no ICE check for 30 s)";
    private String timeoutReason = NO_RTP;

    /** Sends an RTCP sender report (with our reception report) to the caller. */
    void sendRtcpReport() {
        if (browser != null) {
            return; // a browser's RTCP shares the RTP port (rtcp-mux); reports there are not sent yet
        }
        rtcpLink.report(jitter.jitterMs());
    }

    /** True when no RTP arrived for {@code timeoutNanos}, or a browser's consent expired; {@link #timeoutReason} says which. */
    boolean timedOut(long now, long timeoutNanos) {
        if (browser != null && browser.consentExpired(now)) {
            timeoutReason = CONSENT_LOST; // RFC 7675: no passing check for 30 s
            return true;
        }
        if (!held && timeoutNanos > 0 && now - lastPacketNanos > timeoutNanos) {
            timeoutReason = NO_RTP;
            return true;
        }
        return false;
    }

    /** Why the leg timed out, in words for the log. */
    public String timeoutReason() {
        return timeoutReason;
    }

    @Override
    public String toString() {
        return "leg " + id + " (" + spec.label() + ", " + codec + ", port " + localPort() + ")";
    }
}
