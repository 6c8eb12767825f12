package org.confbridge.media.loop;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.confbridge.media.metrics.MediaMetrics;
import org.confbridge.media.net.IoUring;
import org.confbridge.media.net.RingKernel;
import org.confbridge.media.net.LoopRing;
import org.confbridge.media.net.RtpPortPool;
import org.confbridge.media.net.TickIo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loops that run rooms, each with its clock ({@link LoopTicker}) and, where the kernel
 * allows, its io_uring ({@link LoopRing}); where a new room and a new leg's socket go
 * ({@link LoopLoads}); and the RTP port range the sockets are bound in ({@link LegSockets}).
 */
public final class RoomLoops implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoomLoops.class);
    private static final int EVENTS_PER_WAKEUP = 64;

    private final EventLoopGroup group;
    private final Class<? extends DatagramChannel> channelType;
    /** The loops in a fixed order, so a room can keep per-loop state in arrays. */
    private final EventLoop[] loopList;
    private final LoopLoads loads;
    private final LongSupplier clock;
    private final boolean bindsIpv4;
    private final MediaMetrics metrics;
    private final RtpPortPool ports;
    /** One clock per loop (same order as {@link #loopList}), ticking every room on it. */
    private final LoopTicker[] tickers;
    /** Per loop, its io_uring, or null (see {@link #openRings}). */
    private final LoopRing[] rings;
    private final LegSockets sockets;

    /**
     * {@code threads} loops (0: one per core) whose sockets bind to {@code bindAddress} in the
     * ports {@code portLow}-{@code portHigh}; rooms read time from {@code clock} and have their
     * ticks scheduled by {@code timer}; the loops' rings talk to {@code kernel} where {@code ioUring}.
     */
    public RoomLoops(String bindAddress, int portLow, int portHigh, int threads, boolean ioUring, LongSupplier clock,
                     TickTimer timer, MediaMetrics metrics, RingKernel kernel) {
        this.clock = clock;
        this.metrics = metrics;
        this.ports = new RtpPortPool(portLow, portHigh);
        this.bindsIpv4 = new InetSocketAddress(bindAddress, 0).getAddress() instanceof Inet4Address;
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        DefaultThreadFactory factory = new DefaultThreadFactory("room-loop", true, Thread.MAX_PRIORITY);
        if (Epoll.isAvailable()) {
            group = newEpollLoops(n, factory);
            channelType = EpollDatagramChannel.class;
        } else {
            group = new NioEventLoopGroup(n, factory);
            channelType = NioDatagramChannel.class;
        }
        List<EventLoop> list = new ArrayList<>();
        group.forEach(e -> list.add((EventLoop) e));
        loopList = list.toArray(new EventLoop[0]);
        rings = ioUring && epoll() ? openRings(kernel) : new LoopRing[loopList.length];
        tickers = new LoopTicker[loopList.length];
        for (int i = 0; i < loopList.length; i++) {
            tickers[i] = new LoopTicker(loopList[i], timer, clock, metrics, rings[i]);
        }
        loads = new LoopLoads(loopList.length, i -> tickers[i].busyShare());
        sockets = new LegSockets(this, bindAddress, metrics);
        metrics.watchPorts(ports);
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

    /**
     * A {@link LoopRing} for each loop, made on the loop's thread (its owner). Where the kernel
     * refuses io_uring (many containers do), none: each packet is its own {@code send}, and one
     * line says why.
     */
    private LoopRing[] openRings(RingKernel kernel) {
        LoopRing[] made = new LoopRing[loopList.length];
        for (int i = 0; i < loopList.length; i++) {
            try {
                made[i] = loopList[i].submit(() -> LoopRing.open(metrics, kernel)).get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                for (LoopRing r : made) {
                    if (r != null) {
                        r.close(); // nothing queued yet
                    }
                }
                Throwable why = e.getCause() != null ? e.getCause() : e;
                if (why instanceof IoUring.Refused) {
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

    /**
     * Puts every loop's thread at {@code SCHED_FIFO} (see {@link RealtimePriority}). Where the
     * system refuses, the loops run at normal priority and one warning says why. Returns how many
     * loops run real-time.
     */
    public int scheduleRealtime(int priority) {
        int applied = 0;
        String refused = null;
        for (EventLoop loop : loopList) {
            try {
                loop.submit(() -> {
                    RealtimePriority.applyToCurrentThread(priority);
                    return null;
                }).get(5, TimeUnit.SECONDS);
                applied++;
            } catch (ExecutionException e) {
                refused = e.getCause().getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (TimeoutException e) {
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

    /** How many loops there are. */
    public int count() {
        return loopList.length;
    }

    /** The loop at {@code index} (0 to {@link #count} - 1). */
    public EventLoop loop(int index) {
        return loopList[index];
    }

    /** Whether the loops batch their packets' system calls through io_uring ({@code mixer.ioUring}). */
    public boolean batchesIo() {
        return rings.length > 0 && rings[0] != null;
    }

    /** The loop for a new room: the fullest one not yet full (see {@link LoopLoads}). */
    public EventLoop roomOpened() {
        return loopList[loads.roomOpened()];
    }

    public void roomClosed(EventLoop loop) {
        loads.roomClosed(loopIndex(loop));
    }

    /**
     * The loop that will send on a new leg's RTP socket for a room on {@code home} (whose tick
     * reads it): the room's own until that loop is about full; then, on epoll, the least busy loop,
     * so one large room's system calls do not all fall on one thread. The room hands that loop its
     * packets in one batch per tick. On NIO every socket stays on its room's loop.
     */
    EventLoop socketLoopFor(EventLoop home) {
        return loopList[loads.socketOpened(loopIndex(home), epoll())];
    }

    void socketClosed(EventLoop loop) {
        loads.socketClosed(loopIndex(loop));
    }

    /** A leg joined ({@code +1}) or left ({@code -1}) a room that mixes on {@code loop}; also the legs meter. */
    public void legMixed(EventLoop loop, int delta) {
        loads.legMixed(loopIndex(loop), delta);
        metrics.legsChanged(delta);
    }

    /** Tests: spread sockets from the first one (0) to exercise the hand-over with a few legs. */
    public void spreadAboveLoad(int load) {
        loads.spreadAboveLoad(load);
    }

    /** The position of {@code loop} among the loops. */
    int loopIndex(EventLoop loop) {
        for (int i = 0; i < loopList.length; i++) {
            if (loopList[i] == loop) {
                return i;
            }
        }
        throw new IllegalArgumentException("not one of the room loops: " + loop);
    }

    /** The I/O buffers for a new room's tick on {@code loop}. */
    public TickIo tickIo(EventLoop loop) {
        return new TickIo(loopIndex(loop), loopList, metrics, rings[loopIndex(loop)]);
    }

    /** The clock that ticks the rooms living on {@code loop}. */
    public LoopTicker ticker(EventLoop loop) {
        return tickers[loopIndex(loop)];
    }

    /** The loop's {@link LoopRing}, or null where sends are one system call each. */
    public LoopRing ring(EventLoop loop) {
        return rings[loopIndex(loop)];
    }

    /** Opens new legs' sockets. */
    public LegSockets sockets() {
        return sockets;
    }

    RtpPortPool ports() {
        return ports;
    }

    /** Free RTP ports, for health checks and tests (a port leak shows here). */
    public int freePorts() {
        return ports.available();
    }

    /** The monotonic clock (nanoseconds) the rooms tick on. */
    public LongSupplier clock() {
        return clock;
    }

    /**
     * Epoll (Linux): RTP sockets are sent on directly and connected, the room's own are read by its
     * tick, and a large room's are spread over the loops.
     */
    public boolean epoll() {
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

    public boolean running() {
        return !group.isShuttingDown();
    }

    @Override
    public void close() {
        for (int i = 0; i < rings.length; i++) {
            if (rings[i] != null) {
                loopList[i].execute(rings[i]::close); // after what the loop still has to send
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
