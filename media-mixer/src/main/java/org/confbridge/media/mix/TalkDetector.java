package org.confbridge.media.mix;

/**
 * Decides per frame whether a leg is talking, by frame energy with hysteresis: it starts talking
 * above {@code onLevel}, and stops only after {@code hangFrames} frames below {@code offLevel}, so
 * word gaps and soft syllables are not cut. Legs that are not talking are not summed, which keeps
 * line noise of silent callers out of the mix and makes a large room cheap.
 */
public final class TalkDetector {
    /** -50 dBFS mean absolute level: clearly above G.711 idle noise, well below soft speech. */
    public static final int DEFAULT_ON_LEVEL = 100;
    public static final int DEFAULT_OFF_LEVEL = 60;
    public static final int DEFAULT_HANG_FRAMES = 15;

    private final int onLevel;
    private final int offLevel;
    private final int hangFrames;
    private boolean talking;
    private int quietFrames;
    private int lastLevel;
    private int loudness;

    public TalkDetector() {
        this(DEFAULT_ON_LEVEL, DEFAULT_OFF_LEVEL, DEFAULT_HANG_FRAMES);
    }

    public TalkDetector(int onLevel, int offLevel, int hangFrames) {
        this.onLevel = onLevel;
        this.offLevel = offLevel;
        this.hangFrames = hangFrames;
    }

    /** Updates with one frame and returns whether the leg counts as talking. */
    public boolean update(short[] frame, int off, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            int s = frame[off + i];
            sum += s < 0 ? -s : s;
        }
        lastLevel = n == 0 ? 0 : (int) (sum / n);
        return update(lastLevel);
    }

    /** Updates with a frame's level known without its samples ({@code AudioDecoder.meanLevel}). */
    public boolean updateLevel(int level) {
        lastLevel = level;
        return update(level);
    }

    /** The level from which a frame starts talk: below it, a leg that is not talking stays so. */
    public int onLevel() {
        return onLevel;
    }

    /** Updates with a frame known to be silent (no audio arrived). */
    public boolean updateSilent() {
        lastLevel = 0;
        return update(0);
    }

    private boolean update(int level) {
        // About 160 ms of memory: a voice's loudness, not one syllable's.
        loudness += (level - loudness) >> 3;
        if (level >= onLevel) {
            talking = true;
            quietFrames = 0;
        } else if (talking) {
            if (level < offLevel) {
                if (++quietFrames >= hangFrames) {
                    talking = false;
                }
            } else {
                quietFrames = 0;
            }
        }
        return talking;
    }

    public boolean talking() {
        return talking;
    }

    /** Mean absolute sample level, smoothed over the last ~160 ms. */
    public int loudness() {
        return loudness;
    }

    /** Mean absolute sample value of the last frame. */
    public int lastLevel() {
        return lastLevel;
    }
}
