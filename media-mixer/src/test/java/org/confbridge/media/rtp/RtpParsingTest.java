package org.confbridge.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RtpParsingTest {
    @Test
    void headerRoundTrips() {
        byte[] b = new byte[172];
        RtpHeader.write(b, 0, true, 8, 65535, 0xFFFFFFF0L, 0xDEADBEEFL);
        assertEquals(2, RtpHeader.version(b, 0));
        assertTrue(RtpHeader.marker(b, 0));
        assertEquals(8, RtpHeader.payloadType(b, 0));
        assertEquals(65535, RtpHeader.sequence(b, 0));
        assertEquals(0xFFFFFFF0L, RtpHeader.timestamp(b, 0));
        assertEquals(0xDEADBEEFL, RtpHeader.ssrc(b, 0));
        assertEquals(12, RtpHeader.payloadOffset(b, 0, b.length));
        assertEquals(160, RtpHeader.payloadLength(b, 0, b.length));
    }

    @Test
    void csrcExtensionAndPaddingAreSkipped() {
        byte[] b = new byte[12 + 8 + 8 + 10 + 2];
        RtpHeader.write(b, 0, false, 0, 1, 2, 3);
        b[0] = (byte) (0x80 | 0x20 | 0x10 | 2); // padding, extension, CC=2
        int ext = 12 + 8;
        b[ext + 3] = 1; // one 32-bit word of extension
        b[b.length - 1] = 2; // two bytes of padding
        assertEquals(28, RtpHeader.payloadOffset(b, 0, b.length));
        assertEquals(10, RtpHeader.payloadLength(b, 0, b.length));
    }

    @Test
    void malformedPacketsAreRejected() {
        byte[] b = new byte[20];
        RtpHeader.write(b, 0, false, 0, 1, 2, 3);
        assertEquals(-1, RtpHeader.payloadOffset(b, 0, 11), "shorter than the fixed header");
        b[0] = (byte) 0x40;
        assertEquals(-1, RtpHeader.payloadOffset(b, 0, 20), "version 1");
        b[0] = (byte) 0x8F; // 15 CSRCs do not fit in 20 bytes
        assertEquals(-1, RtpHeader.payloadOffset(b, 0, 20));
        b[0] = (byte) 0xA0; // padding longer than the packet
        b[19] = (byte) 100;
        assertEquals(-1, RtpHeader.payloadOffset(b, 0, 20));
    }

    @Test
    void telephoneEventFields() {
        byte[] p = new byte[4];
        TelephoneEvent.write(p, 0, 11, true, 10, 1600);
        assertEquals(11, TelephoneEvent.event(p, 0));
        assertTrue(TelephoneEvent.end(p, 0));
        assertEquals(10, TelephoneEvent.volume(p, 0));
        assertEquals(1600, TelephoneEvent.duration(p, 0));
        assertEquals('#', TelephoneEvent.digit(11));
        assertEquals('*', TelephoneEvent.digit(10));
        assertEquals('D', TelephoneEvent.digit(15));
        assertEquals(0, TelephoneEvent.digit(16));
    }

    @Test
    void eachKeyPressIsReportedOnceDespiteUpdatesAndRedundantEnds() {
        DtmfEventReceiver r = new DtmfEventReceiver();
        StringBuilder keys = new StringBuilder();
        byte[] p = new byte[4];
        // '1' at ts 1000: three updates, then three end packets.
        for (int d = 160; d <= 480; d += 160) {
            TelephoneEvent.write(p, 0, 1, false, 10, d);
            append(keys, r.receive(42, 1000, p, 0, 4));
        }
        for (int i = 0; i < 3; i++) {
            TelephoneEvent.write(p, 0, 1, true, 10, 640);
            append(keys, r.receive(42, 1000, p, 0, 4));
        }
        // The same key pressed again is a new event with a new timestamp.
        TelephoneEvent.write(p, 0, 1, true, 10, 640);
        append(keys, r.receive(42, 3000, p, 0, 4));
        // '#' whose start packets were lost: only end packets arrive.
        TelephoneEvent.write(p, 0, 11, true, 10, 800);
        append(keys, r.receive(42, 5000, p, 0, 4));
        append(keys, r.receive(42, 5000, p, 0, 4));
        assertEquals("11#", keys.toString());
    }

    @Test
    void eventsOnASecondSsrcAreSeparateStreams() {
        DtmfEventReceiver r = new DtmfEventReceiver();
        byte[] p = new byte[4];
        TelephoneEvent.write(p, 0, 4, false, 10, 160);
        assertEquals('4', r.receive(1, 8000, p, 0, 4));
        TelephoneEvent.write(p, 0, 5, false, 10, 160);
        assertEquals('5', r.receive(2, 8000, p, 0, 4));
        assertEquals(0, r.receive(2, 8000, p, 0, 4));
        assertEquals(0, r.receive(2, 8000, p, 0, 3), "truncated payload");
    }

    private static void append(StringBuilder sb, char c) {
        if (c != 0) {
            sb.append(c);
        }
    }
}
