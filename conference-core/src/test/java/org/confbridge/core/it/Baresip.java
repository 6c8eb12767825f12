package org.confbridge.core.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real softphone (Debian package {@code baresip-core}) on loopback: plays a WAV file as its
 * microphone ({@code aufile}) and records what it hears ({@code sndfile}: {@code dump-*-dec.wav}).
 */
final class Baresip implements AutoCloseable {
    private final Path home;
    private final LoggedProcess process;
    private final java.io.OutputStream keyboard;

    private Baresip(Path home, Process process) {
        this.home = home;
        this.process = new LoggedProcess("baresip", process, home.resolve("baresip.log"), StandardCharsets.ISO_8859_1);
        this.keyboard = process.getOutputStream();
    }

    /**
     * Types keys on the phone's keypad (its {@code stdio} module reads stdin); in a call baresip
     * sends them as RFC 4733 telephone-events.
     */
    void type(String keys) throws IOException, InterruptedException {
        for (char c : keys.toCharArray()) {
            keyboard.write(c);
            keyboard.flush();
            Thread.sleep(250);
        }
    }

    /**
     * Starts a softphone that dials {@code room} at once.
     *
     * @param codecs the account's {@code audio_codecs}, e.g. {@code PCMU}
     */
    static Baresip dial(Path dir, String name, double toneHz, String codecs, BridgeProcess bridge, String room)
            throws IOException, InterruptedException {
        return dial(dir, name, toneHz, codecs, bridge, room, "");
    }

    /**
     * As {@link #dial(Path, String, double, String, BridgeProcess, String)}, with more account
     * parameters, e.g. {@code ;mediaenc=srtp-mand} (SRTP with SDES, nothing else).
     */
    static Baresip dial(Path dir, String name, double toneHz, String codecs, BridgeProcess bridge, String room,
                        String accountParams) throws IOException, InterruptedException {
        return dial(dir, name, toneHz, codecs, "sip:" + room + "@127.0.0.1:" + bridge.sipPort, accountParams, "");
    }

    /** Through a proxy (Kamailio) on {@code proxyPort}, which routes the call to a bridge node. */
    static Baresip dialVia(Path dir, String name, double toneHz, String codecs, int proxyPort, String room)
            throws IOException, InterruptedException {
        return dial(dir, name, toneHz, codecs, "sip:" + room + "@127.0.0.1:" + proxyPort, "", "");
    }

    /**
     * Over TLS to the bridge's TLS port, trusting {@code caFile} (the bridge's self-signed
     * certificate in the tests), with more account parameters such as {@code ;mediaenc=srtp-mand}.
     */
    static Baresip dialTls(Path dir, String name, double toneHz, String codecs, int tlsPort, String room, Path caFile,
                           String accountParams) throws IOException, InterruptedException {
        return dial(dir, name, toneHz, codecs, "sip:" + room + "@127.0.0.1:" + tlsPort + ";transport=tls",
                accountParams, "sip_cafile " + caFile + "\n");
    }

    private static Baresip dial(Path dir, String name, double toneHz, String codecs, String target,
                                String accountParams, String extraConfig) throws IOException, InterruptedException {
        // baresip 1.0 does not resample its file source: give it audio at the codec's own rate.
        String codec = codecs.toLowerCase(java.util.Locale.ROOT);
        int rate = codec.startsWith("opus") ? 48000 : codec.startsWith("g722") ? 16000 : 8000;
        int channels = codec.startsWith("opus") ? 2 : 1;
        Path microphone = dir.resolve("tone" + (int) toneHz + "-" + rate + "-" + channels + ".wav");
        Sox.tone(microphone, toneHz, 60, "signed-integer", rate, channels);
        Path home = dir.resolve("baresip-" + name);
        Files.createDirectories(home);
        // TLS takes the SIP port + 1 in baresip, so keep a gap to any other instance.
        int sipPort = FreePorts.udpAndTcp(2); // baresip listens for TLS on the port above
        // Its RTP ports too: left to itself baresip picks anywhere, inside a bridge's range or another fork's.
        int rtp = FreePorts.udpRange(8);
        String config = String.join("\n",
                "poll_method epoll",
                "sip_listen 127.0.0.1:" + sipPort,
                "rtp_ports " + rtp + "-" + (rtp + 7),
                "net_interface 127.0.0.1",
                "audio_source aufile," + microphone,
                "audio_player aufile,/dev/null",
                "audio_alert aufile,/dev/null",
                "ausrc_srate " + rate,
                "auplay_srate " + rate,
                "ausrc_channels " + channels,
                "auplay_channels " + channels,
                "module_path /usr/lib/baresip/modules",
                "module stdio.so",
                "module g711.so",
                "module g722.so",
                "module opus.so",
                "module srtp.so",
                "module aufile.so",
                "module sndfile.so",
                "snd_path " + home,
                "module_app account.so",
                "module_app menu.so",
                "") + extraConfig;
        Files.writeString(home.resolve("config"), config);
        Files.writeString(home.resolve("accounts"),
                "\"" + name + "\" <sip:" + name + "@127.0.0.1:" + sipPort + ">;regint=0;audio_codecs=" + codecs + accountParams + "\n");
        Process p = new ProcessBuilder("baresip", "-f", home.toString(), "-e",
                "/dial " + target)
                .directory(home.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(home.resolve("baresip.log").toFile()).start();
        return new Baresip(home, p);
    }

    String log() {
        return process.log();
    }

    /** What this phone heard, decoded, as {@code sndfile} recorded it. */
    ToneMeter.Wav heard() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home, "dump-*-dec.wav")) {
            for (Path p : ds) {
                return ToneMeter.readWav(p);
            }
        }
        throw new IOException("no received-audio dump in " + home + "\n" + log());
    }

    /**
     * What this phone heard in the conversation: the two seconds before the last half second of
     * its recording (the start is the lobby's PIN prompt and the welcome; the end its hang-up).
     */
    Heard conversation(String who) throws IOException {
        ToneMeter.Wav wav = heard();
        short[] s = wav.samples();
        if (s.length <= wav.rate() * 3) {
            throw new IOException(who + " recorded only " + s.length + " samples\n" + log());
        }
        int to = s.length - wav.rate() / 2;
        return Heard.by(who, s, to - 2 * wav.rate(), to, wav.rate());
    }

    /**
     * Hangs both phones up and checks what each heard: the other's tone ({@code bHz} for
     * {@code a}, {@code aHz} for {@code b}) and not its own.
     */
    static void hangUpAndHearEachOther(Baresip a, String aName, int aHz, Baresip b, String bName, int bHz)
            throws IOException, InterruptedException {
        a.close();
        b.close();
        Heard aHeard = a.conversation(aName);
        Heard bHeard = b.conversation(bName);
        aHeard.hearsOtherNotOwn(bHz, 8000, aHz);
        bHeard.hearsOtherNotOwn(aHz, 8000, bHz);
    }

    /**
     * The phones, dialled into {@code room}, wait in its lobby, type {@code pin} and #, and talk
     * for four seconds once all are in the room (what {@link #conversation} measures is the last
     * 2.5 s before the hang-up).
     */
    static void joinAndTalk(BridgeProcess bridge, String room, String pin, Baresip... phones) throws Exception {
        bridge.awaitLogCount("in the lobby of room " + room, phones.length, java.time.Duration.ofSeconds(20));
        Thread.sleep(1000); // the PIN prompt starts; typing barges in
        for (Baresip phone : phones) {
            phone.type(pin + "#");
        }
        bridge.awaitLog(phones.length + " in room", java.time.Duration.ofSeconds(15));
        Thread.sleep(4000);
    }

    /** Hangs up (baresip sends BYE on SIGTERM) and waits for it to exit. */
    @Override
    public void close() throws InterruptedException {
        process.stop(java.time.Duration.ofSeconds(10));
    }
}
