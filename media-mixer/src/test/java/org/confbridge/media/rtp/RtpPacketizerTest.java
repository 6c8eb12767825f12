package org.confbridge.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtpPacketizerTest {
    private final byte[] scratch = new byte[2048];
    private final List<byte[]> sent = new ArrayList<>();
    private final List<Long> stamps = new ArrayList<>();
    private final RtpPacketizer.Sink sink = (packet, len, ts) -> {
        sent.add(Arrays.copyOf(packet, len));
        stamps.add(ts);
    };

    private static byte[] frame(int value, int len) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void ptime40JoinsTwoFramesAndNumbersThePackets() {
        RtpPacketizer p = new RtpPacketizer(0, 320, 320, 160);
        for (int f = 0; f < 4; f++) {
            p.add(frame(f, 160), 160, scratch, sink);
        }
        assertEquals(2, sent.size());
        byte[] first = sent.get(0);
        assertEquals(RtpHeader.FIXED_SIZE + 320, first.length);
        assertEquals(0, RtpHeader.payloadType(first, 0));
        assertEquals(p.ssrc(), RtpHeader.ssrc(first, 0));
        assertEquals(0, first[RtpHeader.FIXED_SIZE]);
        assertEquals(1, first[RtpHeader.FIXED_SIZE + 160], "the second frame follows the first");
        assertTrue(RtpHeader.marker(first, 0), "a stream starts with a talkspurt");
        byte[] second = sent.get(1);
        assertFalse(RtpHeader.marker(second, 0));
        assertEquals((RtpHeader.sequence(first, 0) + 1) & 0xFFFF, RtpHeader.sequence(second, 0));
        assertEquals((RtpHeader.timestamp(first, 0) + 320) & 0xFFFFFFFFL, RtpHeader.timestamp(second, 0));
        assertEquals(RtpHeader.timestamp(second, 0), (long) stamps.get(1));
    }

    @Test
    void onHoldNothingIsSentButTimeGoesOnAndResumingMarksATalkspurt() {
        RtpPacketizer p = new RtpPacketizer(0, 160, 160, 160);
        p.add(frame(1, 160), 160, scratch, sink);
        p.sending(false);
        for (int f = 0; f < 5; f++) {
            p.add(frame(2, 160), 160, scratch, sink);
        }
        assertEquals(1, sent.size());
        p.sending(true);
        p.add(frame(3, 160), 160, scratch, sink);
        byte[] before = sent.get(0);
        byte[] after = sent.get(1);
        assertEquals((RtpHeader.sequence(before, 0) + 1) & 0xFFFF, RtpHeader.sequence(after, 0), "no gap in sequence");
        assertEquals((RtpHeader.timestamp(before, 0) + 6 * 160) & 0xFFFFFFFFL, RtpHeader.timestamp(after, 0),
                "the timestamp tells the pause");
        assertTrue(RtpHeader.marker(after, 0));
    }

    @Test
    void frameBasedCodecsSendEachFrameAndSkipEmptyOnes() {
        RtpPacketizer p = new RtpPacketizer(111, 0, 960, 400);
        p.add(frame(1, 57), 57, scratch, sink);
        p.add(frame(2, 0), 0, scratch, sink);
        p.add(frame(3, 90), 90, scratch, sink);
        assertEquals(2, sent.size());
        assertEquals(RtpHeader.FIXED_SIZE + 57, sent.get(0).length);
        assertEquals(RtpHeader.FIXED_SIZE + 90, sent.get(1).length);
        assertEquals(111, RtpHeader.payloadType(sent.get(1), 0));
    }

    @Test
    void ptime30WithG711KeepsTheRemainderForTheNextPacket() {
        RtpPacketizer p = new RtpPacketizer(8, 240, 240, 160);
        for (int f = 0; f < 3; f++) {
            p.add(frame(f, 160), 160, scratch, sink);
        }
        assertEquals(2, sent.size(), "three 20 ms frames are two 30 ms packets");
        assertEquals(RtpHeader.FIXED_SIZE + 240, sent.get(1).length);
        assertEquals(1, sent.get(1)[RtpHeader.FIXED_SIZE], "the second packet starts with the middle frame's rest");
        assertEquals(2, sent.get(1)[RtpHeader.FIXED_SIZE + 80]);
    }
}
