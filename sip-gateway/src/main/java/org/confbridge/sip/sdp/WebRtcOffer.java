package org.confbridge.sip.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A browser's SDP offer (JSEP, RFC 8829) as the join page sends it: the first audio section over
 * DTLS-SRTP with its ICE credentials, the certificate fingerprint, the DTLS role it offers,
 * {@code rtcp-mux} and Opus; every other section is listed to be declined. Untrusted text: bounded
 * in size and sections, every value checked against its grammar.
 */
public final class WebRtcOffer {
    /** A browser's audio offer is a few KB; beyond this it is not one. */
    public static final int MAX_BYTES = 16 * 1024;
    /** Audio, a declined video or two, a data channel: more sections than this are refused. */
    public static final int MAX_SECTIONS = 8;
    private static final Pattern ICE_CHARS = Pattern.compile("[A-Za-z0-9+/]+");
    private static final Pattern FINGERPRINT = Pattern.compile("sha-256 ([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+-]{1,32}");

    /** A section the bridge declines: answered with port 0, as offered. */
    public record Declined(String line, String mid) {
    }

    private final String mid;
    private final String iceUfrag;
    private final String icePassword;
    private final String fingerprint;
    private final int opusPayloadType;
    private final int dtmfPayloadType;
    private final int audioIndex;
    private final List<Declined> sections;

    private WebRtcOffer(String mid, String iceUfrag, String icePassword, String fingerprint, int opusPayloadType,
                        int dtmfPayloadType, int audioIndex, List<Declined> sections) {
        this.mid = mid;
        this.iceUfrag = iceUfrag;
        this.icePassword = icePassword;
        this.fingerprint = fingerprint;
        this.opusPayloadType = opusPayloadType;
        this.dtmfPayloadType = dtmfPayloadType;
        this.audioIndex = audioIndex;
        this.sections = sections;
    }

    /** The audio section's {@code a=mid} (null where the offer has none). */
    public String mid() {
        return mid;
    }

    public String iceUfrag() {
        return iceUfrag;
    }

    public String icePassword() {
        return icePassword;
    }

    /** The browser's certificate fingerprint, {@code sha-256 AB:…}. */
    public String fingerprint() {
        return fingerprint;
    }

    public int opusPayloadType() {
        return opusPayloadType;
    }

    /** {@code telephone-event/48000}'s payload type, or -1. */
    public int dtmfPayloadType() {
        return dtmfPayloadType;
    }

    /** Every section in order; the audio one is at {@link #audioIndex}, the others are declined. */
    List<Declined> sections() {
        return sections;
    }

    int audioIndex() {
        return audioIndex;
    }

    /** Parses a browser's offer; what the bridge cannot take is an {@link SdpException} saying why (HTTP 400). */
    public static WebRtcOffer parse(String text) throws SdpException {
        if (text == null || text.isBlank()) {
            throw new SdpException("empty offer");
        }
        if (text.length() > MAX_BYTES) {
            throw new SdpException("an offer of " + text.length() + " characters (at most " + MAX_BYTES + ")");
        }
        String[] lines = text.split("\r?\n");
        if (!lines[0].equals("v=0")) {
            throw new SdpException("an offer must start with v=0");
        }
        String sessionUfrag = null;
        String sessionPassword = null;
        String sessionFingerprint = null;
        String sessionSetup = null;
        List<List<String>> media = new ArrayList<>();
        List<String> current = null;
        for (String line : lines) {
            if (line.startsWith("m=")) {
                if (media.size() == MAX_SECTIONS) {
                    throw new SdpException("more than " + MAX_SECTIONS + " media sections");
                }
                current = new ArrayList<>();
                media.add(current);
                current.add(line);
            } else if (current != null) {
                current.add(line);
            } else if (line.startsWith("a=ice-ufrag:")) {
                sessionUfrag = line.substring(12).trim();
            } else if (line.startsWith("a=ice-pwd:")) {
                sessionPassword = line.substring(10).trim();
            } else if (line.startsWith("a=fingerprint:")) {
                sessionFingerprint = line.substring(14).trim();
            } else if (line.startsWith("a=setup:")) {
                sessionSetup = line.substring(8).trim();
            }
        }
        List<Declined> sections = new ArrayList<>();
        WebRtcOffer audio = null;
        for (int i = 0; i < media.size(); i++) {
            List<String> section = media.get(i);
            String mid = value(section, "a=mid:");
            if (mid != null && !TOKEN.matcher(mid).matches()) {
                throw new SdpException("a mid that is not a token");
            }
            String[] m = section.get(0).substring(2).split(" ");
            if (audio == null && m.length >= 4 && m[0].equals("audio") && !m[1].equals("0")
                    && m[2].startsWith("UDP/TLS/RTP/SAVP")) {
                audio = audioSection(section, mid, i, sessionUfrag, sessionPassword, sessionFingerprint, sessionSetup);
            }
            String declined = "m=" + (m.length > 0 ? m[0] : "audio") + " 0 " + (m.length > 2 ? m[2] : "RTP/AVP") + " "
                    + (m.length > 3 && m[3].matches("\\d{1,3}|webrtc-datachannel") ? m[3] : "0");
            sections.add(new Declined(declined, mid));
        }
        if (audio == null) {
            throw new SdpException("no audio section over DTLS-SRTP (UDP/TLS/RTP/SAVPF)");
        }
        return new WebRtcOffer(audio.mid, audio.iceUfrag, audio.icePassword, audio.fingerprint, audio.opusPayloadType,
                audio.dtmfPayloadType, audio.audioIndex, List.copyOf(sections));
    }

    private static WebRtcOffer audioSection(List<String> section, String mid, int index, String sessionUfrag,
                                            String sessionPassword, String sessionFingerprint, String sessionSetup)
            throws SdpException {
        String ufrag = orElse(value(section, "a=ice-ufrag:"), sessionUfrag);
        String password = orElse(value(section, "a=ice-pwd:"), sessionPassword);
        String fingerprint = orElse(value(section, "a=fingerprint:"), sessionFingerprint);
        String setup = orElse(value(section, "a=setup:"), sessionSetup);
        if (ufrag == null || ufrag.length() < 4 || ufrag.length() > 256 || !ICE_CHARS.matcher(ufrag).matches()) {
            throw new SdpException("no usable a=ice-ufrag");
        }
        if (password == null || password.length() < 22 || password.length() > 256 || !ICE_CHARS.matcher(password).matches()) {
            throw new SdpException("no usable a=ice-pwd");
        }
        if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches()) {
            throw new SdpException("no a=fingerprint:sha-256");
        }
        if (setup == null || !(setup.equals("actpass") || setup.equals("active"))) {
            throw new SdpException("a=setup must be actpass or active: the bridge is the DTLS server");
        }
        if (value(section, "a=rtcp-mux") == null) {
            throw new SdpException("no a=rtcp-mux");
        }
        int opus = -1;
        int dtmf = -1;
        for (String line : section) {
            if (!line.startsWith("a=rtpmap:")) {
                continue;
            }
            String[] parts = line.substring(9).split(" ", 2);
            if (parts.length < 2 || !parts[0].matches("\\d{1,3}")) {
                throw new SdpException("a bad a=rtpmap");
            }
            int pt = Integer.parseInt(parts[0]);
            String codec = parts[1].trim().toLowerCase(Locale.ROOT);
            if (opus < 0 && codec.startsWith("opus/48000")) {
                opus = pt;
            } else if (dtmf < 0 && codec.equals("telephone-event/48000")) {
                dtmf = pt;
            }
        }
        if (opus < 0 || opus > 127) {
            throw new SdpException("no Opus in the audio section");
        }
        return new WebRtcOffer(mid, ufrag, password, fingerprint.toUpperCase(Locale.ROOT).replace("SHA-256", "sha-256"),
                opus, dtmf, index, List.of());
    }

    private static String value(List<String> section, String prefix) {
        for (String line : section) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
