package org.confbridge.media.room;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import io.netty.channel.EventLoop;
import org.confbridge.media.audio.AudioClip;
import org.confbridge.media.audio.MixRecorder;
import org.confbridge.media.loop.LoopTicker;
import org.confbridge.media.loop.RoomLoops;
import org.confbridge.media.metrics.MediaMetrics;
import org.confbridge.media.mix.Announcements;
import org.confbridge.media.mix.Fade;
import org.confbridge.media.mix.MixBus;
import org.confbridge.media.net.LegSocket;
import org.confbridge.media.net.LoopRing;
import org.confbridge.media.net.RtcpPort;
import org.confbridge.media.net.TickIo;
import org.confbridge.media.webrtc.BrowserLeg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audio of one room: its legs, and the 20 ms tick that mixes them. A group lives on one Netty
 * event loop: its tick runs there, in one wake-up with the other rooms on that loop
 * ({@link LoopTicker}), so jitter buffers, mixing and encoding never need a lock. Its legs'
 * sockets are read there too; in a large room some are sent on by other loops, which get the
 * tick's packets for them in one batch (see {@link RoomLoops}). Other threads reach
 * <p>
 * Why one file of this length: the tick ({@link #mixOnce}) reads top to bottom as the room's 20 ms,
 * in one place; who speaks, how legs arrive and the recording are classes of their own.
 * a group through {@link #execute}.
 */
public final class MixGroup {
    private static final Logger log = LoggerFactory.getLogger(MixGroup.class);
    /** RTCP reports every 5 s (RFC 3550's minimum interval). */
    private static final int RTCP_INTERVAL_TICKS = 250;

    private final String name;
    private final EventLoop loop;
    private final RoomLoops loops;
    private final MixSettings settings;
    private final MediaMetrics metrics;
    private final LongSupplier clock;
    private final List<MediaLeg> legs = new ArrayList<>();
    private final List<SharedEncoding> shared = new ArrayList<>();
    private final MixBus bus = new MixBus();
    /** This tick's speaking legs, and who of them is heard. */
    private final Speakers speakers = new Speakers();
    /** How legs come in: opened, opened on reserved sockets, or moved from another room. */
    private final LegArrivals arrivals = new LegArrivals(this);
    /** The buffers the legs' sockets read into and send from, shared by the room's legs. */
    private final TickIo io;
    /** Where a leg's outgoing RTP packet is assembled (and protected); shared by the room's legs. */
    private final byte[] packetScratch = new byte[TickIo.MAX_PACKET];
    /** Where each leg's frame is decoded before the leg is known to contribute (48 kHz at most). */
    private final short[] decodeBuffer = new short[48000 / 50];
    /** The room rate: announcements and the recording live here. */
    private final MixBus.Band roomBand;
    private final Announcements announcements;
    private final MixRecording recording = new MixRecording();
    /** The loop's clock, which ticks this room with every other room on the loop. */
    private final LoopTicker ticker;
    private long tickCount;
    /** When this tick began: the arrival time of what the tick reads from its legs' sockets. */
    private long tickNanos;
    /**
     * This wake-up's reads were queued ({@link #queueReads}), wholly or until a leg's part threw:
     * the loop submitted them with every other room's before the ticks.
     */
    private boolean readsQueued;
    /** RTP packets this tick accepted and sent on this loop; counted into the meters once per tick. */
    private int packetsIn;
    private int packetsOut;
    private boolean closed;

    /** What the loop's clock ticks: this room, through methods no other package calls. */
    private final LoopTicker.Room ticked = new LoopTicker.Room() {
        @Override
        public String name() {
            return name;
        }

        @Override
        public void queueReads() {
            MixGroup.this.queueReads();
        }

        @Override
        public void tick() {
            MixGroup.this.tick();
        }
    };

    /** A room living on {@code loop}, one of {@code loops}; made by the engine. */
    public MixGroup(String name, EventLoop loop, RoomLoops loops, MixSettings settings, MediaMetrics metrics) {
        this.name = name;
        this.loop = loop;
        this.loops = loops;
        this.io = loops.tickIo(loop);
        this.ticker = loops.ticker(loop);
        this.settings = settings;
        this.metrics = metrics;
        this.clock = loops.clock();
        metrics.groupsChanged(1);
        this.roomBand = bus.band(settings.sampleRate());
        this.announcements = new Announcements(settings.frameSamples());
    }

    /** Plays a clip into the room: everyone in the mix hears it (and the recording has it). Queued. */
    public void announce(AudioClip clip) {
        execute(() -> announcements.add(clip));
    }

    /**
     * Starts feeding the room's full mix to {@code recorder}, one frame per tick, replacing any
     * recorder attached before (which is stopped).
     */
    public void record(MixRecorder recorder) {
        execute(() -> recording.start(recorder));
    }

    /** Stops the attached recorder, if any. */
    public void stopRecording() {
        execute(recording::stop);
    }

    public String name() {
        return name;
    }

    /** The event loop this room lives on. */
    public EventLoop loop() {
        return loop;
    }

    /** The monotonic clock (nanoseconds) the room's ticks and its legs' times are read on. */
    public long nanos() {
        return clock.getAsLong();
    }

    TickIo io() {
        return io;
    }

    /** When the current tick began (the room's loop). */
    long tickNanos() {
        return tickNanos;
    }

    short[] decodeBuffer() {
        return decodeBuffer;
    }

    byte[] packetScratch() {
        return packetScratch;
    }

    /** A leg accepted an RTP packet. */
    void packetIn() {
        packetsIn++;
    }

    /** A leg sent an RTP packet from this loop. */
    void packetOut() {
        packetsOut++;
    }

    /** Runs {@code task} on the room's loop (at once if already there). */
    public void execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /**
     * Opens a leg: takes an RTP port, binds it on this room's loop and adds the leg, not yet mixed
     * (it starts in the lobby). Completes exceptionally when no port can be bound.
     */
    public CompletableFuture<MediaLeg> openLeg(String id, LegSpec spec, LegListener listener) {
        return arrivals.open(id, spec, listener, (BrowserLeg) null);
    }

    /**
     * Opens a browser's leg (WebRTC): as {@link #openLeg(String, LegSpec, LegListener)}, with ICE
     * checks and DTLS on its port before SRTP, and nothing sent to the browser before DTLS is done.
     */
    public CompletableFuture<MediaLeg> openLeg(String id, LegSpec spec, LegListener listener, BrowserLeg browser) {
        return arrivals.open(id, spec, listener, browser);
    }

    /**
     * Binds a leg's sockets before its media is known (a call whose INVITE had no offer: our
     * offer names the port, the caller's answer comes with the ACK). {@code peer} is an address
     * of the caller's family. {@link #openLeg(String, LegSpec, LegListener, ReservedSockets)}
     * makes the leg on them; {@link ReservedSockets#release} returns them unused.
     */
    public CompletableFuture<ReservedSockets> reserveSockets(InetSocketAddress peer) {
        return arrivals.reserve(peer);
    }

    /** Opens a leg on sockets reserved before (see {@link #reserveSockets}). */
    public CompletableFuture<MediaLeg> openLeg(String id, LegSpec spec, LegListener listener, ReservedSockets sockets) {
        return arrivals.open(id, spec, listener, sockets);
    }

    /** Adds a leg on sockets already bound (see {@link LegArrivals#add}). Room's loop. */
    void add(String id, LegSpec spec, LegListener listener, LegSocket rtp, RtcpPort rtcp,
             CompletableFuture<MediaLeg> result) {
        arrivals.add(id, spec, listener, rtp, rtcp, null, result);
    }

    /**
     * Moves a leg, with its sockets and state, to another room's group, which may live on another
     * event loop: the sockets are deregistered here and registered there, so no packet is handled
     * by two loops. Used when a dial-in caller has typed the room number. The leg arrives unmixed.
     */
    public CompletableFuture<Void> transfer(MediaLeg leg, MixGroup target) {
        return arrivals.transfer(leg, target.arrivals);
    }

    /** The leg leaves for another room, its sockets open; false if it is not here. Room's loop. */
    boolean detach(MediaLeg leg) {
        if (!legs.remove(leg)) {
            return false;
        }
        loops.legMixed(loop, -1);
        if (legs.isEmpty()) {
            ticker.stop(ticked);
        }
        return true;
    }

    boolean closed() {
        return closed;
    }

    RoomLoops loops() {
        return loops;
    }

    MixSettings settings() {
        return settings;
    }

    MediaMetrics metrics() {
        return metrics;
    }

    void addLeg(MediaLeg leg) {
        legs.add(leg);
        loops.legMixed(loop, 1);
        join(leg);
        ticker.start(ticked);
    }

    void removeLeg(MediaLeg leg) {
        if (legs.remove(leg)) {
            loops.legMixed(loop, -1);
            leg.closeNow(); // the port returns to the pool when the socket has closed
        }
        if (legs.isEmpty()) {
            ticker.stop(ticked);
        }
    }

    /** A leg's codec changed (on this loop): its band and shared encoding follow. */
    void codecChanged(MediaLeg leg) {
        if (legs.contains(leg)) {
            join(leg);
        }
    }

    /** Gives a new leg its band of the mix and its codec's shared encoding. */
    private void join(MediaLeg leg) {
        MixBus.Band band = bus.band(leg.codecRate());
        leg.joined(band, sharedFor(leg.codec, band));
    }

    /** Frames of the current recording so far (the room's loop). */
    public long recordedFrames() {
        return recording.frames();
    }

    /** Number of legs, read on the loop; other threads get an approximate value. */
    public int legCount() {
        return legs.size();
    }

    /** Closes every leg and stops the tick (as a task of its own, never inside a tick). */
    public void close() {
        loop.execute(() -> {
            if (closed) {
                return;
            }
            closed = true;
            recording.stop();
            for (MediaLeg leg : new ArrayList<>(legs)) {
                removeLeg(leg);
            }
            for (SharedEncoding enc : shared) {
                enc.close();
            }
            io.release();
            loops.roomClosed(loop);
            metrics.groupsChanged(-1);
        });
    }

    /** The loop's wake-up: one mix, and every 50th the timeouts. */
    void tick() {
        if (closed || legs.isEmpty()) {
            ticker.stop(ticked);
            return;
        }
        long start = clock.getAsLong();
        try {
            mixOnce();
        } catch (RuntimeException | AssertionError e) {
            // Each leg's part is caught on its own (legFailed); this is the room's own part.
            log.error("room {}: mixing tick failed", name, e);
        }
        long end = clock.getAsLong();
        metrics.tickTook(end - start);
        if (tickCount % 50 == 0) {
            checkTimeouts(end);
        }
        // Each leg reports once per interval, but in its own tick: a thousand reports in one
        // tick held the room's loop for tens of milliseconds every 5 s.
        for (int i = (int) (tickCount % RTCP_INTERVAL_TICKS); i < legs.size(); i += RTCP_INTERVAL_TICKS) {
            MediaLeg leg = legs.get(i);
            try {
                leg.sendRtcpReport();
            } catch (RuntimeException e) {
                legFailed(leg, e);
            }
        }
    }

    /**
     * The tick begins: its clock starts and each leg's first read is queued in the loop's ring,
     * which the loop then submits for all its rooms at once (one system call per wake-up, not per
     * room). Nothing to do without a ring. The loop.
     */
    void queueReads() {
        if (closed || legs.isEmpty() || io.ring() == null) {
            return;
        }
        tickNanos = clock.getAsLong();
        io.startTick(tickNanos);
        readsQueued = true;
        for (int i = 0, n = legs.size(); i < n; i++) {
            MediaLeg leg = legs.get(i);
            try {
                leg.queueRead();
            } catch (RuntimeException | AssertionError e) {
                legFailed(leg, e); // that leg reads for itself; the others' reads stand
            }
        }
    }

    /** One tick: pull, sum, then send everyone their mix. */
    void mixOnce() {
        tickCount++;
        LoopRing ring = io.ring();
        boolean ownWakeUp = false;
        if (!readsQueued) {
            if (ring != null && !ring.wakingUp()) {
                // Ticked by whoever made the engine (TickTimer.CALLER), not by the loop: its own wake-up.
                ownWakeUp = true;
                ring.beginWakeUp();
                queueReads();
                ring.submitReads();
            } else {
                // Joined the loop during this wake-up, after the reads were queued: its legs read for
                // themselves. Queueing now would take slots of rooms that have yet to read theirs.
                tickNanos = clock.getAsLong();
                io.startTick(tickNanos);
            }
        }
        readsQueued = false;
        int n = legs.size();
        bus.clear();
        for (int i = 0; i < n; i++) {
            MediaLeg leg = legs.get(i);
            try {
                leg.drainInbound();
                leg.pullFrame();
            } catch (RuntimeException | AssertionError e) {
                leg.notHeardThisTick();
                legFailed(leg, e);
            }
            if (leg.speaking()) {
                speakers.add(leg);
            } else {
                leg.silentThisTick();
            }
        }
        speakers.choose(settings.maxTalkers());
        for (int i = 0, talking = speakers.count(); i < talking; i++) {
            MediaLeg leg = speakers.get(i);
            if (leg.contributing()) {
                if (leg.leftOut()) {
                    // Let in mid-word: a cut-in would click.
                    Fade.in(leg.decoded());
                }
                bus.add(leg.band(), leg.decoded());
            }
            leg.mixedThisTick();
        }
        speakers.clear();
        short[] announcement = announcements.nextFrame();
        if (announcement != null) {
            bus.add(roomBand, announcement);
        }
        if (recording.running()) {
            recording.offer(bus.fullMix(roomBand));
        }
        long tick = tickCount;
        for (int i = 0; i < n; i++) {
            MediaLeg leg = legs.get(i);
            try {
                send(leg, tick);
            } catch (RuntimeException | AssertionError e) {
                legFailed(leg, e);
            }
        }
        for (int i = 0; i < n; i++) {
            legs.get(i).flush();
        }
        io.post();
        if (ownWakeUp) {
            ring.endWakeUp();
        }
        metrics.packets(packetsIn, packetsOut);
        packetsIn = 0;
        packetsOut = 0;
    }

    /** Sends one leg its 20 ms: silence or a prompt in the lobby, its own mix, or the shared one. */
    private void send(MediaLeg leg, long tick) {
        if (!leg.mixed()) {
            if (leg.hasPrompt()) {
                leg.addPromptFrame(true);
                leg.sendOwnMix();
            } else {
                leg.sendEncoded(leg.shared().silencePayload, leg.shared().silenceLength);
            }
        } else if (leg.contributing()) {
            bus.mixMinus(leg.band(), leg.decoded(), leg.output());
            if (leg.hasPrompt()) {
                leg.addPromptFrame(false);
            }
            leg.sendOwnMix();
        } else if (leg.hasPrompt()) {
            short[] out = leg.output();
            System.arraycopy(bus.fullMix(leg.band()), 0, out, 0, out.length);
            leg.addPromptFrame(false);
            leg.sendOwnMix();
        } else {
            SharedEncoding enc = leg.shared();
            leg.sendEncoded(enc.payload(bus, tick), enc.length());
        }
    }

    /**
     * One leg's part of the tick threw: a bug, or input that nothing before caught. That leg misses
     * this tick; the others do not. Logged in full the first time per leg, then every 1000th.
     */
    private void legFailed(MediaLeg leg, Throwable e) {
        metrics.legFailed();
        int before = leg.failed();
        if (before % 1000 == 0) {
            log.error("room {}: {} failed in a tick ({} time(s)); the room plays on", name, leg, before + 1, e);
        }
    }

    private void checkTimeouts(long now) {
        long timeout = TimeUnit.SECONDS.toNanos(settings.rtpTimeoutSeconds());
        for (int i = 0; i < legs.size(); i++) {
            MediaLeg leg = legs.get(i);
            if (leg.timedOut(now, timeout)) {
                try {
                    leg.listener().onMediaTimeout(leg);
                } catch (RuntimeException e) {
                    legFailed(leg, e);
                }
            }
        }
    }

    private SharedEncoding sharedFor(String codec, MixBus.Band band) {
        for (int i = 0; i < shared.size(); i++) {
            if (shared.get(i).codec.equals(codec)) {
                return shared.get(i);
            }
        }
        SharedEncoding enc = new SharedEncoding(codec, settings, band);
        shared.add(enc);
        return enc;
    }
}
