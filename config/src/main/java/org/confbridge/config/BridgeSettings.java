package org.confbridge.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Server-wide settings from {@code bridge.properties}. Every key, its default and its rule is in
 * {@link #KEYS}; the README's configuration table documents exactly this list.
 */
public record BridgeSettings(
        String sipBind,
        int sipPort,
        List<String> sipTransports,
        String sipPublicAddress,
        String sipServerHeader,
        TlsSettings tls,
        PortRange rtpPorts,
        boolean rtpStrict,
        String srtp,
        int rtpTimeoutSeconds,
        int mixerSampleRate,
        int mixerMaxTalkers,
        int mixerRealtimePriority,
        boolean mixerIoUring,
        int jitterMinMs,
        int jitterMaxMs,
        List<String> codecs,
        String opusLibrary,
        Path recordingsDir,
        int recordingsRetentionDays,
        String httpBind,
        int httpPort,
        String adminToken,
        List<String> httpHosts,
        String stateDir,
        String dialinUser,
        String promptsDir,
        int pinTimeoutSeconds,
        int pinAttempts,
        boolean inbandDtmf,
        String dialinLanguage,
        NumberRange roomsOnDemand,
        String webhookUrl,
        String webhookSecret,
        int dialoutRingSeconds,
        String outboundProxy,
        String dialoutFrom,
        List<String> dialoutAllow,
        JoinSettings join,
        SecuritySettings security,
        ClusterSettings cluster) {

    public static final SettingKey<String> SIP_BIND =
            SettingKey.nonEmptyText("sip.bind", "0.0.0.0", "address the SIP listening points bind to");
    public static final SettingKey<Integer> SIP_PORT =
            SettingKey.port("sip.port", "5060", "SIP port, for every transport");
    public static final SettingKey<List<String>> SIP_TRANSPORTS =
            SettingKey.list("sip.transports", "udp,tcp", List.of("udp", "tcp", "tls"), false,
                    "SIP transports to listen on");
    public static final SettingKey<String> SIP_PUBLIC_ADDRESS =
            SettingKey.text("sip.publicAddress", "",
                    "address advertised in SDP and Contact (empty: the bind address, or the local address if bound to 0.0.0.0)");
    public static final SettingKey<String> SIP_SERVER_HEADER =
            SettingKey.nonEmptyText("sip.serverHeader", "confbridge",
                    "Server and User-Agent header of the bridge's SIP messages (no version number by default)");
    public static final SettingKey<PortRange> RTP_PORTS =
            SettingKey.portRange("rtp.ports", "20000-29999", "UDP ports for RTP, one per call leg");
    public static final SettingKey<Boolean> RTP_STRICT =
            SettingKey.bool("rtp.strict", "on",
                    "strict RTP: media is taken from and sent to the SDP address at once, or to another port of the "
                            + "caller's SDP or signalling address after a short in-sequence run; nothing else (off: "
                            + "the first packet from anywhere latches)");
    public static final SettingKey<String> SRTP =
            SettingKey.word("srtp", "optional", List.of("off", "optional", "required"),
                    "SRTP with SDES keys: optional (when the caller offers it), required (a plain offer gets 488), "
                            + "off (plain RTP only)");
    public static final SettingKey<Integer> RTP_TIMEOUT_SECONDS =
            SettingKey.integer("rtp.timeoutSeconds", "60", 0, 3600,
                    "a call that sends no RTP for this long is hung up (0 = never)");
    public static final SettingKey<Integer> MIXER_SAMPLE_RATE =
            SettingKey.oneOf("mixer.sampleRate", "16000", new int[] {8000, 16000, 48000},
                    "internal mixing rate in Hz; legs are resampled to it");
    public static final SettingKey<Integer> MIXER_MAX_TALKERS =
            SettingKey.integer("mixer.maxTalkers", "8", 0, 10000,
                    "most voices mixed at once: the loudest, and who is heard keeps the place while talking; "
                            + "others talking meanwhile hear the room but are not heard (0 = everyone)");
    public static final SettingKey<Integer> MIXER_REALTIME_PRIORITY =
            SettingKey.integer("mixer.realtimePriority", "0", 0, 99,
                    "SCHED_FIFO priority of the threads that mix and send audio (0 = normal scheduling); "
                            + "needs root, CAP_SYS_NICE or an RLIMIT_RTPRIO at least this high");
    public static final SettingKey<Boolean> MIXER_IO_URING =
            SettingKey.bool("mixer.ioUring", "true",
                    "each room thread hands the RTP packets of a 20 ms tick to the kernel in one io_uring "
                            + "submission instead of one system call each; where the kernel refuses, one line says so");
    public static final SettingKey<Integer> JITTER_MIN_MS =
            SettingKey.integer("jitter.minMs", "20", 0, 500,
                    "smallest playout delay a leg's jitter buffer aims for");
    public static final SettingKey<Integer> JITTER_MAX_MS =
            SettingKey.integer("jitter.maxMs", "200", 20, 1000,
                    "largest playout delay it aims for, however bad the network");
    public static final SettingKey<List<String>> CODECS =
            SettingKey.list("codecs", "opus,G722,PCMA,PCMU", List.of("opus", "G722", "PCMA", "PCMU"), false,
                    "codecs the bridge accepts, in order of preference");
    public static final SettingKey<String> OPUS_LIBRARY =
            SettingKey.word("codecs.opusLibrary", "auto", List.of("auto", "concentus", "libopus"),
                    "what encodes and decodes Opus: auto (libopus where it loads, else Concentus), concentus "
                            + "(pure Java) or libopus (the system's libopus.so.0)");
    public static final SettingKey<String> RECORDINGS_DIR =
            SettingKey.nonEmptyText("recordings.dir", "recordings",
                    "where recordings and session records are written (relative to the working directory)");
    public static final SettingKey<Integer> RECORDINGS_RETENTION_DAYS =
            SettingKey.integer("recordings.retentionDays", "90", 0, 36500,
                    "sessions older than this are deleted (0 = keep forever)");
    public static final SettingKey<String> HTTP_BIND =
            SettingKey.nonEmptyText("http.bind", "127.0.0.1", "address of the HTTP admin/metrics server");
    public static final SettingKey<Integer> HTTP_PORT =
            SettingKey.integer("http.port", "8080", 0, 65535, "HTTP port (0 = any free port)");
    public static final SettingKey<String> ADMIN_TOKEN =
            SettingKey.text("admin.token", "",
                    "bearer token every /api/ request must carry (empty: the bridge makes one at start and keeps it "
                            + "in <state.dir>/admin.token)");
    public static final SettingKey<List<String>> HTTP_HOSTS =
            SettingKey.textList("http.hosts", "",
                    "host names the HTTP server answers to besides localhost, IP addresses and this host's name "
                            + "(e.g. a reverse proxy's name); any other Host header gets 403");
    public static final SettingKey<String> STATE_DIR =
            SettingKey.text("state.dir", "",
                    "where the bridge writes: rooms created over the API (rooms/) and the generated admin.token "
                            + "(empty: systemd's $STATE_DIRECTORY, else state/ in the configuration directory)");
    public static final SettingKey<String> DIALIN_USER =
            SettingKey.nonEmptyText("dialin.user", "conference",
                    "Request-URI user that asks the caller for a room number");

    public static final SettingKey<String> PROMPTS_DIR =
            SettingKey.text("prompts.dir", "",
                    "directory with de/ and en/ prompt WAVs that replace the built-in ones (empty: built-in)");
    public static final SettingKey<Integer> PIN_TIMEOUT_SECONDS =
            SettingKey.integer("pin.timeoutSeconds", "10", 2, 120,
                    "seconds without a key press before the caller is asked again (then hung up)");
    public static final SettingKey<Integer> PIN_ATTEMPTS =
            SettingKey.integer("pin.attempts", "3", 1, 10, "wrong PINs before the bridge says goodbye and hangs up");

    public static final SettingKey<Boolean> INBAND_DTMF =
            SettingKey.bool("dtmf.inband", "true",
                    "detect keypad tones in the audio of G.711 callers that offer no telephone-event");

    public static final SettingKey<String> DIALIN_LANGUAGE =
            SettingKey.nonEmptyText("dialin.language", "de", "prompt language at the dial-in number: de | en");

    public static final SettingKey<NumberRange> ROOMS_ON_DEMAND =
            SettingKey.numberRange("rooms.onDemandRange", "7000-7999",
                    "room numbers POST /api/rooms gives out (rooms created on demand, e.g. from a support chat)");

    public static final SettingKey<String> WEBHOOK_URL =
            SettingKey.text("events.webhookUrl", "",
                    "http(s) URL the bridge POSTs each session event to as JSON (empty: none)");
    public static final SettingKey<String> WEBHOOK_SECRET =
            SettingKey.text("events.webhookSecret", "",
                    "key of the X-Confbridge-Signature header: sha256=<hex HMAC-SHA256 of the body>");

    public static final SettingKey<Integer> DIALOUT_RING_SECONDS =
            SettingKey.integer("dialout.ringSeconds", "45", 5, 300,
                    "how long a dial-out (POST /api/rooms/{room}/dial) rings before it is given up");

    public static final SettingKey<String> OUTBOUND_PROXY =
            SettingKey.text("sip.outboundProxy", "",
                    "SIP URI of the proxy or trunk dial-outs go through, e.g. sip:sbc.example.com:5060 (empty: direct)");
    public static final SettingKey<String> DIALOUT_FROM =
            SettingKey.text("sip.dialoutFrom", "",
                    "From URI of dial-outs, e.g. sip:+4930123456@trunk.example.com (empty: sip:<room>@<advertised address>)");

    public static final SettingKey<List<String>> DIALOUT_ALLOW =
            SettingKey.textList("dialout.allow", "",
                    "URI patterns dial-outs may call, comma-separated, * any characters (e.g. sip:+49*@trunk.example.com); "
                            + "empty: every dial-out is refused");

    /** All keys of {@code bridge.properties}, in README order. */
    public static final List<SettingKey<?>> KEYS = allKeys();

    private static List<SettingKey<?>> allKeys() {
        List<SettingKey<?>> keys = new java.util.ArrayList<>(List.of(
                SIP_BIND, SIP_PORT, SIP_TRANSPORTS, SIP_PUBLIC_ADDRESS, SIP_SERVER_HEADER));
        keys.addAll(TlsSettings.KEYS);
        keys.addAll(List.of(RTP_PORTS, RTP_STRICT, SRTP,
                RTP_TIMEOUT_SECONDS, MIXER_SAMPLE_RATE,
                MIXER_MAX_TALKERS, MIXER_REALTIME_PRIORITY, MIXER_IO_URING, JITTER_MIN_MS, JITTER_MAX_MS, CODECS, OPUS_LIBRARY,
                RECORDINGS_DIR, RECORDINGS_RETENTION_DAYS, HTTP_BIND, HTTP_PORT,
                ADMIN_TOKEN, HTTP_HOSTS, STATE_DIR, DIALIN_USER, PROMPTS_DIR, PIN_TIMEOUT_SECONDS, PIN_ATTEMPTS, INBAND_DTMF, DIALIN_LANGUAGE,
                ROOMS_ON_DEMAND, WEBHOOK_URL, WEBHOOK_SECRET, DIALOUT_RING_SECONDS, OUTBOUND_PROXY, DIALOUT_FROM,
                DIALOUT_ALLOW));
        keys.addAll(JoinSettings.KEYS);
        keys.addAll(SecuritySettings.KEYS);
        keys.addAll(ClusterSettings.KEYS);
        return List.copyOf(keys);
    }

    /** Builds settings from raw file values; absent keys take their defaults. */
    static BridgeSettings from(Map<String, String> raw, String file) throws ConfigException {
        KeyReader r = new KeyReader(raw, file);
        if (r.get(JITTER_MIN_MS) > r.get(JITTER_MAX_MS)) {
            throw new ConfigException(file, JITTER_MIN_MS.name(), "must not be above " + JITTER_MAX_MS.name());
        }
        return new BridgeSettings(
                r.get(SIP_BIND), r.get(SIP_PORT), r.get(SIP_TRANSPORTS), r.get(SIP_PUBLIC_ADDRESS),
                r.get(SIP_SERVER_HEADER), TlsSettings.from(r, r.get(SIP_TRANSPORTS), r.get(SIP_PORT), file), r.get(RTP_PORTS), r.get(RTP_STRICT), r.get(SRTP), r.get(RTP_TIMEOUT_SECONDS), r.get(MIXER_SAMPLE_RATE), r.get(MIXER_MAX_TALKERS),
                r.get(MIXER_REALTIME_PRIORITY), r.get(MIXER_IO_URING),
                r.get(JITTER_MIN_MS), r.get(JITTER_MAX_MS), r.get(CODECS), r.get(OPUS_LIBRARY),
                Path.of(r.get(RECORDINGS_DIR)), r.get(RECORDINGS_RETENTION_DAYS), r.get(HTTP_BIND),
                r.get(HTTP_PORT), r.get(ADMIN_TOKEN), r.get(HTTP_HOSTS), r.get(STATE_DIR), r.get(DIALIN_USER), r.get(PROMPTS_DIR), r.get(PIN_TIMEOUT_SECONDS),
                r.get(PIN_ATTEMPTS), r.get(INBAND_DTMF), language(r.get(DIALIN_LANGUAGE), file), r.get(ROOMS_ON_DEMAND),
                webhookUrl(r.get(WEBHOOK_URL), file), webhookSecret(r.get(WEBHOOK_URL), r.get(WEBHOOK_SECRET), file),
                r.get(DIALOUT_RING_SECONDS),
                sipUri(r.get(OUTBOUND_PROXY), OUTBOUND_PROXY, file), sipUri(r.get(DIALOUT_FROM), DIALOUT_FROM, file),
                dialoutPatterns(r.get(DIALOUT_ALLOW), file), JoinSettings.from(r, file), SecuritySettings.from(r),
                ClusterSettings.from(r, file));
    }

    private static String sipUri(String value, SettingKey<String> key, String file) throws ConfigException {
        if (!value.isEmpty() && !value.startsWith("sip:") && !value.startsWith("sips:")) {
            throw new ConfigException(file, key.name(), "must be a sip: URI");
        }
        return value;
    }

    private static String webhookUrl(String value, String file) throws ConfigException {
        if (!value.isEmpty() && !value.startsWith("http://") && !value.startsWith("https://")) {
            throw new ConfigException(file, WEBHOOK_URL.name(), "must be an http:// or https:// URL");
        }
        return value;
    }

    /** Unsigned events could be forged by anyone who can reach the receiver: a URL needs a real key. */
    private static String webhookSecret(String url, String secret, String file) throws ConfigException {
        if (!url.isEmpty() && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 16) {
            throw new ConfigException(file, WEBHOOK_SECRET.name(), "must be at least 16 bytes when "
                    + WEBHOOK_URL.name() + " is set (receivers check the signature with it)");
        }
        return secret;
    }

    private static List<String> dialoutPatterns(List<String> patterns, String file) throws ConfigException {
        for (String p : patterns) {
            if (!p.startsWith("sip:") && !p.startsWith("sips:")) {
                throw new ConfigException(file, DIALOUT_ALLOW.name(), "'" + p + "' must start with sip: or sips:");
            }
        }
        return patterns;
    }

    private static String language(String value, String file) throws ConfigException {
        if (!value.equals("de") && !value.equals("en")) {
            throw new ConfigException(file, DIALIN_LANGUAGE.name(), "must be de or en, got '" + value + "'");
        }
        return value;
    }

    /** The defaults, as if {@code bridge.properties} were empty. */
    public static BridgeSettings defaults() {
        try {
            return from(Map.of(), "(defaults)");
        } catch (ConfigException e) {
            throw new IllegalStateException("built-in defaults are invalid", e);
        }
    }
}
