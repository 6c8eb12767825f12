package org.confbridge.media;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.confbridge.media.audio.MixRecorder;
import org.confbridge.media.audio.RecordingWriter;
import org.confbridge.media.net.RtpPortPool;
import org.confbridge.media.net.LoopRing;
import org.confbridge.media.net.TickIo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media side of the bridge: the event loops that run rooms, the RTP port range and the
 * media meters. Rooms ({@link MixGroup}s) are packed onto the loops (see {@link LoopLoads}).
 */
public final class MediaEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);
    private static final int EVENTS_PER_WAKEUP = 64;

    private final MediaSettings settings;
    private final MediaMetrics metrics = new MediaMetrics();
    private final RtpPortPool ports;
    private final EventLoopGroup loops;
    private final Class<? extends DatagramChannel> channelType;
    /** The loops in a fixed order, so a room can keep per-loop state in arrays. */
    private final EventLoop[] loopList;
    /** What each loop carries, and where new rooms and sockets go. */
    private final LoopLoads loads;
    private final LongSupplier clock;
    private final boolean bindsIpv4;
    private final RecordingWriter recordings = new RecordingWriter();
    /** One clock per loop (same order as {@link #loopList}), ticking every room on it. */
    private final LoopTicker[] tickers;
    /** Per loop, its sends' io_uring, or null (see {@link #openRings}). */
    private final LoopRing[] rings;
    private final LegSockets sockets;

    public MediaEngine(MediaSettings settings, MeterRegistry registry) {
        this(settings, registry, System::nanoTime, TickTimer.LOOP);
    }

    /**
     * An engine whose rooms read time from {@code clock} and have their ticks scheduled by
     * {@code timer} ({@link TickTimer#CALLER}: whoever made the engine calls the ticks).
     */
    public MediaEngine(MediaSettings settings, MeterRegistry registry, LongSupplier clock, TickTimer timer) {
        this.settings = settings;
        this.clock = clock;
        this.sockets = new LegSockets(this, settings);
        this.ports = new RtpPortPool(settings.rtpPortLow(), settings.rtpPortHigh());
        this.bindsIpv4 = new InetSocketAddress(settings.bindAddress(), 0).getAddress() instanceof Inet4Address;
        int threads = settings.eventLoops() > 0 ? settings.eventLoops() : Runtime.getRuntime().availableProcessors();
        DefaultThreadFactory factory = new DefaultThreadFactory("room-loop", true, Thread.MAX_PRIORITY);
        if (Epoll.isAvailable()) {
            loops = newEpollLoops(threads, factory);
            channelType = EpollDatagramChannel.class;
        } else {
            loops = new NioEventLoopGroup(threads, factory);
            channelType = NioDatagramChannel.class;
        }
        java.util.List<EventLoop> list = new java.util.ArrayList<>();
        loops.forEach(e -> list.add((EventLoop) e));
        loopList = list.toArray(new EventLoop[0]);
        rings = settings.ioUring() && epoll() ? openRings() : new LoopRing[loopList.length];
        tickers = new LoopTicker[loopList.length];
        for (int i = 0; i < loopList.length; i++) {
            tickers[i] = new LoopTicker(loopList[i], timer, clock, metrics, rings[i]);
        }
        loads = new LoopLoads(loopList.length, i -> tickers[i].busyShare());
        metrics.watchPorts(ports);
        metrics.watchRecordings(recordings);
        metrics.bindTo(registry);
        log.info("media: {} room loops ({}), RTP ports {}-{} ({} legs), mixing at {} Hz", threads,
                epoll() ? (rings[0] != null ? "epoll, reads and sends through io_uring" : "epoll") : "nio", settings.rtpPortLow(), settings.rtpPortHigh(), ports.capacity(),
                settings.sampleRate());
        if (settings.realtimePriority() > 0) {
            metrics.realtimeLoops.set(scheduleRealtime(settings.realtimePriority()));
        }
    }

    /**
     * A {@link LoopRing} for each loop, made on the loop's thread (its owner). Where the kernel
     * refuses io_uring (many containers do), none: each packet is its own {@code send}, and one
     * line says why.
     */
    private LoopRing[] openRings() {
        LoopRing[] made = new LoopRing[loopList.length];
        for (int i = 0; i < loopList.length; i++) {
            try {
                made[i] = loopList[i].submit(() -> LoopRing.open(metrics)).get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                for (LoopRing r : made) {
                    if (r != null) {
                        r.close(); // nothing queued yet
                    }
                }
                Throwable why = e.getCause() != null ? e.getCause() : e;
                if (why instanceof org.confbridge.media.net.IoUring.Refused) {
                    log.info("media: io_uring not available ({}); one system call per RTP packet", why.getMessage());
                } else {
                    log.warn("media: io_uring failed ({}); one system call per RTP packet", why.getMessage());
                }
                return new LoopRing[loopList.length];
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new LoopRing[loopList.length];
            }
        }
        return made;
    }

    /** Whether the loops batch their packets' system calls through io_uring ({@code mixer.ioUring}). */
    public boolean batchesIo() {
        return rings.length > 0 && rings[0] != null;
    }

    /** The loop's {@link LoopRing}, or null where sends are one system call each. */
    LoopRing ring(EventLoop loop) {
        return rings[loopIndex(loop)];
    }

    /**
     * Puts every room loop's thread at {@code SCHED_FIFO} (see {@link RealtimePriority}). Where the
     * system refuses, the loops run at normal priority and one warning says why. Returns how many
     * loops run real-time.
     */
    private int scheduleRealtime(int priority) {
        int applied = 0;
        String refused = null;
        for (EventLoop loop : loopList) {
            try {
                loop.submit(() -> {
                    RealtimePriority.applyToCurrentThread(priority);
                    return null;
                }).get(5, TimeUnit.SECONDS);
                applied++;
            } catch (java.util.concurrent.ExecutionException e) {
                refused = e.getCause().getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.TimeoutException e) {
                refused = "the loop did not answer";
            }
        }
        if (refused == null) {
            log.info("media: room loops run at SCHED_FIFO priority {}", priority);
        } else {
            log.warn("media: mixer.realtimePriority = {} not applied to {} of {} room loops ({}); they run at normal priority",
                    priority, loopList.length - applied, loopList.length, refused);
        }
        return applied;
    }

    /** Room loops whose threads run at real-time priority ({@code mixer.realtimePriority}). */
    public int realtimeLoops() {
        return metrics.realtimeLoops.get();
    }

    /**
     * At most {@value #EVENTS_PER_WAKEUP} sockets are read between two looks at the task queue: a
     * room's tick is never queued behind hundreds of reads (Netty's default grows to thousands).
     * Netty offers this only through a deprecated constructor.
     */
    @SuppressWarnings("deprecation")
    private static EventLoopGroup newEpollLoops(int threads, DefaultThreadFactory factory) {
        return new EpollEventLoopGroup(threads, factory, EVENTS_PER_WAKEUP);
    }

    /** Creates the mix group of one room, on the fullest loop not yet full (see {@link LoopLoads}). */
    public MixGroup createGroup(String name) {
        EventLoop loop = loopList[loads.roomOpened()];
        metrics.groups.incrementAndGet();
        return new MixGroup(name, loop, this);
    }

    /**
     * Starts recording a room's full mix into a WAV file at the room rate. Writing happens on the
     * recording thread; the returned recorder's {@code result()} completes when the file is final.
     */
    public MixRecorder record(MixGroup group, Path file) {
        MixRecorder recorder = new MixRecorder(file, settings.sampleRate(), settings.frameSamples(), 150);
        recordings.start(recorder);
        group.record(recorder);
        return recorder;
    }

    /**
     * Records one participant's own voice, decoded, at the room rate, before mixing: a track
     * aligned with the room's recording, whose first {@code leadingSilenceFrames} frames are the
     * silence before the participant joined. Ends when the leg does, or at {@code MixRecorder.stop}.
     */
    public MixRecorder recordTrack(MediaLeg leg, Path file, long leadingSilenceFrames) {
        MixRecorder track = new MixRecorder(file, settings.sampleRate(), settings.frameSamples(), 150, leadingSilenceFrames);
        recordings.start(track);
        leg.recordTrack(track);
        return track;
    }

    /**
     * The loop that will send on a new leg's RTP socket (the room's tick reads it): the room's own
     * until that loop is about full; then, on epoll, the least busy loop, so one large room's
     * system calls do not all fall on one thread. The room hands that loop its packets in one
     * batch per tick. On NIO every socket stays on its room's loop.
     */
    EventLoop socketLoopFor(MixGroup group) {
        return loopList[loads.socketOpened(loopIndex(group.loop()), epoll())];
    }

    /** A leg joined ({@code +1}) or left ({@code -1}) a room that mixes on {@code loop}; also the legs meter. */
    void legMixed(EventLoop loop, int delta) {
        loads.legMixed(loopIndex(loop), delta);
        metrics.legs.addAndGet(delta);
    }

    /** Tests: spread sockets from the first one (0) to exercise the hand-over with a few legs. */
    void spreadAboveLoad(int load) {
        loads.spreadAboveLoad(load);
    }

    void socketClosed(EventLoop loop) {
        loads.socketClosed(loopIndex(loop));
    }

    /** The position of {@code loop} among the engine's loops. */
    int loopIndex(EventLoop loop) {
        for (int i = 0; i < loopList.length; i++) {
            if (loopList[i] == loop) {
                return i;
            }
        }
        throw new IllegalArgumentException("not one of the engine's loops: " + loop);
    }

    /** The I/O buffers for a new room's tick on {@code loop}. */
    TickIo tickIo(EventLoop loop) {
        return new TickIo(loopIndex(loop), loopList, metrics, rings[loopIndex(loop)]);
    }

    EventLoop loop(int index) {
        return loopList[index];
    }

    /** The clock that ticks the rooms living on {@code loop}. */
    LoopTicker ticker(EventLoop loop) {
        return tickers[loopIndex(loop)];
    }

    LegSockets sockets() {
        return sockets;
    }

    void groupClosed(MixGroup group) {
        loads.roomClosed(loopIndex(group.loop()));
        metrics.groups.decrementAndGet();
    }

    public MediaSettings settings() {
        return settings;
    }

    public MediaMetrics metrics() {
        return metrics;
    }

    RtpPortPool ports() {
        return ports;
    }

    /** Free RTP ports, for health checks and tests (a port leak shows here). */
    public int freePorts() {
        return ports.available();
    }

    /**
     * Epoll (Linux): RTP sockets are sent on directly and connected, the room's own are read by its
     * tick, and a large room's are spread over the loops.
     */
    boolean epoll() {
        return channelType == EpollDatagramChannel.class;
    }

    /**
     * A new unbound RTP or RTCP channel. IPv4 when both the bind address and the caller are: a
     * dual-stack socket sends to an IPv4 peer through the IPv6 layer, which hands the kernel the
     * address with every packet, so even a connected socket pays a route lookup per send.
     */
    DatagramChannel newDatagramChannel(InetSocketAddress remote) {
        boolean epoll = epoll();
        if (ipv4Sockets(remote)) {
            return epoll ? new EpollDatagramChannel(InternetProtocolFamily.IPv4) : new NioDatagramChannel(InternetProtocolFamily.IPv4);
        }
        return epoll ? new EpollDatagramChannel() : new NioDatagramChannel();
    }

    /** Whether a leg's sockets talking to {@code remote} can be IPv4 ones (see {@link #newDatagramChannel}). */
    boolean ipv4Sockets(InetSocketAddress remote) {
        return bindsIpv4 && remote.getAddress() instanceof Inet4Address;
    }

    LongSupplier clock() {
        return clock;
    }

    public boolean running() {
        return !loops.isShuttingDown();
    }

    @Override
    public void close() {
        recordings.close();
        for (int i = 0; i < rings.length; i++) {
            if (rings[i] != null) {
                loopList[i].execute(rings[i]::close); // after what the loop still has to send
            }
        }
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
