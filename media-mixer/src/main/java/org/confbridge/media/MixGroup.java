package org.confbridge.media;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.confbridge.media.audio.AudioClip;
import org.confbridge.media.audio.MixRecorder;
import org.confbridge.media.mix.Fade;
import org.confbridge.media.mix.MixBus;
import org.confbridge.media.mix.TalkerCap;
import org.confbridge.media.rtp.RtpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audio of one room: its legs, and the 20 ms tick that mixes them. A group lives on one Netty
 * event loop: its tick runs there, so jitter buffers, mixing and encoding never need a lock. Its
 * legs' sockets are read there too, except in a large room, where some live on other loops and
 * hand packets over without locks (see {@link MediaEngine#socketLoopFor}). Other threads reach a
 * group through {@link #execute}.
 */
public final class MixGroup {
    private static final Logger log = LoggerFactory.getLogger(MixGroup.class);
    private static final long PERIOD_NANOS = 20_000_000L;
    /** Further behind than this, the group stops catching up and skips ticks. */
    private static final int MAX_CATCH_UP_TICKS = 5;
    private static final int BIND_ATTEMPTS = 20;
    /** RTCP reports every 5 s (RFC 3550's minimum interval). */
    private static final int RTCP_INTERVAL_TICKS = 250;

    private final String name;
    private final EventLoop loop;
    private final int loopIndex;
    /** Per engine loop: two batches of packets for that loop's sockets, used in turn (see {@link SendBatch}). */
    private final SendBatch[][] batches;
    /** Per engine loop: the batch this tick fills, chosen at its first packet. */
    private final SendBatch[] filling;
    private final MediaEngine engine;
    private final MediaSettings settings;
    private final MediaMetrics metrics;
    private final LongSupplier clock;
    private final List<MediaLeg> legs = new ArrayList<>();
    private final List<SharedEncoding> shared = new ArrayList<>();
    private final MixBus bus = new MixBus();
    /** This tick's speaking legs; grows to the most that ever spoke at once, then stays. */
    private MediaLeg[] speakers = new MediaLeg[16];
    /** The talker cap's view of {@link #speakers}: grown with it, never per tick. */
    private int[] capLoudness = new int[16];
    private boolean[] capHeard = new boolean[16];
    private boolean[] capContributing = new boolean[16];
    private int speakerCount;
    /** Where an outgoing RTP packet is assembled for a socket on this loop; shared by the room's legs. */
    final ByteBuf sendBuffer = Unpooled.directBuffer(MediaLeg.MAX_PACKET);
    /** Where a leg writes its outgoing RTP header before it is copied into the packet; shared by the room's legs. */
    final byte[] rtpHeader = new byte[RtpHeader.FIXED_SIZE];
    /** Where the tick reads a datagram from a leg's own socket, and its copy on the heap. */
    final ByteBuf receiveBuffer = Unpooled.directBuffer(MediaLeg.MAX_PACKET);
    final byte[] receiveBytes = new byte[MediaLeg.MAX_PACKET];
    /** Where each leg's frame is decoded before the leg is known to contribute (48 kHz at most). */
    final short[] decodeBuffer = new short[48000 / 50];
    /** The room rate: announcements and the recording live here. */
    private final MixBus.Band roomBand;
    private final short[] announcementFrame;
    private final java.util.ArrayDeque<AudioClip> announcements = new java.util.ArrayDeque<>();
    private AudioClip announcement;
    private int announcementPos;
    private MixRecorder recorder;
    private final Runnable tickTask = this::tick;
    private ScheduledFuture<?> scheduled;
    private long nextDeadline;
    private long tickCount;
    /** When this tick began: the arrival time of what the tick reads from its legs' sockets. */
    long tickNanos;
    /** RTP packets this tick accepted and sent on this loop; counted into the meters once per tick. */
    int packetsIn;
    int packetsOut;
    private boolean closed;

    MixGroup(String name, EventLoop loop, MediaEngine engine) {
        this.name = name;
        this.loop = loop;
        this.engine = engine;
        this.loopIndex = engine.loopIndex(loop);
        this.batches = new SendBatch[engine.loopCount()][];
        this.filling = new SendBatch[engine.loopCount()];
        this.settings = engine.settings();
        this.metrics = engine.metrics();
        this.clock = engine.clock();
        this.roomBand = bus.band(settings.sampleRate());
        this.announcementFrame = new short[settings.frameSamples()];
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
        execute(() -> {
            if (this.recorder != null) {
                this.recorder.stop();
            }
            this.recorder = recorder;
        });
    }

    /** Stops the attached recorder, if any. */
    public void stopRecording() {
        execute(() -> {
            if (recorder != null) {
                recorder.stop();
                recorder = null;
            }
        });
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

    LongSupplier clock() {
        return clock;
    }

    /** The engine's loop at {@code index}: the one that sends a leg's packets (see {@link MediaLeg#socketLoop()}). */
    EventLoop loopAt(int index) {
        return engine.loop(index);
    }

    int loopIndex() {
        return loopIndex;
    }

    /**
     * The batch this tick fills for the sockets of loop {@code index}, or null when both of that
     * loop's batches are still unsent (it is two ticks behind).
     */
    SendBatch sendBatch(int index) {
        SendBatch b = filling[index];
        if (b == null) {
            SendBatch[] pair = batches[index];
            if (pair == null) {
                EventLoop other = engine.loop(index);
                pair = batches[index] = new SendBatch[] {new SendBatch(other, metrics), new SendBatch(other, metrics)};
            }
            b = !pair[0].inFlight() ? pair[0] : !pair[1].inFlight() ? pair[1] : null;
            filling[index] = b;
        }
        return b;
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
        CompletableFuture<MediaLeg> result = new CompletableFuture<>();
        execute(() -> {
            if (closed) {
                result.completeExceptionally(new IllegalStateException("room " + name + " is closed"));
                return;
            }
            bindLeg(id, spec, listener, result, BIND_ATTEMPTS);
        });
        return result;
    }

    private void bindLeg(String id, LegSpec spec, LegListener listener, CompletableFuture<MediaLeg> result, int attempts) {
        int port = engine.ports().acquire();
        if (port < 0) {
            result.completeExceptionally(new IllegalStateException("no free RTP port in " + settings.rtpPortLow() + "-"
                    + settings.rtpPortHigh()));
            return;
        }
        MediaLeg leg;
        try {
            leg = new MediaLeg(id, this, spec, listener, port, settings, metrics);
        } catch (RuntimeException e) {
            engine.ports().release(port);
            result.completeExceptionally(e);
            return;
        }
        EventLoop socketLoop = engine.socketLoopFor(this);
        // The port is free again only once its socket really is closed.
        Runnable released = () -> {
            engine.socketClosed(socketLoop);
            engine.ports().release(port);
        };
        if (engine.epoll() && receiveBuffer.hasMemoryAddress()) {
            bindPolled(leg, port, socketLoop, released, result, attempts);
            return;
        }
        leg.useInboundRing(); // before the channel exists: its loop may read a packet at once
        Bootstrap rtp = new Bootstrap().group(socketLoop).channelFactory(() -> engine.newDatagramChannel(spec.remote()))
                // One datagram per read: RTP brings one packet per socket per 20 ms, so reading on
                // until the socket says "empty" would cost a second system call for every packet.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048).maxMessagesPerRead(1))
                .handler(leg.new Handler());
        if (engine.epoll()) {
            // Level-triggered, so a packet left in the socket is reported again instead of re-read now.
            rtp.option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
        }
        rtp
                .bind(new InetSocketAddress(settings.bindAddress(), port))
                .addListener(f -> execute(() -> {
                    if (f.isSuccess()) {
                        io.netty.channel.Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
                        leg.attach(ch, engine.loopIndex(socketLoop));
                        ch.closeFuture().addListener(c -> released.run());
                        bindRtcp(leg, port + 1, result);
                        return;
                    }
                    bindFailed(leg, port, socketLoop, f.cause(), result, attempts);
                }));
    }

    /**
     * A port taken by another program: tries the next one (up to {@code attempts}), and only then
     * returns this one to the pool, so that the retry does not get it straight back.
     */
    private void bindFailed(MediaLeg leg, int port, EventLoop socketLoop, Throwable cause,
                            CompletableFuture<MediaLeg> result, int attempts) {
        engine.socketClosed(socketLoop);
        if (attempts > 1) {
            log.debug("RTP port {} not bindable ({}), trying another", port, cause.toString());
            bindLeg(leg.id(), leg.spec(), leg.listener(), result, attempts - 1);
            engine.ports().release(port);
        } else {
            engine.ports().release(port);
            result.completeExceptionally(cause);
        }
    }

    /**
     * Binds the leg's own RTP socket, outside Netty: the tick reads it directly (see
     * {@code MediaLeg.readSocket}), and sends on it when {@code socketLoop} is the room's own loop;
     * otherwise that loop sends the leg's packets ({@link SendBatch}), so a large room's system
     * calls are shared while no readiness event, Netty read or hand-over comes between a packet
     * and the tick. A port taken by another program is skipped, as for channels.
     */
    private void bindPolled(MediaLeg leg, int port, EventLoop socketLoop, Runnable released,
                            CompletableFuture<MediaLeg> result, int attempts) {
        Socket socket = null;
        try {
            socket = RtpSocket.open(engine.ipv4Sockets(leg.spec().remote()));
            socket.bind(new InetSocketAddress(settings.bindAddress(), port));
        } catch (IOException | RuntimeException e) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // never bound: nothing to release
                }
            }
            bindFailed(leg, port, socketLoop, e, result, attempts);
            return;
        }
        leg.attachPolled(socket, engine.loopIndex(socketLoop), released);
        bindRtcp(leg, port + 1, result);
    }

    /** RTCP on the odd port above; a leg works without it if that port is taken. */
    private void bindRtcp(MediaLeg leg, int port, CompletableFuture<MediaLeg> result) {
        new Bootstrap().group(loop).channelFactory(() -> engine.newDatagramChannel(leg.spec().remote()))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(1500))
                .handler(leg.new RtcpHandler())
                .bind(new InetSocketAddress(settings.bindAddress(), port))
                .addListener(f -> {
                    if (f.isSuccess()) {
                        leg.attachRtcp(((io.netty.channel.ChannelFuture) f).channel());
                    } else {
                        log.debug("RTCP port {} not bindable: {}", port, f.cause().toString());
                    }
                    addLeg(leg);
                    result.complete(leg);
                });
    }

    /**
     * Moves a leg, with its sockets and state, to another room's group, which may live on another
     * event loop: the sockets are deregistered here and registered there, so no packet is handled
     * by two loops. Used when a dial-in caller has typed the room number. The leg arrives unmixed.
     */
    public CompletableFuture<Void> transfer(MediaLeg leg, MixGroup target) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            if (!legs.remove(leg)) {
                done.completeExceptionally(new IllegalStateException(leg + " is not in room " + name));
                return;
            }
            engine.legMixed(loop, -1);
            if (legs.isEmpty() && scheduled != null) {
                scheduled.cancel(false);
                scheduled = null;
            }
            // The RTP socket stays on its loop; only the hand-over ring gets a new reader.
            if (leg.rtcpChannel() == null) {
                target.adopt(leg, done);
            } else {
                leg.rtcpChannel().deregister().addListener(g -> target.adopt(leg, done));
            }
        });
        return done;
    }

    private void adopt(MediaLeg leg, CompletableFuture<Void> done) {
        Runnable finish = () -> {
            leg.movedTo(this);
            addLeg(leg);
            done.complete(null);
        };
        if (leg.rtcpChannel() == null) {
            loop.execute(finish);
        } else {
            // A leg works without RTCP: if its socket cannot move, the leg moves without it.
            loop.register(leg.rtcpChannel()).addListener(g -> {
                if (!g.isSuccess()) {
                    leg.rtcpChannel().close();
                }
                finish.run();
            });
        }
    }

    private void addLeg(MediaLeg leg) {
        legs.add(leg);
        engine.legMixed(loop, 1);
        join(leg);
        if (scheduled == null) {
            nextDeadline = clock.getAsLong() + PERIOD_NANOS;
            schedule();
        }
    }

    void removeLeg(MediaLeg leg) {
        if (legs.remove(leg)) {
            engine.legMixed(loop, -1);
            leg.closeNow(); // the port returns to the pool when the socket has closed
        }
        if (legs.isEmpty() && scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
    }

    /**
     * Adds a leg made without a socket and without starting the tick, so that a benchmark can drive
     * {@link #mixOnce()} itself on its own thread: it hands the leg its packets as the tick's socket
     * read would, and the leg assembles its packets up to the system call. Not for a running bridge.
     */
    void addUnscheduled(MediaLeg leg) {
        leg.attachNoSocket(loopIndex);
        legs.add(leg);
        join(leg);
    }

    /** Gives a new leg its band of the mix and its codec's shared encoding. */
    private void join(MediaLeg leg) {
        leg.band = bus.band(leg.codecRate());
        leg.shared = sharedFor(leg.codec, leg.band);
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
            if (recorder != null) {
                recorder.stop();
                recorder = null;
            }
            for (MediaLeg leg : new ArrayList<>(legs)) {
                removeLeg(leg);
            }
            for (SharedEncoding enc : shared) {
                enc.close();
            }
            sendBuffer.release();
            receiveBuffer.release();
            for (SendBatch[] pair : batches) {
                if (pair != null) {
                    pair[0].release();
                    pair[1].release();
                }
            }
            engine.groupClosed(this);
        });
    }

    private void schedule() {
        long delay = Math.max(0, nextDeadline - clock.getAsLong());
        scheduled = loop.schedule(tickTask, delay, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        if (closed || legs.isEmpty()) {
            scheduled = null;
            return;
        }
        long start = clock.getAsLong();
        long lateness = start - nextDeadline;
        try {
            try {
                mixOnce();
            } catch (RuntimeException | AssertionError e) {
                // Each leg's part is caught on its own (legFailed); this is the room's own part.
                log.error("room {}: mixing tick failed", name, e);
            }
            long end = clock.getAsLong();
            metrics.tick(Math.max(0, lateness), end - start);
            nextDeadline += PERIOD_NANOS;
            if (end - nextDeadline > MAX_CATCH_UP_TICKS * PERIOD_NANOS) {
                int skipped = (int) ((end - nextDeadline) / PERIOD_NANOS);
                nextDeadline += (long) skipped * PERIOD_NANOS;
                metrics.ticksSkipped(skipped);
            }
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
        } finally {
            // Whatever happened above, the room keeps its clock: a tick that is not scheduled
            // again would silence the room for good.
            schedule();
        }
    }

    /** One tick: pull, sum, then send everyone their mix. */
    void mixOnce() {
        tickCount++;
        tickNanos = clock.getAsLong();
        int n = legs.size();
        bus.clear();
        for (int i = 0; i < n; i++) {
            MediaLeg leg = legs.get(i);
            try {
                leg.drainInbound();
                leg.pullFrame();
            } catch (RuntimeException | AssertionError e) {
                leg.speaking = false;
                leg.contributing = false;
                legFailed(leg, e);
            }
            if (leg.speaking) {
                if (speakerCount == speakers.length) {
                    speakers = Arrays.copyOf(speakers, speakerCount * 2);
                }
                speakers[speakerCount++] = leg;
            } else {
                leg.heard = false;
                leg.leftOut = false;
            }
        }
        boolean capped = settings.maxTalkers() > 0 && speakerCount > settings.maxTalkers();
        if (capped) {
            chooseLoudest(settings.maxTalkers());
        }
        for (int i = 0; i < speakerCount; i++) {
            MediaLeg leg = speakers[i];
            if (!capped) {
                leg.heard = true;
            }
            if (leg.contributing) {
                if (leg.leftOut) {
                    // Let in mid-word: a cut-in would click.
                    Fade.in(leg.decoded);
                }
                bus.add(leg.band, leg.decoded);
            }
            leg.leftOut = !leg.contributing;
            speakers[i] = null;
        }
        speakerCount = 0;
        if (nextAnnouncementFrame()) {
            bus.add(roomBand, announcementFrame);
        }
        if (recorder != null) {
            recorder.offer(bus.fullMix(roomBand));
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
        for (int i = 0; i < filling.length; i++) {
            if (filling[i] != null) {
                filling[i].post();
                filling[i] = null;
            }
        }
        metrics.packets(packetsIn, packetsOut);
        packetsIn = 0;
        packetsOut = 0;
    }

    /** More legs speak than the room mixes: {@link TalkerCap} chooses who is heard; a replaced voice fades out. */
    private void chooseLoudest(int max) {
        if (capLoudness.length < speakerCount) {
            capLoudness = new int[speakers.length];
            capHeard = new boolean[speakers.length];
            capContributing = new boolean[speakers.length];
        }
        for (int i = 0; i < speakerCount; i++) {
            MediaLeg leg = speakers[i];
            capLoudness[i] = leg.loudness();
            capHeard[i] = leg.heard;
            capContributing[i] = leg.contributing;
        }
        int fading = TalkerCap.choose(speakerCount, max, capLoudness, capHeard, capContributing);
        for (int i = 0; i < speakerCount; i++) {
            MediaLeg leg = speakers[i];
            // Written only where changed: most talkers keep their place, and a write dirties the leg's line.
            if (leg.heard != capHeard[i]) {
                leg.heard = capHeard[i];
            }
            if (leg.contributing != capContributing[i]) {
                leg.contributing = capContributing[i];
            }
        }
        if (fading >= 0) {
            Fade.out(speakers[fading].decoded);
        }
    }

    /** Sends one leg its 20 ms: silence or a prompt in the lobby, its own mix, or the shared one. */
    private void send(MediaLeg leg, long tick) {
        if (!leg.mixed()) {
            if (leg.hasPrompt()) {
                leg.addPromptFrame(true);
                leg.sendOwnMix();
            } else {
                leg.sendEncoded(leg.shared.silencePayload, leg.shared.silenceLength);
            }
        } else if (leg.contributing) {
            bus.mixMinus(leg.band, leg.decoded, leg.output);
            if (leg.hasPrompt()) {
                leg.addPromptFrame(false);
            }
            leg.sendOwnMix();
        } else if (leg.hasPrompt()) {
            System.arraycopy(bus.fullMix(leg.band), 0, leg.output, 0, leg.output.length);
            leg.addPromptFrame(false);
            leg.sendOwnMix();
        } else {
            SharedEncoding enc = leg.shared;
            leg.sendEncoded(enc.payload(bus, tick), enc.length());
        }
    }

    /**
     * One leg's part of the tick threw: a bug, or input that nothing before caught. That leg misses
     * this tick; the others do not. Logged in full the first time per leg, then every 1000th.
     */
    private void legFailed(MediaLeg leg, Throwable e) {
        metrics.legFailed();
        if (leg.failures++ % 1000 == 0) {
            log.error("room {}: {} failed in a tick ({} time(s)); the room plays on", name, leg, leg.failures, e);
        }
    }

    /** Fills {@link #announcementFrame} from the current announcement; false when none plays. */
    private boolean nextAnnouncementFrame() {
        if (announcement == null) {
            announcement = announcements.poll();
            announcementPos = 0;
            if (announcement == null) {
                return false;
            }
        }
        int n = announcementFrame.length;
        announcement.frame(announcementPos, announcementFrame);
        announcementPos += n;
        if (announcementPos >= announcement.length()) {
            announcement = null;
        }
        return true;
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
