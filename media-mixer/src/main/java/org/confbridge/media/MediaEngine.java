package org.confbridge.media;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.confbridge.media.audio.MixRecorder;
import org.confbridge.media.audio.RecordingWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media side of the bridge: the event loops that run rooms, the RTP port range and the
 * media meters. Rooms ({@link MixGroup}s) are placed on the least-loaded loop.
 */
public final class MediaEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);

    private final MediaSettings settings;
    private final MediaMetrics metrics = new MediaMetrics();
    private final RtpPortPool ports;
    private final EventLoopGroup loops;
    private final Class<? extends DatagramChannel> channelType;
    private final Map<EventLoop, Integer> groupsPerLoop = new IdentityHashMap<>();
    private final LongSupplier clock;
    private final RecordingWriter recordings = new RecordingWriter();

    public MediaEngine(MediaSettings settings, MeterRegistry registry) {
        this(settings, registry, System::nanoTime);
    }

    public MediaEngine(MediaSettings settings, MeterRegistry registry, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.ports = new RtpPortPool(settings.rtpPortLow(), settings.rtpPortHigh());
        int threads = settings.eventLoops() > 0 ? settings.eventLoops() : Runtime.getRuntime().availableProcessors();
        DefaultThreadFactory factory = new DefaultThreadFactory("room-loop", true, Thread.MAX_PRIORITY);
        if (Epoll.isAvailable()) {
            loops = new EpollEventLoopGroup(threads, factory);
            channelType = EpollDatagramChannel.class;
        } else {
            loops = new NioEventLoopGroup(threads, factory);
            channelType = NioDatagramChannel.class;
        }
        loops.forEach(e -> groupsPerLoop.put((EventLoop) e, 0));
        metrics.watchPorts(ports);
        metrics.watchRecordings(recordings);
        metrics.bindTo(registry);
        log.info("media: {} room loops ({}), RTP ports {}-{} ({} legs), mixing at {} Hz", threads,
                Epoll.isAvailable() ? "epoll" : "nio", settings.rtpPortLow(), settings.rtpPortHigh(), ports.capacity(),
                settings.sampleRate());
    }

    /** Creates the mix group of one room on the loop that carries the fewest rooms. */
    public synchronized MixGroup createGroup(String name) {
        EventLoop best = null;
        int bestCount = Integer.MAX_VALUE;
        for (Map.Entry<EventLoop, Integer> e : groupsPerLoop.entrySet()) {
            if (e.getValue() < bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        groupsPerLoop.merge(best, 1, Integer::sum);
        metrics.groups.incrementAndGet();
        return new MixGroup(name, best, this);
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

    synchronized void groupClosed(MixGroup group) {
        groupsPerLoop.merge(group.loop(), -1, Integer::sum);
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

    Class<? extends DatagramChannel> datagramChannelType() {
        return channelType;
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
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
