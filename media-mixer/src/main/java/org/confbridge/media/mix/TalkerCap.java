package org.confbridge.media.mix;

/**
 * Which of this tick's talkers a room that mixes at most {@code max} voices lets be heard. Those
 * heard last tick keep their place while they talk (voices do not flicker in and out); free places
 * go to the loudest newcomers; one newcomer twice as loud as the quietest voice heard (+6 dB) takes
 * its place, and the voice it replaces stays in this tick's mix to fade out rather than stop
 * mid-word. A voice chosen without this tick's audio (it was left out, so not decoded) is mixed from
 * the next tick on. Pure: arrays in, arrays out, nothing allocated.
 */
public final class TalkerCap {
    private TalkerCap() {
    }

    /**
     * Chooses among {@code count} talkers (more than {@code max}).
     *
     * @param loudness      each talker's smoothed level
     * @param heard         in: heard last tick; out: heard from now on
     * @param contributing  in: has this tick's audio; out: in this tick's mix
     * @return the talker that lost its place and fades out in this tick's mix, or -1
     */
    public static int choose(int count, int max, int[] loudness, boolean[] heard, boolean[] contributing) {
        int kept = 0;
        int quietest = -1;
        for (int i = 0; i < count; i++) {
            if (heard[i]) {
                kept++;
                if (quietest < 0 || loudness[i] < loudness[quietest]) {
                    quietest = i;
                }
            }
        }
        for (; kept < max; kept++) {
            int loudest = loudestNewcomer(count, loudness, heard);
            if (loudest < 0) {
                break;
            }
            heard[loudest] = true;
            if (quietest < 0 || loudness[loudest] < loudness[quietest]) {
                quietest = loudest;
            }
        }
        int challenger = loudestNewcomer(count, loudness, heard);
        int fading = -1;
        if (challenger >= 0 && quietest >= 0 && loudness[challenger] > 2 * loudness[quietest]) {
            heard[quietest] = false;
            heard[challenger] = true;
            // Only a voice with this tick's audio can fade out (one chosen just now has none yet).
            fading = contributing[quietest] ? quietest : -1;
        }
        for (int i = 0; i < count; i++) {
            contributing[i] &= heard[i];
        }
        if (fading >= 0) {
            contributing[fading] = true;
        }
        return fading;
    }

    private static int loudestNewcomer(int count, int[] loudness, boolean[] heard) {
        int loudest = -1;
        for (int i = 0; i < count; i++) {
            if (!heard[i] && (loudest < 0 || loudness[i] > loudness[loudest])) {
                loudest = i;
            }
        }
        return loudest;
    }
}
