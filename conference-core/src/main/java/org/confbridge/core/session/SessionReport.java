package org.confbridge.core.session;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html}: a session's documentation for people, in the room's language, written when
 * the session ends: room and times, the participants, an SVG timeline of who talked when, the
 * events, the chat, and the recording to play. One file with everything inline (no scripts, no
 * fonts, no style sheets from elsewhere); the recording is the {@code mix.wav} beside it.
 */
public final class SessionReport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int WIDTH = 760;
    private static final int ROW = 26;
    private static final int LABEL = 160;

    private SessionReport() {
    }

    private static final Map<String, Map<String, String>> WORDS = Map.of(
            "de", Map.ofEntries(Map.entry("title", "Konferenzprotokoll"), Map.entry("room", "Raum"),
                    Map.entry("start", "Beginn"), Map.entry("end", "Ende"), Map.entry("duration", "Dauer"),
                    Map.entry("participants", "Teilnehmer"), Map.entry("name", "Name"), Map.entry("role", "Rolle"),
                    Map.entry("codec", "Codec"), Map.entry("connection", "Verbindung"), Map.entry("joined", "Beitritt"),
                    Map.entry("left", "Austritt"), Map.entry("talk", "Sprechzeit"), Map.entry("timeline", "Wer sprach wann"),
                    Map.entry("events", "Ereignisse"), Map.entry("chat", "Chat"), Map.entry("recording", "Aufzeichnung"),
                    Map.entry("none", "keine"), Map.entry("encrypted", "verschlüsselt")),
            "en", Map.ofEntries(Map.entry("title", "Conference record"), Map.entry("room", "Room"),
                    Map.entry("start", "Start"), Map.entry("end", "End"), Map.entry("duration", "Duration"),
                    Map.entry("participants", "Participants"), Map.entry("name", "Name"), Map.entry("role", "Role"),
                    Map.entry("codec", "Codec"), Map.entry("connection", "Connection"), Map.entry("joined", "Joined"),
                    Map.entry("left", "Left"), Map.entry("talk", "Talk time"), Map.entry("timeline", "Who talked when"),
                    Map.entry("events", "Events"), Map.entry("chat", "Chat"), Map.entry("recording", "Recording"),
                    Map.entry("none", "none"), Map.entry("encrypted", "encrypted")));

    /** The report of a session record's JSON tree (as {@link SessionRecord#snapshot()} gives it). */
    @SuppressWarnings("unchecked")
    public static String html(Map<String, Object> session, String roomName, String language) {
        Map<String, String> w = WORDS.getOrDefault(language, WORDS.get("en"));
        Instant start = Instant.parse((String) session.get("start"));
        Instant end = session.get("end") == null ? start : Instant.parse((String) session.get("end"));
        double total = Math.max(1, Duration.between(start, end).toMillis() / 1000.0);
        List<Map<String, Object>> participants = (List<Map<String, Object>>) session.get("participants");
        List<Map<String, Object>> events = (List<Map<String, Object>>) session.get("events");
        Map<String, String> names = new LinkedHashMap<>();
        for (Map<String, Object> p : participants) {
            names.put((String) p.get("leg"), nameOf(p));
        }
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"").append(esc(language)).append("\"><head><meta charset=\"utf-8\">")
                .append("<title>").append(esc(w.get("title"))).append(' ').append(esc(roomName)).append("</title>")
                .append("<style>body{font:15px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:")
                .append("collapse;margin:.5rem 0 1.5rem}td,th{border-bottom:1px solid #ddd;padding:.3rem .7rem;")
                .append("text-align:left}small{color:#666}</style></head><body>\n");
        h.append("<h1>").append(esc(w.get("title"))).append(": ").append(esc(roomName)).append("</h1>\n<p>")
                .append(esc(w.get("room"))).append(' ').append(esc(String.valueOf(session.get("room")))).append(" · ")
                .append(esc(w.get("start"))).append(' ').append(TIME.format(start)).append(" · ")
                .append(esc(w.get("end"))).append(' ').append(TIME.format(end)).append(" · ")
                .append(esc(w.get("duration"))).append(' ').append(clock(total)).append("</p>\n");
        h.append("<h2>").append(esc(w.get("participants"))).append("</h2>\n<table><tr><th>").append(esc(w.get("name")))
                .append("</th><th>").append(esc(w.get("role"))).append("</th><th>").append(esc(w.get("codec")))
                .append("</th><th>").append(esc(w.get("connection"))).append("</th><th>").append(esc(w.get("joined")))
                .append("</th><th>").append(esc(w.get("left"))).append("</th><th>").append(esc(w.get("talk")))
                .append("</th></tr>\n");
        for (Map<String, Object> p : participants) {
            h.append("<tr><td>").append(esc(nameOf(p))).append("<br><small>").append(esc(str(p.get("callerId"))))
                    .append("</small></td><td>").append(esc(str(p.get("role")))).append("</td><td>")
                    .append(esc(str(p.get("codec")))).append("</td><td>").append(esc(str(p.get("transport"))))
                    .append(Boolean.TRUE.equals(p.get("srtp")) ? ", SRTP (" + w.get("encrypted") + ")" : "")
                    .append("</td><td>").append(offset(start, p.get("joined"))).append("</td><td>")
                    .append(offset(start, p.get("left"))).append("</td><td>")
                    .append(clock(((Number) p.getOrDefault("talkSeconds", 0)).doubleValue())).append("</td></tr>\n");
        }
        h.append("</table>\n<h2>").append(esc(w.get("timeline"))).append("</h2>\n");
        timeline(h, participants, start, total);
        h.append("<h2>").append(esc(w.get("events"))).append("</h2>\n<table>\n");
        List<Map<String, Object>> chat = new ArrayList<>();
        for (Map<String, Object> e : events) {
            if ("chat".equals(e.get("type"))) {
                chat.add(e);
                continue;
            }
            h.append("<tr><td>").append(offset(start, e.get("at"))).append("</td><td>").append(esc(str(e.get("type"))))
                    .append("</td><td>").append(esc(names.getOrDefault(str(e.get("leg")), str(e.get("leg")))))
                    .append("</td><td><small>").append(esc(details(e))).append("</small></td></tr>\n");
        }
        h.append("</table>\n<h2>").append(esc(w.get("chat"))).append("</h2>\n");
        if (chat.isEmpty()) {
            h.append("<p><small>").append(esc(w.get("none"))).append("</small></p>\n");
        } else {
            h.append("<table>\n");
            for (Map<String, Object> c : chat) {
                h.append("<tr><td>").append(offset(start, c.get("at"))).append("</td><td><b>")
                        .append(esc(str(c.get("from")))).append("</b></td><td>").append(esc(str(c.get("text"))))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>").append(esc(w.get("recording"))).append("</h2>\n");
        boolean mix = ((List<Map<String, Object>>) session.get("recordings")).stream()
                .anyMatch(r -> "mix.wav".equals(r.get("file")));
        h.append(mix ? "<audio controls preload=\"none\" src=\"mix.wav\"></audio>\n"
                : "<p><small>" + esc(w.get("none")) + "</small></p>\n");
        return h.append("</body></html>\n").toString();
    }

    /** One row per participant: present (light) and talking (dark), on one time axis. */
    @SuppressWarnings("unchecked")
    private static void timeline(StringBuilder h, List<Map<String, Object>> participants, Instant start, double total) {
        int height = ROW * participants.size() + 20;
        double scale = (WIDTH - LABEL) / total;
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" role=\"img\">\n");
        int y = 0;
        for (Map<String, Object> p : participants) {
            h.append("<text x=\"0\" y=\"").append(y + 17).append("\" font-size=\"13\">").append(esc(nameOf(p)))
                    .append("</text>\n");
            double from = seconds(start, p.get("joined"));
            double to = p.get("left") == null ? total : seconds(start, p.get("left"));
            rect(h, LABEL + from * scale, y + 4, Math.max(1, (to - from) * scale), ROW - 8, "#dfe7ef");
            for (Object turn : (List<Object>) p.getOrDefault("talk", List.of())) {
                double[] t = turn instanceof double[] d ? d : toPair((List<Number>) turn);
                rect(h, LABEL + t[0] * scale, y + 4, Math.max(1, (t[1] - t[0]) * scale), ROW - 8, "#1f9d55");
            }
            y += ROW;
        }
        h.append("<text x=\"").append(LABEL).append("\" y=\"").append(height - 4).append("\" font-size=\"11\">0:00</text>")
                .append("<text x=\"").append(WIDTH - 40).append("\" y=\"").append(height - 4)
                .append("\" font-size=\"11\">").append(clock(total)).append("</text>\n</svg>\n");
    }

    private static double[] toPair(List<Number> pair) {
        return new double[] {pair.get(0).doubleValue(), pair.get(1).doubleValue()};
    }

    private static void rect(StringBuilder h, double x, double y, double w, double height, String fill) {
        h.append(String.format(java.util.Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                x, y, w, height, fill));
    }

    private static String nameOf(Map<String, Object> p) {
        String name = str(p.get("displayName"));
        return name.isEmpty() ? str(p.get("callerId")) : name;
    }

    private static String details(Map<String, Object> e) {
        StringBuilder sb = new StringBuilder();
        e.forEach((k, v) -> {
            if (!k.equals("at") && !k.equals("type") && !k.equals("leg")) {
                sb.append(sb.length() == 0 ? "" : ", ").append(k).append(": ").append(v);
            }
        });
        return sb.toString();
    }

    private static double seconds(Instant start, Object at) {
        return at == null ? 0 : Duration.between(start, Instant.parse(at.toString())).toMillis() / 1000.0;
    }

    private static String offset(Instant start, Object at) {
        return at == null ? "–" : clock(seconds(start, at));
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    /** HTML-escapes what callers and admins wrote: names, chat, anything from a record. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
