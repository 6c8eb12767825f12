package org.confbridge.media.mix;

import java.util.ArrayDeque;
import org.confbridge.media.audio.AudioClip;

/** Clips played into a whole room, one after another, a frame per tick at the room rate. The room's loop only. */
public final class Announcements {
    private final ArrayDeque<AudioClip> queued = new ArrayDeque<>();
    private final short[] frame;
    private AudioClip playing;
    private int position;

    public Announcements(int frameSamples) {
        this.frame = new short[frameSamples];
    }

    /** Plays {@code clip} after what is queued. */
    public void add(AudioClip clip) {
        queued.add(clip);
    }

    /** This tick's frame of the current announcement, or null when none plays. */
    public short[] nextFrame() {
        if (playing == null) {
            playing = queued.poll();
            position = 0;
            if (playing == null) {
                return null;
            }
        }
        playing.frame(position, frame);
        position += frame.length;
        if (position >= playing.length()) {
            playing = null;
        }
        return frame;
    }
}
