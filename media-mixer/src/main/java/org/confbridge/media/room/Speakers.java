package org.confbridge.media.room;

import java.util.Arrays;
import org.confbridge.media.mix.Fade;
import org.confbridge.media.mix.TalkerCap;

/**
 * The legs that speak in this tick, and, where more speak than the room mixes, which of them are
 * heard ({@link TalkerCap}). Grows to the most that ever spoke at once, then allocates nothing.
 * The room's loop.
 */
final class Speakers {
    private MediaLeg[] legs = new MediaLeg[16];
    /** The talker cap's view of {@link #legs}: grown with it, never per tick. */
    private int[] loudness = new int[16];
    private boolean[] heard = new boolean[16];
    private boolean[] contributing = new boolean[16];
    private int count;

    void add(MediaLeg leg) {
        if (count == legs.length) {
            legs = Arrays.copyOf(legs, count * 2);
        }
        legs[count++] = leg;
    }

    int count() {
        return count;
    }

    MediaLeg get(int i) {
        return legs[i];
    }

    /** The tick is over: no leg is held until the next. */
    void clear() {
        Arrays.fill(legs, 0, count, null);
        count = 0;
    }

    /**
     * Each speaker's place in this tick's mix: where more than {@code max} speak, the cap chooses
     * who is heard and a replaced voice fades out; otherwise everyone who decoded audio is.
     */
    void choose(int max) {
        if (max <= 0 || count <= max) {
            for (int i = 0; i < count; i++) {
                MediaLeg leg = legs[i];
                leg.chosen(true, leg.contributing());
            }
            return;
        }
        if (loudness.length < count) {
            loudness = new int[legs.length];
            heard = new boolean[legs.length];
            contributing = new boolean[legs.length];
        }
        for (int i = 0; i < count; i++) {
            MediaLeg leg = legs[i];
            loudness[i] = leg.loudness();
            heard[i] = leg.heard();
            contributing[i] = leg.contributing();
        }
        int fading = TalkerCap.choose(count, max, loudness, heard, contributing);
        for (int i = 0; i < count; i++) {
            legs[i].chosen(heard[i], contributing[i]);
        }
        if (fading >= 0) {
            Fade.out(legs[fading].decoded());
        }
    }
}
