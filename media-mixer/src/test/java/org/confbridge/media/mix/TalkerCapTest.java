package org.confbridge.media.mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TalkerCapTest {
    @Test
    void newVoicesFillThePlacesLoudestFirst() {
        int[] loud = {100, 400, 300, 200};
        boolean[] heard = new boolean[4];
        boolean[] contributing = {true, true, true, true};
        assertEquals(-1, TalkerCap.choose(4, 2, loud, heard, contributing));
        assertArrayEquals(new boolean[] {false, true, true, false}, heard);
        assertArrayEquals(new boolean[] {false, true, true, false}, contributing);
    }

    @Test
    void aVoiceHeardKeepsItsPlaceAgainstALouderNewcomerUnderTwiceAsLoud() {
        int[] loud = {100, 150, 190};
        boolean[] heard = {true, true, false};
        boolean[] contributing = {true, true, true};
        assertEquals(-1, TalkerCap.choose(3, 2, loud, heard, contributing));
        assertArrayEquals(new boolean[] {true, true, false}, heard);
        assertArrayEquals(new boolean[] {true, true, false}, contributing);
    }

    @Test
    void aNewcomerTwiceAsLoudTakesTheQuietestPlaceWhichFadesOut() {
        int[] loud = {100, 300, 250};
        boolean[] heard = {true, true, false};
        boolean[] contributing = {true, true, true};
        assertEquals(0, TalkerCap.choose(3, 2, loud, heard, contributing), "the quietest fades");
        assertArrayEquals(new boolean[] {false, true, true}, heard);
        assertArrayEquals(new boolean[] {true, true, true}, contributing, "the fading voice is in this mix once more");
    }

    @Test
    void aVoiceChosenWithoutThisTicksAudioIsMixedFromTheNextTick() {
        int[] loud = {100, 300, 250};
        boolean[] heard = {true, true, false};
        boolean[] contributing = {true, true, false}; // left out last tick: not decoded
        TalkerCap.choose(3, 2, loud, heard, contributing);
        assertArrayEquals(new boolean[] {false, true, true}, heard);
        assertArrayEquals(new boolean[] {true, true, false}, contributing);
    }

    @Test
    void aReplacedVoiceWithoutAudioDoesNotFade() {
        int[] loud = {100, 300, 250};
        boolean[] heard = {true, true, false};
        boolean[] contributing = {false, true, true};
        assertEquals(-1, TalkerCap.choose(3, 2, loud, heard, contributing));
        assertArrayEquals(new boolean[] {false, true, true}, contributing);
    }
}
