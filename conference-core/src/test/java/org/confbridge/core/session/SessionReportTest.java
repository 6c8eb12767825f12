package org.confbridge.core.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionReportTest {
    private static SessionRecord record() {
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        SessionRecord r = new SessionRecord("1000", "abc", t0, Path.of("/tmp/x"));
        r.joined("L1", "sip:kunde@example.com", "Frau <Kunde>", "participant", "PCMA", "udp", false, t0.plusSeconds(5));
        r.joined("L2", "sip:berater@example.com", "Berater", "moderator", "OPUS", "tls", true, t0.plusSeconds(10));
        r.event(t0.plusSeconds(20), "chat", "L1", Map.of("from", "Frau <Kunde>", "text", "Ist das <b>sicher</b>?"));
        r.event(t0.plusSeconds(30), "mute", "L1", Map.of("by", "keypad:L2"));
        r.left("L1", t0.plusSeconds(300), 120.0, List.of(new double[] {10, 70}, new double[] {100, 160}), "caller hung up");
        r.left("L2", t0.plusSeconds(310), 90.0, List.of(new double[] {70, 100}), "caller hung up");
        r.recording("mix.wav", 305, "ab".repeat(32), 0);
        r.end(t0.plusSeconds(310));
        return r;
    }

    @Test
    void theReportHasEverythingInTheRoomsLanguageAndEscapesWhatPeopleWrote() {
        String de = SessionReport.html(record().snapshot(), "Beratung Müller", "de");
        assertTrue(de.contains("<html lang=\"de\">") && de.contains("Konferenzprotokoll: Beratung Müller"));
        assertTrue(de.contains("Frau &lt;Kunde&gt;") && !de.contains("<Kunde>"), "names escaped");
        assertTrue(de.contains("Ist das &lt;b&gt;sicher&lt;/b&gt;?"), "chat escaped");
        assertTrue(de.contains("SRTP (verschlüsselt)"), "the encrypted connection is named");
        assertTrue(de.contains("Dauer 5:10") && de.contains("<td>2:00</td>"), "duration and talk time");
        assertTrue(de.contains("<svg") && de.split("<rect", -1).length - 1 == 2 + 3, "presence and three turns drawn");
        assertTrue(de.contains("<td>mute</td>") && de.contains("by: keypad:L2"), "events with who did them");
        assertTrue(de.contains("src=\"mix.wav\""), "the recording plays from beside the report");
        assertFalse(de.contains("<script") || de.contains("http://") && !de.contains("http://www.w3.org/2000/svg"),
                "nothing from elsewhere, no scripts");
        String en = SessionReport.html(record().snapshot(), "Consulting", "en");
        assertTrue(en.contains("Conference record: Consulting") && en.contains("Who talked when"));
    }
}
