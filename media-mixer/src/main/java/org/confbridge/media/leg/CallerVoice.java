package org.confbridge.media.leg;

import java.util.List;
import org.confbridge.media.codec.AudioDecoder;
import org.confbridge.media.dtmf.InbandDtmfDetector;
import org.confbridge.media.jitter.JitterBuffer;
import org.confbridge.media.jitter.Playout;
import org.confbridge.media.mix.TalkDetector;
import org.confbridge.media.mix.TalkTimeline;

/**
 * A leg's "decode and level" stage: each tick it plays the caller's next frame out of the jitter
 * buffer, decoding only what may be heard, and tells whether the caller is talking. Keypad tones
 * in the audio (G.711 callers without telephone-event) are found here and kept out of the talk.
 * Keeps the talk time and the timeline of turns. The leg's loop only.
 */
public final class CallerVoice {
    private final AudioDecoder decoder;
    private final TalkDetector talk = new TalkDetector();
    /** Keypad tones in the audio; null where the caller negotiated telephone-event or is not narrowband. */
    private final InbandDtmfDetector inband;
    private final TalkTimeline timeline = new TalkTimeline();
    private volatile long talkFrames;
    private boolean spokeLastTick;
    private boolean decodedNow;
    private char key;

    public CallerVoice(AudioDecoder decoder, InbandDtmfDetector inband) {
        this.decoder = decoder;
        this.inband = inband;
    }

    /**
     * The level below which the caller's next packet plays undecoded, only its level counted. A
     * caller who is not talking is heard by no one: a packet too quiet to start talk (the usual
     * listener of a large room, sending line noise). A talker the room's cap leaves out
     * ({@code leftOut}) needs only its level too, until it is chosen.
     */
    public int quietBelow(boolean leftOut) {
        return !talk.talking() ? talk.onLevel() : leftOut ? Integer.MAX_VALUE : 0;
    }

    /**
     * The level of a packet's payload while its bytes are at hand, so that a packet the tick will
     * not decode is not even kept; -1 (unknown) means "decode it".
     */
    public int packetLevel(byte[] buf, int off, int len, int quietBelow) {
        return inband == null && quietBelow > 0 ? decoder.meanLevel(buf, off, len) : -1;
    }

    /**
     * Plays this tick's frame out of {@code jitter} into {@code frame[0..n)} and answers whether
     * the caller's voice is in it. {@link #decodedNow()} and {@link #keyPressed()} tell more.
     */
    public boolean pull(JitterBuffer jitter, short[] frame, int n, int quietBelow) {
        key = 0;
        Playout read = jitter.read(decoder, frame, 0, n, quietBelow);
        decodedNow = read != Playout.QUIET;
        if (!decodedNow) {
            return talk.updateLevel(jitter.quietLevel());
        }
        boolean audio = read == Playout.AUDIO;
        if (inband != null && audio) {
            key = inband.process(frame, 0);
        }
        boolean voice = audio ? talk.update(frame, 0, n) : talk.updateSilent();
        // Keypad tones are commands, not conversation: they never reach the others.
        return voice && !(inband != null && inband.toneInLastBlock());
    }

    /** Whether the last {@link #pull} decoded audio into the frame (a level alone cannot be mixed). */
    public boolean decodedNow() {
        return decodedNow;
    }

    /** A key the last {@link #pull} found in the audio, or 0. */
    public char keyPressed() {
        return key;
    }

    /**
     * The tick's verdict on the caller ({@code frame}: the tick's number, 20 ms apart): talking in
     * the room, or not. Only a change reaches the timeline, so a silent leg touches nothing more.
     */
    public void verdict(boolean speaking, long frame) {
        if (speaking) {
            talkFrames++;
        }
        if (speaking != spokeLastTick) {
            spokeLastTick = speaking;
            if (speaking) {
                timeline.started(frame);
            } else {
                timeline.stopped(frame);
            }
        }
    }

    /** How loud the caller is, smoothed, for choosing who is mixed. */
    public int loudness() {
        return talk.loudness();
    }

    /** Seconds counted as talking. */
    public double talkSeconds() {
        return talkFrames * 0.02;
    }

    /** The turns talked, in seconds since frame {@code origin}, up to frame {@code now}. */
    public List<double[]> intervals(long origin, long now) {
        return timeline.intervals(origin, now);
    }

    /** Frees the decoder's native state. */
    public void close() {
        decoder.close();
    }
}
