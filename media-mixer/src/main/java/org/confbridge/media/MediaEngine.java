package org.confbridge.media;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.confbridge.media.audio.MixRecorder;
import org.confbridge.media.audio.RecordingWriter;
import org.confbridge.media.dtls.DtlsCertificate;
import org.confbridge.media.ice.IceLite;
import org.confbridge.media.loop.RoomLoops;
import org.confbridge.media.loop.TickTimer;
import org.confbridge.media.metrics.MediaMetrics;
import org.confbridge.media.net.RingKernel;
import org.confbridge.media.room.MediaLeg;
import org.confbridge.media.room.MixGroup;
import org.confbridge.media.webrtc.BrowserLeg;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media side of the bridge, its front door: rooms ({@link MixGroup}s) made on the room loops
 * ({@link RoomLoops}), their recordings, and the media meters.
 */
public final class MediaEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);
    private static final int HANDSHAKE_THREADS = 4;

    private final MediaSettings settings;
    private final MediaMetrics metrics = new MediaMetrics();
    private final RoomLoops loops;
    private final RecordingWriter recordings = new RecordingWriter();
    /** Browser legs' DTLS handshakes (blocking ones, BouncyCastle's): a few threads, a bounded queue. */
    private final ThreadPoolExecutor handshakes = new ThreadPoolExecutor(HANDSHAKE_THREADS, HANDSHAKE_THREADS, 30,
            TimeUnit.SECONDS, new LinkedBlockingQueue<>(256), new DefaultThreadFactory("dtls-handshake", true));
    private DtlsCertificate certificate;

    public MediaEngine(MediaSettings settings, MeterRegistry registry) {
        this(settings, registry, System::nanoTime, TickTimer.LOOP);
    }

    /**
     * An engine whose rooms read time from {@code clock} and have their ticks scheduled by
     * {@code timer} ({@link TickTimer#CALLER}: whoever made the engine calls the ticks).
     */
    public MediaEngine(MediaSettings settings, MeterRegistry registry, LongSupplier clock, TickTimer timer) {
        this(settings, registry, clock, timer, RingKernel.LINUX);
    }

    /** As above, the loops' io_uring talking to {@code kernel} (tests inject faults there). */
    public MediaEngine(MediaSettings settings, MeterRegistry registry, LongSupplier clock, TickTimer timer,
                       RingKernel kernel) {
        this.settings = settings;
        handshakes.allowCoreThreadTimeOut(true);
        this.loops = new RoomLoops(settings.bindAddress(), settings.rtpPortLow(), settings.rtpPortHigh(),
                settings.eventLoops(), settings.ioUring(), clock, timer, metrics, kernel);
        metrics.watchRecordings(recordings);
        metrics.bindTo(registry);
        log.info("media: {} room loops ({}), RTP ports {}-{} ({} legs), mixing at {} Hz", loops.count(),
                loops.epoll() ? (loops.batchesIo() ? "epoll, reads and sends through io_uring" : "epoll") : "nio",
                settings.rtpPortLow(), settings.rtpPortHigh(), loops.freePorts(), settings.sampleRate());
        if (settings.realtimePriority() > 0) {
            metrics.realtimeLoops(loops.scheduleRealtime(settings.realtimePriority()));
        }
    }

    /** Creates the mix group of one room, on the fullest loop not yet full. */
    public MixGroup createGroup(String name) {
        return new MixGroup(name, loops.roomOpened(), loops, settings.mix(), metrics);
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
     * What a browser's leg needs besides its spec: its ICE-lite credentials, the fingerprint of the
     * browser's certificate, and ours (see {@link #dtlsCertificate}).
     */
    public BrowserLeg browserLeg(IceLite ice, String remoteFingerprint) {
        return new BrowserLeg(ice, remoteFingerprint, dtlsCertificate(), handshakes);
    }

    /** The bridge's DTLS certificate for browser legs, made on first use and kept until the bridge stops. */
    public synchronized DtlsCertificate dtlsCertificate() {
        if (certificate == null) {
            certificate = DtlsCertificate.generate();
            log.info("media: DTLS certificate for browser legs made ({})", certificate.fingerprint());
        }
        return certificate;
    }

    /** Whether the loops batch their packets' system calls through io_uring ({@code mixer.ioUring}). */
    public boolean batchesIo() {
        return loops.batchesIo();
    }

    /** Room loops whose threads run at real-time priority ({@code mixer.realtimePriority}). */
    public int realtimeLoops() {
        return metrics.realtimeLoops();
    }

    /** The loops, their clocks and sockets (tests and benchmarks look inside). */
    public RoomLoops loops() {
        return loops;
    }

    public MediaSettings settings() {
        return settings;
    }

    public MediaMetrics metrics() {
        return metrics;
    }

    /** Free RTP ports, for health checks and tests (a port leak shows here). */
    public int freePorts() {
        return loops.freePorts();
    }

    public boolean running() {
        return loops.running();
    }

    @Override
    public void close() {
        handshakes.shutdownNow();
        recordings.close();
        loops.close();
    }
}
