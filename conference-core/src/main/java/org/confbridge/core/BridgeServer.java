package org.confbridge.core;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.confbridge.config.BridgeConfiguration;
import org.confbridge.config.BridgeSettings;
import org.confbridge.core.http.AdminHttpServer;
import org.confbridge.core.http.RoomApi;
import org.confbridge.core.prompt.PromptLibrary;
import org.confbridge.core.session.CrashClosedSessions;
import org.confbridge.core.session.CrashRepair;
import org.confbridge.core.session.Retention;
import org.confbridge.core.session.SessionWriter;
import org.confbridge.core.room.DialInDesk;
import org.confbridge.core.room.RoomDirectory;
import org.confbridge.core.security.SecurityMetrics;
import org.confbridge.core.security.SourceGuard;
import org.confbridge.media.codec.CodecRegistry;
import org.confbridge.media.MediaEngine;
import org.confbridge.media.MediaSettings;
import org.confbridge.media.codec.OpusLibrary;
import org.confbridge.media.srtp.SrtpProtection;
import org.confbridge.media.srtp.SrtpSuite;
import org.confbridge.sip.SipGateway;
import org.confbridge.sip.SipSettings;
import org.confbridge.sip.sdp.SrtpMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole bridge: media engine, SIP gateway, rooms and HTTP, started and stopped in order. */
public final class BridgeServer implements AutoCloseable {
    private org.confbridge.core.events.Webhooks webhooks;
    private static final Logger log = LoggerFactory.getLogger(BridgeServer.class);

    private final AtomicReference<BridgeConfiguration> config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private MediaEngine media;
    private SipGateway sip;
    private AdminHttpServer http;
    private volatile org.confbridge.core.cluster.ClusterNode cluster;
    private org.confbridge.core.join.JoinHttpServer join;
    /** What join links begin with, once the join listener runs; null where browsers cannot join. */
    private volatile String joinUrl;
    private JvmGcMetrics gcMetrics;
    private SessionWriter sessions;
    private java.util.concurrent.ScheduledExecutorService retentionThread;

    private final java.nio.file.Path configDir;
    private org.confbridge.config.ConfigWatcher watcher;
    private RoomDirectory rooms;

    /** @param configDir the directory to watch for changes, or null for the embedded configuration */
    public BridgeServer(BridgeConfiguration config, java.nio.file.Path configDir) {
        this.config = new AtomicReference<>(config);
        this.configDir = configDir;
    }

    /**
     * The configured Opus library: {@code auto} takes the system's libopus where it loads (cheaper,
     * nothing allocated per frame), else Concentus; an explicit choice that cannot run here
     * (libopus not installed) falls back to Concentus with a warning. Opus calls work either way.
     */
    private static OpusLibrary opusLibrary(String configured) {
        if (configured.equals("auto")) {
            String missing = OpusLibrary.LIBOPUS.unavailableReason();
            OpusLibrary chosen = missing == null ? OpusLibrary.LIBOPUS : OpusLibrary.CONCENTUS;
            log.info("media: Opus through {} (codecs.opusLibrary = auto{})", chosen.version(),
                    missing == null ? "" : "; libopus: " + missing);
            return chosen;
        }
        OpusLibrary opus = OpusLibrary.named(configured);
        String unavailable = opus.unavailableReason();
        if (unavailable != null) {
            log.warn("codecs.opusLibrary = {}: {}; Opus runs on {} instead", configured, unavailable,
                    OpusLibrary.CONCENTUS.version());
            return OpusLibrary.CONCENTUS;
        }
        log.info("media: Opus through {}", opus.version());
        return opus;
    }

    public void start() throws Exception {
        BridgeSettings s = config.get().bridge();
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);

        media = new MediaEngine(new MediaSettings(s.sipBind(), s.rtpPorts().low(), s.rtpPorts().high(),
                s.mixerSampleRate(), s.mixerMaxTalkers(), s.jitterMinMs(), s.jitterMaxMs(), 0, s.rtpTimeoutSeconds(), s.inbandDtmf(),
                s.mixerRealtimePriority(), opusLibrary(s.opusLibrary()), s.mixerIoUring()), registry);
        CrashRepair.repairRecordings(s.recordingsDir());
        // After the WAV headers: their lengths are listed.
        CrashClosedSessions.close(s.recordingsDir(), room -> config.get().room(room)
                .map(r -> new String[] {r.name(), r.language()}).orElse(null));
        PromptLibrary prompts = PromptLibrary.load(s.promptsDir(), s.mixerSampleRate());
        sessions = new SessionWriter(s.recordingsDir());
        webhooks = new org.confbridge.core.events.Webhooks(() -> config.get().bridge().webhookUrl(),
                () -> config.get().bridge().webhookSecret(), registry);
        sessions.publishTo(event -> {
            webhooks.publish(event);
            org.confbridge.core.cluster.ClusterNode shared = cluster;
            if (shared != null) {
                shared.sessions().event(event); // findable from every node
            }
        });
        startRetention(s.recordingsDir());
        rooms = new RoomDirectory(media, config::get, prompts, sessions, Clock.systemUTC());
        new ConferenceMetrics(rooms).bindTo(registry);
        SecurityMetrics securityMetrics = new SecurityMetrics();
        SourceGuard guard = new SourceGuard(() -> config.get().bridge().security(), System::currentTimeMillis,
                securityMetrics);
        securityMetrics.blockedSources(guard::blockedCount);
        securityMetrics.bindTo(registry);
        rooms.onWrongEntry(guard::wrongEntry);
        rooms.entryChecks(new org.confbridge.core.room.EntryChecks() {
            @Override
            public boolean reserve(String callId) {
                return guard.mayCheckEntry(callId);
            }

            @Override
            public void release(String callId) {
                guard.entryChecked(callId);
            }
        });
        NodeDrain drain = new NodeDrain(available -> sip.advertiseAvailable(available));
        ConferenceService conference = new ConferenceService(rooms,
                new DialInDesk(rooms, media, config::get, Clock.systemUTC()), () -> config.get().bridge().dialinUser(),
                () -> config.get().bridge().rtpStrict(), guard, drain);
        guard.onBlocked(conference::sourceBlocked);
        List<String> codecs = s.codecs().stream().filter(CodecRegistry::supports).toList();
        SrtpMode srtp = SrtpMode.parse(s.srtp());
        if (srtp != SrtpMode.OFF) {
            SrtpProtection.warmUp(); // here, not on the room loop of the first encrypted call
            log.info("SRTP: {} (AES from {})", srtp, SrtpProtection.aes());
        }
        Map<String, Integer> srtpSuites = new LinkedHashMap<>();
        for (SrtpSuite suite : SrtpSuite.values()) {
            srtpSuites.put(suite.name(), suite.keySaltLength());
        }
        sip = new SipGateway(new SipSettings(s.sipBind(), s.sipPort(), s.sipTransports(), s.sipPublicAddress(), codecs,
                s.sipServerHeader(), srtp, srtpSuites,
                s.tls().port(), s.tls().certificate(), s.tls().privateKey(), s.outboundProxy(), s.dialoutFrom()), conference, registry);
        rooms.onChat((to, room, writer, text) -> {
            if (to instanceof org.confbridge.sip.SipCall call) {
                sip.sendChat(call, room, writer, text); // a browser's page has no SIP to carry it
            }
        });
        sip.start();
        org.confbridge.config.RoomFolders folders = configDir == null ? null
                : org.confbridge.config.RoomFolders.of(configDir, s);
        org.confbridge.core.room.OnDemandRooms onDemand = configDir == null ? null
                : new org.confbridge.core.room.OnDemandRooms(folders, config::get, () -> {
                    if (watcher != null) {
                        watcher.checkNow();
                    }
                }, n -> rooms.open(n).isPresent(),
                        n -> rooms.open(n).ifPresent(room -> room.execute(() -> room.endForEveryone("admin-api"))),
                        Clock.systemUTC());
        if (onDemand != null) {
            if (onDemand.adoptEarlierRooms() > 0) {
                config.set(org.confbridge.config.ConfigLoader.load(configDir)); // the watcher starts from this
            }
            retentionThread.scheduleWithFixedDelay(onDemand::sweepExpired, 60, 60, java.util.concurrent.TimeUnit.SECONDS);
        }
        org.confbridge.core.http.AdminToken token = new org.confbridge.core.http.AdminToken(
                () -> config.get().bridge().adminToken(), folders == null ? null : folders.stateDir());
        token.get(); // made, kept and logged now: the admin looks for it at start
        RoomApi roomApi = new RoomApi(rooms);
        http = new AdminHttpServer(roomApi, new org.confbridge.core.http.SessionFiles(s.recordingsDir()), guard,
                drain, registry::scrape,
                () -> sip.running() && media.running(),
                token, () -> config.get().bridge().httpHosts());
        http.onDemand(onDemand, sip.advertisedAddress());
        conference.dialer(sip, () -> config.get().bridge().dialoutRingSeconds(), () -> config.get().bridge().dialoutAllow());
        http.dialer(conference::dialOut);
        startJoin(s, conference, guard);
        int httpPort = http.start(s.httpBind(), s.httpPort());
        if (s.cluster().enabled()) {
            String node = s.cluster().nodeId().isEmpty() ? hostName() + "-" + s.sipPort() : s.cluster().nodeId();
            String api = s.cluster().apiUrl().isEmpty() ? "http://" + s.httpBind() + ":" + httpPort : s.cluster().apiUrl();
            String sipHost = sip.advertisedAddress().contains(":") ? "[" + sip.advertisedAddress() + "]" : sip.advertisedAddress();
            cluster = new org.confbridge.core.cluster.ClusterNode(s.cluster().redis(), node, api,
                    sipHost + ":" + s.sipPort(), onDemand, guard, () -> {
                Map<String, Integer> open = new java.util.HashMap<>();
                rooms.openRooms().forEach(room -> open.put(room.number(), room.participants().size()));
                return open;
            }, () -> config.get().bridge().recordingsRetentionDays(), System::currentTimeMillis);
            http.degradedWhen(() -> !cluster.redisUp());
            roomApi.cluster(node, cluster::runningElsewhere);
            conference.redirectTo(cluster::sipOfRoom);
            http.forwardTo(new org.confbridge.core.cluster.RoomForwarding(cluster, n -> rooms.open(n).isPresent()));
            org.confbridge.core.cluster.ClusterNode shared = cluster;
            http.sessionsElsewhere(new org.confbridge.core.http.SessionsElsewhere() {
                @Override
                public List<Map<String, Object>> list(String room) {
                    return shared.sessions().elsewhere(room);
                }

                @Override
                public String locate(String id) {
                    String holder = shared.sessions().nodeOf(id);
                    return holder == null || holder.equals(shared.nodeId()) ? null : shared.apiOf(holder);
                }
            });
            cluster.start();
        }
        if (configDir != null) {
            watcher = new org.confbridge.config.ConfigWatcher(configDir, config.get(), config::set);
            watcher.bindTo(registry);
            watcher.start(1000);
            log.info("watching {} for changes", configDir);
        }
        log.info("bridge ready: {} room(s) configured", config.get().rooms().size());
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (java.net.UnknownHostException e) {
            return "node";
        }
    }

    /**
     * Browsers joining from links: {@code POST /api/rooms/{room}/links} mints them, the join
     * listener (where {@code join.port} is set) serves the page and takes their offers.
     */
    private void startJoin(BridgeSettings s, ConferenceService conference, SourceGuard guard) throws InterruptedException {
        org.confbridge.core.join.JoinLinks links = new org.confbridge.core.join.JoinLinks();
        http.linker(new org.confbridge.core.http.JoinLinkApi.Linker() {
            @Override
            public Map<String, Object> mint(String room, String displayName, org.confbridge.core.admission.Role role,
                                            int minutes) {
                String base = joinUrl;
                if (base == null) {
                    throw new IllegalStateException("browsers cannot join: join.port is not set");
                }
                if (rooms.configured(room).isEmpty()) {
                    throw new java.util.NoSuchElementException(room);
                }
                org.confbridge.core.join.JoinLinks.Link link = links.mint(room, displayName, role,
                        java.time.Duration.ofMinutes(minutes), java.time.Instant.now());
                if (link == null) {
                    throw new IllegalStateException("too many live join links");
                }
                return Map.of("url", base + "/join/" + link.token(), "expires", link.expires().toString());
            }

            @Override
            public void roomDeleted(String room) {
                links.roomDeleted(room);
            }
        });
        if (!s.join().enabled()) {
            return;
        }
        join = new org.confbridge.core.join.JoinHttpServer(links, conference.browserDesk(), rooms::configured, source -> {
            SourceGuard.Verdict v = guard.screen(source);
            return v.admitted() ? null : new org.confbridge.core.join.BrowserDesk.Refused(v.status(), v.reason());
        }, sip::addressToward, Clock.systemUTC());
        java.util.function.Supplier<javax.net.ssl.SSLEngine> tls = null;
        if (s.join().tls()) {
            try {
                tls = org.confbridge.sip.tls.TlsPolicy.server(java.nio.file.Path.of(s.join().tlsCertificate()),
                        java.nio.file.Path.of(s.join().tlsPrivateKey()))::newEngine;
            } catch (org.confbridge.sip.tls.TlsKeyMaterial.TlsConfigException e) {
                throw new IllegalStateException("join.tls: " + e.getMessage(), e);
            }
        }
        int port = join.start(s.join().bind(), s.join().port(), tls);
        String host = s.join().bind().contains(":") ? "[" + s.join().bind() + "]" : s.join().bind();
        joinUrl = s.join().publicUrl().isEmpty() ? (tls == null ? "http://" : "https://") + host + ":" + port
                : s.join().publicUrl();
    }

    /**
     * Stops in the order that loses nothing: new calls get 503, live calls get BYE, then the
     * SIP stack, the media loops and HTTP stop.
     */
    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }

        if (sip != null) {
            sip.drain();
            if (rooms != null && sip.activeCalls() > 0) {
                // Everyone hears that the conference ends; each call hangs up after its goodbye.
                rooms.goodbyeEveryone("conference-ending", "goodbye");
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(8);
                while (sip.activeCalls() > 0 && System.nanoTime() < deadline) {
                    sleepQuietly(100);
                }
            }
            sip.hangupAll();
            // Give BYEs a moment to leave before the stack goes away.
            sleepQuietly(300);
            sip.close();
        }
        if (media != null) {
            media.close(); // finishes open recordings, which completes their session records
        }
        if (retentionThread != null) {
            retentionThread.shutdownNow();
        }
        if (sessions != null) {
            sessions.close();
        }
        if (webhooks != null) {
            webhooks.close(); // after the sessions' last events
        }
        if (join != null) {
            join.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (http != null) {
            http.close();
        }
        if (gcMetrics != null) {
            gcMetrics.close();
        }
        log.info("bridge stopped");
    }

    /** Deletes expired sessions now and then every hour, on a thread of its own (disk work, never a room's). */
    private void startRetention(java.nio.file.Path recordingsDir) {
        io.micrometer.core.instrument.Counter deleted = io.micrometer.core.instrument.Counter
                .builder("bridge.recordings.deleted").description("session directories deleted by retention")
                .register(registry);
        Retention retention = new Retention(recordingsDir, () -> config.get().bridge().recordingsRetentionDays(),
                Clock.systemUTC(), deleted::increment);
        retentionThread = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention");
            t.setDaemon(true);
            return t;
        });
        retentionThread.scheduleWithFixedDelay(() -> {
            try {
                retention.run();
            } catch (RuntimeException e) {
                log.warn("retention: pass failed: {}", e.toString());
            }
        }, 0, 1, java.util.concurrent.TimeUnit.HOURS);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
