package org.confbridge.sip.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of an SDP offer (RFC 4566) an audio bridge needs: the connection address and, per
 * media section, port, transport, formats, ptime and direction. Parsing is lenient where real
 * phones are sloppy (LF line ends, unknown attributes) and strict where a mistake would break
 * media (missing connection address, bad port, non-numeric payload types).
 */
public final class SessionDescription {
    /** One {@code m=} section. */
    public record Media(String type, int port, String protocol, List<MediaFormat> formats, String connectionAddress,
                        int ptimeMs, String direction, List<String> crypto) {
        /** An SRTP profile ({@code RTP/SAVP}, {@code RTP/SAVPF}). */
        public boolean secureProfile() {
            return protocol.equals("RTP/SAVP") || protocol.equals("RTP/SAVPF");
        }

        /** A profile the bridge speaks: plain or secure RTP, with or without feedback. */
        public boolean rtpProfile() {
            return protocol.equals("RTP/AVP") || protocol.equals("RTP/AVPF") || secureProfile();
        }
    }

    private final long sessionId;
    private final long sessionVersion;
    private final List<Media> media;

    private SessionDescription(long sessionId, long sessionVersion, List<Media> media) {
        this.sessionId = sessionId;
        this.sessionVersion = sessionVersion;
        this.media = List.copyOf(media);
    }

    public long sessionId() {
        return sessionId;
    }

    public long sessionVersion() {
        return sessionVersion;
    }

    public List<Media> media() {
        return media;
    }

    public static SessionDescription parse(String text) throws SdpException {
        if (text == null || text.isBlank()) {
            throw new SdpException("empty SDP");
        }
        String[] lines = text.split("\r?\n");
        if (!lines[0].startsWith("v=0")) {
            throw new SdpException("SDP must start with v=0");
        }
        long sessionId = 0;
        long sessionVersion = 0;
        String sessionConnection = null;
        String sessionDirection = "sendrecv";
        int sessionPtime = 0;
        List<MediaBuilder> sections = new ArrayList<>();
        MediaBuilder current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new SdpException("malformed SDP line '" + abbreviate(line) + "'");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            switch (type) {
                case 'o' -> {
                    String[] o = value.split(" +");
                    if (o.length < 6) {
                        throw new SdpException("malformed o= line");
                    }
                    sessionId = parseLongLenient(o[1]);
                    sessionVersion = parseLongLenient(o[2]);
                }
                case 'c' -> {
                    String address = parseConnection(value);
                    if (current == null) {
                        sessionConnection = address;
                    } else {
                        current.connection = address;
                    }
                }
                case 'm' -> {
                    current = parseMediaLine(value);
                    sections.add(current);
                }
                case 'a' -> {
                    if (current == null) {
                        String dir = direction(value);
                        if (dir != null) {
                            sessionDirection = dir;
                        } else if (value.startsWith("ptime:")) {
                            sessionPtime = parsePtime(value);
                        }
                    } else {
                        current.attribute(value);
                    }
                }
                default -> {
                    // v, s, t, b, i, u, e, p, z, k, r: nothing a bridge acts on.
                }
            }
        }
        List<Media> media = new ArrayList<>();
        for (MediaBuilder m : sections) {
            String connection = m.connection != null ? m.connection : sessionConnection;
            if (connection == null && m.port != 0) {
                throw new SdpException("no c= connection address for m=" + m.type);
            }
            media.add(m.build(connection, m.ptime > 0 ? m.ptime : sessionPtime,
                    m.direction != null ? m.direction : sessionDirection));
        }
        return new SessionDescription(sessionId, sessionVersion, media);
    }

    private static String parseConnection(String value) throws SdpException {
        String[] c = value.split(" +");
        if (c.length < 3 || !c[0].equals("IN") || !(c[1].equals("IP4") || c[1].equals("IP6"))) {
            throw new SdpException("unsupported c= line '" + abbreviate(value) + "'");
        }
        String address = c[2];
        int slash = address.indexOf('/');
        return slash >= 0 ? address.substring(0, slash) : address;
    }

    private static MediaBuilder parseMediaLine(String value) throws SdpException {
        String[] m = value.split(" +");
        if (m.length < 4) {
            throw new SdpException("malformed m= line '" + abbreviate(value) + "'");
        }
        MediaBuilder b = new MediaBuilder();
        b.type = m[0].toLowerCase(Locale.ROOT);
        String port = m[1];
        int slash = port.indexOf('/');
        try {
            b.port = Integer.parseInt(slash >= 0 ? port.substring(0, slash) : port);
        } catch (NumberFormatException e) {
            throw new SdpException("bad port in m= line '" + abbreviate(value) + "'");
        }
        if (b.port < 0 || b.port > 65535) {
            throw new SdpException("port out of range in m= line: " + b.port);
        }
        b.protocol = m[2];
        for (int i = 3; i < m.length; i++) {
            if (b.protocol.contains("RTP")) {
                try {
                    int pt = Integer.parseInt(m[i]);
                    if (pt < 0 || pt > 127) {
                        throw new SdpException("payload type out of range: " + pt);
                    }
                    b.payloadTypes.add(pt);
                } catch (NumberFormatException e) {
                    throw new SdpException("payload type is not a number: '" + m[i] + "'");
                }
            }
        }
        return b;
    }

    private static String direction(String attribute) {
        return switch (attribute) {
            case "sendrecv", "sendonly", "recvonly", "inactive" -> attribute;
            default -> null;
        };
    }

    private static int parsePtime(String attribute) throws SdpException {
        try {
            return (int) Math.round(Double.parseDouble(attribute.substring("ptime:".length()).trim()));
        } catch (NumberFormatException e) {
            throw new SdpException("bad a=" + attribute);
        }
    }

    private static long parseLongLenient(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0; // some phones put non-numeric session ids here; it only matters to them
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static final class MediaBuilder {
        String type;
        int port;
        String protocol;
        final List<Integer> payloadTypes = new ArrayList<>();
        final Map<Integer, String> rtpmap = new HashMap<>();
        final Map<Integer, String> fmtp = new HashMap<>();
        /** The values of its a=crypto lines (after "crypto:"), in offer order. */
        final List<String> crypto = new ArrayList<>();
        String connection;
        int ptime;
        String direction;

        void attribute(String value) throws SdpException {
            String dir = direction(value);
            if (dir != null) {
                direction = dir;
            } else if (value.startsWith("rtpmap:")) {
                int space = value.indexOf(' ');
                if (space < 0) {
                    throw new SdpException("malformed a=" + value);
                }
                rtpmap.put(payloadTypeOf(value.substring(7, space)), value.substring(space + 1).trim());
            } else if (value.startsWith("fmtp:")) {
                int space = value.indexOf(' ');
                if (space > 0) {
                    fmtp.put(payloadTypeOf(value.substring(5, space)), value.substring(space + 1).trim());
                }
            } else if (value.startsWith("crypto:")) {
                crypto.add(value.substring("crypto:".length()));
            } else if (value.startsWith("ptime:")) {
                ptime = parsePtime(value);
            }
        }

        private static int payloadTypeOf(String s) throws SdpException {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new SdpException("bad payload type in attribute: '" + s + "'");
            }
        }

        Media build(String connection, int ptime, String direction) {
            List<MediaFormat> formats = new ArrayList<>();
            for (int pt : payloadTypes) {
                String map = rtpmap.get(pt);
                MediaFormat f;
                if (map != null) {
                    // A format we cannot read is a format we cannot use; the others may still do.
                    String[] parts = map.split("/");
                    if (parts.length < 2) {
                        continue;
                    }
                    try {
                        f = new MediaFormat(pt, parts[0], Integer.parseInt(parts[1].trim()),
                                parts.length > 2 ? Integer.parseInt(parts[2].trim()) : 1, fmtp.getOrDefault(pt, ""));
                    } catch (NumberFormatException e) {
                        continue;
                    }
                } else {
                    f = MediaFormat.staticType(pt);
                    if (f == null) {
                        continue; // a dynamic type without rtpmap cannot be used; ignore it
                    }
                }
                formats.add(f);
            }
            return new Media(type, port, protocol, formats, connection, ptime, direction, List.copyOf(crypto));
        }
    }
}
