package org.confbridge.media.room;

import org.confbridge.media.audio.MixRecorder;

/** The room's recording: at most one recorder fed the full mix each tick, and how far it has got. The room's loop. */
final class MixRecording {
    private MixRecorder recorder;
    /** Frames handed to the current recording since it began: where a late participant's track starts. */
    private long frames;

    /** Feeds {@code next} from now on; the recorder before, if any, is stopped. */
    void start(MixRecorder next) {
        stop();
        recorder = next;
        frames = 0;
    }

    void stop() {
        if (recorder != null) {
            recorder.stop();
            recorder = null;
        }
    }

    boolean running() {
        return recorder != null;
    }

    /** This tick's full mix. */
    void offer(short[] mix) {
        recorder.offer(mix);
        frames++;
    }

    long frames() {
        return frames;
    }
}
