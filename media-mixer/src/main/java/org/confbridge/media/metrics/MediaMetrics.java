package org.confbridge.media.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.confbridge.media.leg.RtcpLink;
import org.confbridge.media.net.RtpPortPool;
import org.confbridge.media.net.SocketCounters;

/**
 * The media subsystem's meters. Names are declared here, once. Hot-path counters are
 * {@link LongAdder}s exposed as function counters, so counting a packet is one add on the
 * calling loop's cell with no allocation.
 */
public final class MediaMetrics implements MeterBinder, SocketCounters, RtcpLink.Counters {
    public static final String PACKETS_IN = "bridge.rtp.packets.in";
    public static final String PACKETS_OUT = "bridge.rtp.packets.out";
    public static final String PACKETS_DROPPED = "bridge.rtp.packets.dropped";
    public static final String DTMF_DIGITS = "bridge.dtmf.digits";
    public static final String SOCKET_ERRORS = "bridge.rtp.socket.errors";
    public static final String RING_RETRIES = "bridge.rtp.ring.retries";
    public static final String RING_HANDED_BACK = "bridge.rtp.ring.handed.back";
    public static final String RING_STOPPED = "bridge.rtp.ring.stopped";
    public static final String PACKETS_UNSENT = "bridge.rtp.packets.unsent";
    public static final String TICK_LATENESS = "bridge.mixer.tick.lateness";
    public static final String WAKE_UP_DELAY = "bridge.mixer.wakeup.delay";
    public static final String TICK_DURATION = "bridge.mixer.tick.duration";
    public static final String TICKS_SKIPPED = "bridge.mixer.ticks.skipped";
    public static final String LEG_FAILURES = "bridge.mixer.leg.failures";
    public static final String LEGS_ACTIVE = "bridge.media.legs.active";
    public static final String GROUPS_ACTIVE = "bridge.media.groups.active";
    public static final String PORTS_FREE = "bridge.rtp.ports.free";
    public static final String LOOPS_REALTIME = "bridge.mixer.loops.realtime";
    public static final String RECORDING_BYTES = "bridge.recording.bytes";
    public static final String RECORDING_DROPPED = "bridge.recording.frames.dropped";

    private final LongAdder packetsIn = new LongAdder();
    private final LongAdder packetsOut = new LongAdder();
    private final LongAdder droppedForeignSource = new LongAdder();
    private final LongAdder droppedMalformed = new LongAdder();
    private final LongAdder droppedLearning = new LongAdder();
    private final LongAdder droppedUnknownPt = new LongAdder();
    private final LongAdder droppedOverrun = new LongAdder();
    private final LongAdder droppedUnprotectable = new LongAdder();
    private final LongAdder droppedByBrowserTransport = new LongAdder();
    private final LongAdder dtmfDigits = new LongAdder();
    private final LongAdder inbandDigits = new LongAdder();
    private final LongAdder socketErrors = new LongAdder();
    private final LongAdder ringRetries = new LongAdder();
    private final LongAdder ringHandedBack = new LongAdder();
    private final LongAdder ringStopped = new LongAdder();
    private final LongAdder unsent = new LongAdder();
    private final LongAdder legFailures = new LongAdder();
    private final AtomicInteger legs = new AtomicInteger();
    private final AtomicInteger groups = new AtomicInteger();
    private final AtomicInteger realtimeLoops = new AtomicInteger();
    private Timer tickLateness;
    private Timer wakeUpDelay;
    private Timer tickDuration;
    private Counter ticksSkipped;
    private RtpPortPool ports;
    private org.confbridge.media.audio.RecordingWriter recordings;

    /** A leg joined ({@code +1}) or left ({@code -1}) a room's mix. */
    public void legsChanged(int delta) {
        legs.addAndGet(delta);
    }

    /** A room opened ({@code +1}) or closed ({@code -1}). */
    public void groupsChanged(int delta) {
        groups.addAndGet(delta);
    }

    public void realtimeLoops(int count) {
        realtimeLoops.set(count);
    }

    public int realtimeLoops() {
        return realtimeLoops.get();
    }

    public void watchPorts(RtpPortPool pool) {
        this.ports = pool;
    }

    public void watchRecordings(org.confbridge.media.audio.RecordingWriter writer) {
        this.recordings = writer;
    }

    /** One reason of {@link #PACKETS_DROPPED}. */
    private static void dropped(MeterRegistry registry, LongAdder count, String reason) {
        FunctionCounter.builder(PACKETS_DROPPED, count, LongAdder::sum).tag("reason", reason)
                .description("RTP packets dropped on receipt").register(registry);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder(PACKETS_IN, packetsIn, LongAdder::sum).description("RTP packets accepted").register(registry);
        FunctionCounter.builder(PACKETS_OUT, packetsOut, LongAdder::sum).description("RTP packets sent").register(registry);
        dropped(registry, droppedForeignSource, "foreign-source");
        dropped(registry, droppedMalformed, "malformed");
        dropped(registry, droppedLearning, "strict-learning");
        dropped(registry, droppedUnknownPt, "unknown-payload-type");
        dropped(registry, droppedByBrowserTransport, "ice-dtls-refused");
        dropped(registry, droppedUnprotectable, "srtp-auth");
        dropped(registry, droppedOverrun, "overrun");
        FunctionCounter.builder(DTMF_DIGITS, dtmfDigits, LongAdder::sum).tag("method", "rfc4733")
                .description("key presses received").register(registry);
        FunctionCounter.builder(DTMF_DIGITS, inbandDigits, LongAdder::sum).tag("method", "inband")
                .description("key presses received").register(registry);
        FunctionCounter.builder(SOCKET_ERRORS, socketErrors, LongAdder::sum).register(registry);
        FunctionCounter.builder(RING_RETRIES, ringRetries, LongAdder::sum)
                .description("io_uring submissions retried after a transient refusal or a short submit").register(registry);
        FunctionCounter.builder(RING_HANDED_BACK, ringHandedBack, LongAdder::sum)
                .description("operations a stopped io_uring left undone, done with a system call each").register(registry);
        FunctionCounter.builder(RING_STOPPED, ringStopped, LongAdder::sum)
                .description("room loops whose io_uring stopped; they make a system call per packet").register(registry);
        FunctionCounter.builder(PACKETS_UNSENT, unsent, LongAdder::sum)
                .description("RTP packets not sent: the socket's send buffer was full, or the loop sending them was two ticks behind")
                .register(registry);
        FunctionCounter.builder(LEG_FAILURES, legFailures, LongAdder::sum)
                .description("a leg's part of a tick that threw (a bug, or input nothing else caught); that leg missed the tick, the room did not")
                .register(registry);
        Gauge.builder(LEGS_ACTIVE, legs, AtomicInteger::get).description("media legs open").register(registry);
        Gauge.builder(GROUPS_ACTIVE, groups, AtomicInteger::get).description("mix groups (rooms) open").register(registry);
        Gauge.builder(LOOPS_REALTIME, realtimeLoops, AtomicInteger::get)
                .description("room loops running at SCHED_FIFO (mixer.realtimePriority)").register(registry);
        if (ports != null) {
            Gauge.builder(PORTS_FREE, ports, RtpPortPool::available).description("RTP ports free").register(registry);
        }
        if (recordings != null) {
            FunctionCounter.builder(RECORDING_BYTES, recordings, org.confbridge.media.audio.RecordingWriter::bytesWritten)
                    .description("audio bytes written to recordings").register(registry);
            FunctionCounter.builder(RECORDING_DROPPED, recordings,
                    org.confbridge.media.audio.RecordingWriter::droppedFrames)
                    .description("mix frames lost because the disk fell behind").register(registry);
        }
        // Histogram buckets only: Prometheus computes percentiles from them, and client-side
        // percentiles would cost every tick for a series the Prometheus registry does not export.
        tickLateness = Timer.builder(TICK_LATENESS).description("how late the room loop woke for a mixing tick after its deadline")
                .publishPercentileHistogram()
                // An exact 5 ms bucket: the soak compares the wake-ups later than that with the platform's.
                .serviceLevelObjectives(Duration.ofMillis(5))
                .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofMillis(200))
                .register(registry);
        wakeUpDelay = Timer.builder(WAKE_UP_DELAY)
                .description("how long after it could run a loop's wake-up ran: the platform's delay of the loop, "
                        + "without the lateness catch-up ticks inherit from a late wake-up before them")
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(5))
                .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofMillis(200))
                .register(registry);
        tickDuration = Timer.builder(TICK_DURATION).description("time one mixing tick of one room took")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000)).maximumExpectedValue(Duration.ofMillis(100))
                .register(registry);
        ticksSkipped = Counter.builder(TICKS_SKIPPED).description("ticks skipped because a loop fell far behind")
                .register(registry);
    }

    /** Packets accepted and sent, added once per tick or batch: an atomic add per packet would cost more. */
    public void packets(int in, int out) {
        if (in != 0) {
            packetsIn.add(in);
        }
        if (out != 0) {
            packetsOut.add(out);
        }
    }

    @Override
    public void droppedForeignSource() {
        droppedForeignSource.increment();
    }

    public void droppedMalformed() {
        droppedMalformed.increment();
    }

    /** From a source that strict RTP is still learning (not yet in sequence long enough). */
    public void droppedLearning() {
        droppedLearning.increment();
    }

    public void droppedUnknownPayloadType() {
        droppedUnknownPt.increment();
    }

    /** A browser leg's STUN or DTLS datagram refused: no password, an unchecked address, a full queue. */
    public void droppedByBrowserTransport() {
        droppedByBrowserTransport.increment();
    }

    /** An SRTP packet failed authentication (or was a replay): dropped, never decoded. */
    @Override
    public void droppedUnprotectable() {
        droppedUnprotectable.increment();
    }

    @Override
    public void sent(int packets) {
        packets(0, packets);
    }

    /** A leg's hand-over ring to its room was full: the room's loop is far behind. */
    @Override
    public void droppedOverrun() {
        droppedOverrun.increment();
    }

    public void dtmfDigit() {
        dtmfDigits.increment();
    }

    public void inbandDigit() {
        inbandDigits.increment();
    }

    @Override
    public void ringRetried(long times) {
        ringRetries.add(times);
    }

    @Override
    public void ringHandedBack() {
        ringHandedBack.increment();
    }

    @Override
    public void ringStopped() {
        ringStopped.increment();
    }

    @Override
    public void socketError() {
        socketErrors.increment();
    }

    @Override
    public void sendDropped() {
        unsent.increment();
    }

    public void legFailed() {
        legFailures.increment();
    }

    /** A loop woke {@code latenessNanos} after its deadline to tick its rooms (once per wake-up, not per room). */
    public void wokeLate(long latenessNanos, long delayNanos) {
        tickLateness.record(latenessNanos, TimeUnit.NANOSECONDS);
        wakeUpDelay.record(delayNanos, TimeUnit.NANOSECONDS);
    }

    /** One room's tick took {@code durationNanos}. */
    public void tickTook(long durationNanos) {
        tickDuration.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    public void ticksSkipped(int n) {
        ticksSkipped.increment(n);
    }
}
