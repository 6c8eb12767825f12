package org.confbridge.media.leg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.confbridge.media.audio.AudioClip;
import org.junit.jupiter.api.Test;

class PromptOverlayTest {
    /** Three frames at the room rate (16 kHz) of a constant level. */
    private static AudioClip clip(int level) {
        short[] s = new short[3 * 320];
        Arrays.fill(s, (short) level);
        return new AudioClip("c", s, 16000);
    }

    @Test
    void replacesInTheLobbyAndGoesOverTheMixInTheRoom() {
        PromptOverlay prompt = new PromptOverlay(16000, 16000);
        prompt.start(clip(1000), false);
        short[] out = new short[320];
        Arrays.fill(out, (short) 500);
        prompt.overlay(out, true);
        assertEquals(1000, out[100], "replaced");
        Arrays.fill(out, (short) 500);
        prompt.overlay(out, false);
        assertEquals(1500, out[100], "added to the conversation");
    }

    @Test
    void reportsItsEndOnceAndThenStops() {
        PromptOverlay prompt = new PromptOverlay(16000, 8000);
        AudioClip c = clip(1000);
        prompt.start(c, false);
        short[] out = new short[160];
        assertNull(prompt.overlay(out, true));
        assertNull(prompt.overlay(out, true));
        assertSame(c, prompt.overlay(out, true));
        assertFalse(prompt.playing());
    }

    @Test
    void aLoopedClipNeverEndsUntilStopped() {
        PromptOverlay prompt = new PromptOverlay(16000, 16000);
        prompt.start(clip(1000), true);
        short[] out = new short[320];
        for (int i = 0; i < 20; i++) {
            assertNull(prompt.overlay(out, true));
        }
        assertTrue(prompt.playing());
        prompt.stop();
        assertFalse(prompt.playing());
    }
}
