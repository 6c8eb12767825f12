package org.confbridge.media.leg;

import org.confbridge.media.audio.AudioClip;
import org.confbridge.media.codec.Resampler;
import org.confbridge.media.mix.SoftLimiter;

/**
 * A clip played to one caller alone (a private prompt): each tick its next frame, kept at the room
 * rate and brought to the leg's codec rate, goes over the leg's mix or replaces it. The leg's loop
 * only.
 */
public final class PromptOverlay {
    private final short[] roomFrame;
    private final short[] codecFrame;
    private final Resampler resampler;
    private AudioClip clip;
    private int position;
    private boolean loops;

    public PromptOverlay(int roomRate, int codecRate) {
        this.roomFrame = new short[roomRate / 50];
        this.codecFrame = new short[codecRate / 50];
        this.resampler = new Resampler(roomRate, codecRate, roomFrame.length);
    }

    /** The same clip, at the same place, brought to another codec rate (a re-offer changed the codec). */
    public PromptOverlay atRate(int codecRate) {
        PromptOverlay next = new PromptOverlay(roomFrame.length * 50, codecRate);
        next.clip = clip;
        next.position = position;
        next.loops = loops;
        return next;
    }

    /** Starts {@code next} from its beginning, replacing what plays; {@code loop}: over and over. */
    public void start(AudioClip next, boolean loop) {
        clip = next;
        position = 0;
        loops = loop;
        resampler.reset();
    }

    /** Stops at once; no end is reported. */
    public void stop() {
        clip = null;
    }

    public boolean playing() {
        return clip != null;
    }

    /**
     * Puts the next frame into {@code output} (the codec rate): over what is there, or replacing
     * it. Returns the clip when this frame was its last (not for a looped one), else null.
     */
    public AudioClip overlay(short[] output, boolean replace) {
        AudioClip playing = clip;
        int n = roomFrame.length;
        playing.frame(position, roomFrame);
        resampler.process(roomFrame, 0, n, codecFrame, 0);
        for (int i = 0; i < output.length; i++) {
            output[i] = replace ? codecFrame[i] : SoftLimiter.limit(output[i] + codecFrame[i]);
        }
        position += n;
        if (position < playing.length()) {
            return null;
        }
        if (loops) {
            position = 0;
            return null;
        }
        clip = null;
        return playing;
    }
}
