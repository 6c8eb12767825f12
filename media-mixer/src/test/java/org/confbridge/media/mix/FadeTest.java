package org.confbridge.media.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FadeTest {
    @Test
    void rampsRunFromNearSilenceToFullOverOneFrameWithoutSteps() {
        short[] in = constant(16000);
        Fade.in(in);
        assertEquals(100, in[0]);
        assertEquals(16000, in[159]);
        short[] out = constant(-16000);
        Fade.out(out);
        assertEquals(-15900, out[0]);
        assertEquals(0, out[159]);
        for (int i = 1; i < 160; i++) {
            assertTrue(in[i] - in[i - 1] == 100 && out[i] - out[i - 1] == 100, "a straight ramp at " + i);
        }
    }

    /** One voice fading out while another fades in keeps the level: the two gains add up to one. */
    @Test
    void aCrossFadeKeepsTheLevel() {
        short[] a = constant(12000);
        short[] b = constant(12000);
        Fade.out(a);
        Fade.in(b);
        for (int i = 0; i < 160; i++) {
            assertEquals(12000, a[i] + b[i], 1, "sample " + i);
        }
    }

    private static short[] constant(int v) {
        short[] f = new short[160];
        java.util.Arrays.fill(f, (short) v);
        return f;
    }
}
