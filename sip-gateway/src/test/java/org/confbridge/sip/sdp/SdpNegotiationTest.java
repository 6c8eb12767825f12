package org.confbridge.sip.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpNegotiationTest {
    private final SdpNegotiator negotiator = new SdpNegotiator(List.of("PCMU", "PCMA"));

    private static String offer(String mLine, String... attributes) {
        StringBuilder sb = new StringBuilder("v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\ns=-\r\n"
                + "c=IN IP4 192.0.2.10\r\nt=0 0\r\n" + mLine + "\r\n");
        for (String a : attributes) {
            sb.append(a).append("\r\n");
        }
        return sb.toString();
    }

    @Test
    void pcmaOnlyOfferIsAnsweredWithPcma() throws Exception {
        NegotiatedMedia m = negotiator.negotiate(SessionDescription.parse(offer("m=audio 49170 RTP/AVP 8")));
        assertEquals("PCMA", m.codec());
        assertEquals(8, m.payloadType());
        assertEquals(-1, m.dtmfPayloadType());
        assertEquals("192.0.2.10", m.remoteAddress());
        assertEquals(49170, m.remotePort());
        assertEquals(20, m.ptimeMs());
    }

    @Test
    void bridgePreferenceWinsOverOfferOrder() throws Exception {
        NegotiatedMedia m = negotiator.negotiate(SessionDescription.parse(offer("m=audio 4000 RTP/AVP 8 0")));
        assertEquals("PCMU", m.codec());
    }

    @Test
    void noCommonCodecIsRejected() {
        SdpException e = assertThrows(SdpException.class, () -> negotiator.negotiate(SessionDescription.parse(
                offer("m=audio 4000 RTP/AVP 18 3"))));
        assertTrue(e.getMessage().contains("no common codec"), e.getMessage());
        assertTrue(e.getMessage().contains("G729"), e.getMessage());
    }

    @Test
    void telephoneEventKeepsCallersPayloadType() throws Exception {
        SessionDescription sdp = SessionDescription.parse(offer("m=audio 4000 RTP/AVP 0 101",
                "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=ptime:30"));
        NegotiatedMedia m = negotiator.negotiate(sdp);
        assertEquals(101, m.dtmfPayloadType());
        assertEquals(30, m.ptimeMs());
        String answer = SdpAnswer.build(sdp, m, "127.0.0.1", 20000, 1, 1);
        assertTrue(answer.contains("m=audio 20000 RTP/AVP 0 101\r\n"), answer);
        assertTrue(answer.contains("a=rtpmap:101 telephone-event/8000\r\n"), answer);
        assertTrue(answer.contains("a=fmtp:101 0-15\r\n"), answer);
        assertTrue(answer.contains("a=ptime:30\r\n"), answer);
        assertTrue(answer.contains("c=IN IP4 127.0.0.1\r\n"), answer);
    }

    @Test
    void dynamicPayloadNumbersAreKept() throws Exception {
        SessionDescription sdp = SessionDescription.parse(offer("m=audio 4000 RTP/AVP 96 97",
                "a=rtpmap:96 PCMA/8000", "a=rtpmap:97 telephone-event/8000"));
        NegotiatedMedia m = negotiator.negotiate(sdp);
        assertEquals("PCMA", m.codec());
        assertEquals(96, m.payloadType());
        assertEquals(97, m.dtmfPayloadType());
    }

    @Test
    void telephoneEventAtAnotherClockRateIsStillUsed() throws Exception {
        // baresip and others offer opus/48000 with telephone-event/8000 only.
        NegotiatedMedia m = negotiator.negotiate(SessionDescription.parse(offer("m=audio 4000 RTP/AVP 0 101",
                "a=rtpmap:101 telephone-event/48000")));
        assertEquals(101, m.dtmfPayloadType());
        String answer = SdpAnswer.build(SessionDescription.parse(offer("m=audio 4000 RTP/AVP 0 101",
                "a=rtpmap:101 telephone-event/48000")), m, "127.0.0.1", 2, 1, 1);
        assertTrue(answer.contains("a=rtpmap:101 telephone-event/48000\r\n"), "answered at the offered rate: " + answer);
    }

    @Test
    void videoIsDeclinedAndAudioAnswered() throws Exception {
        SessionDescription sdp = SessionDescription.parse(offer("m=video 5000 RTP/AVP 96",
                "a=rtpmap:96 VP8/90000", "m=audio 4000 RTP/AVP 0"));
        NegotiatedMedia m = negotiator.negotiate(sdp);
        String answer = SdpAnswer.build(sdp, m, "127.0.0.1", 20000, 1, 1);
        int video = answer.indexOf("m=video 0 RTP/AVP 96");
        int audio = answer.indexOf("m=audio 20000");
        assertTrue(video > 0 && audio > video, answer);
    }

    @Test
    void directionIsMirrored() throws Exception {
        NegotiatedMedia m = negotiator.negotiate(SessionDescription.parse(offer("m=audio 4000 RTP/AVP 0", "a=sendonly")));
        assertEquals("recvonly", m.direction());
    }

    @Test
    void ptimeIsRoundedToWhatThePacketizerCanDo() {
        assertEquals(20, SdpNegotiator.packetTime(0));
        assertEquals(10, SdpNegotiator.packetTime(5));
        assertEquals(60, SdpNegotiator.packetTime(120));
        assertEquals(30, SdpNegotiator.packetTime(30));
    }

    @Test
    void malformedSdpIsRejectedWithReason() {
        assertThrows(SdpException.class, () -> SessionDescription.parse(""));
        assertThrows(SdpException.class, () -> SessionDescription.parse("hello"));
        assertThrows(SdpException.class, () -> SessionDescription.parse("v=0\r\nm=audio port RTP/AVP 0\r\n"));
        assertThrows(SdpException.class, () -> SessionDescription.parse("v=0\r\nm=audio 4000 RTP/AVP x\r\n"));
        SdpException noC = assertThrows(SdpException.class,
                () -> SessionDescription.parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n"));
        assertTrue(noC.getMessage().contains("c="));
        assertThrows(SdpException.class, () -> negotiator.negotiate(SessionDescription.parse(
                offer("m=audio 4000 RTP/SAVP 0"))));
    }

    @Test
    void unreadableRtpmapSkipsOnlyThatFormat() throws Exception {
        // RFC 4475 wsinv: "a=rtpmap:31 LPC" has no clock rate; the PCMU next to it is still usable.
        NegotiatedMedia m = negotiator.negotiate(SessionDescription.parse(offer("m=audio 4000 RTP/AVP 31 0",
                "a=rtpmap:31 LPC", "a=rtpmap:0 PCMU/8000")));
        assertEquals("PCMU", m.codec());
    }

    @Test
    void wideBandIsPreferredAndOpusAnsweredAsOffered() throws Exception {
        SdpNegotiator wide = new SdpNegotiator(List.of("opus", "G722", "PCMA", "PCMU"));
        SessionDescription sdp = SessionDescription.parse(offer("m=audio 4000 RTP/AVP 0 9 111 101 102",
                "a=rtpmap:111 opus/48000/2", "a=rtpmap:9 G722/8000", "a=rtpmap:101 telephone-event/8000",
                "a=rtpmap:102 telephone-event/48000"));
        NegotiatedMedia m = wide.negotiate(sdp);
        assertEquals("OPUS", m.codec());
        assertEquals(111, m.payloadType());
        assertEquals(48000, m.clockRate());
        assertEquals(102, m.dtmfPayloadType(), "telephone-event at the codec's clock rate");
        String answer = SdpAnswer.build(sdp, m, "127.0.0.1", 20000, 1, 1);
        assertTrue(answer.contains("a=rtpmap:111 opus/48000/2\r\n"), answer);
        assertTrue(answer.contains("a=fmtp:111 useinbandfec=1"), answer);

        NegotiatedMedia g722 = new SdpNegotiator(List.of("G722", "PCMU"))
                .negotiate(SessionDescription.parse(offer("m=audio 4000 RTP/AVP 0 9")));
        assertEquals("G722", g722.codec());
        assertEquals(8000, g722.clockRate(), "G.722's RTP clock is 8000 although it samples at 16 kHz");
        assertTrue(SdpAnswer.build(SessionDescription.parse(offer("m=audio 4000 RTP/AVP 0 9")), g722, "127.0.0.1", 2, 1, 1)
                .contains("a=rtpmap:9 G722/8000\r\n"));
    }

    @Test
    void lfLineEndsAndMediaLevelConnectionAreAccepted() throws Exception {
        String sdp = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nt=0 0\nm=audio 7078 RTP/AVP 0\nc=IN IP4 10.0.0.2\n";
        NegotiatedMedia m = negotiator.negotiate(SessionDescription.parse(sdp));
        assertEquals("10.0.0.2", m.remoteAddress());
    }
}
