package org.confbridge.media.leg;

import java.util.Arrays;
import org.confbridge.media.audio.MixRecorder;
import org.confbridge.media.codec.Resampler;

/**
 * A participant's own voice, recorded apart from the room's mix: each tick's decoded frame,
 * brought from the leg's codec rate to the recording's, or silence where nothing was decoded.
 * Lives on the room's loop.
 */
public final class OwnTrack {
    private final MixRecorder recorder;
    private final short[] frame;
    private Resampler resampler;

    /** Feeds {@code recorder} from a leg whose audio is decoded at {@code codecRate}, {@code codecFrame} samples a tick. */
    public OwnTrack(MixRecorder recorder, int codecRate, int codecFrame) {
        this.recorder = recorder;
        this.frame = new short[recorder.sampleRate() / 50];
        this.resampler = new Resampler(codecRate, recorder.sampleRate(), codecFrame);
    }

    /** The leg's codec changed: its frames now come at {@code codecRate}. */
    public void codecChanged(int codecRate, int codecFrame) {
        resampler = new Resampler(codecRate, recorder.sampleRate(), codecFrame);
    }

    /**
     * This tick's voice: {@code n} samples of {@code decoded} where {@code voiced}, else silence.
     * Returns false once the recording has stopped and finished: the leg then drops the track.
     */
    public boolean offer(short[] decoded, int n, boolean voiced) {
        if (recorder.result().isDone()) {
            return false;
        }
        if (voiced) {
            resampler.process(decoded, 0, n, frame, 0);
        } else {
            Arrays.fill(frame, (short) 0);
        }
        recorder.offer(frame);
        return true;
    }

    /** The participant left: the track is complete. */
    public void stop() {
        recorder.stop();
    }
}
