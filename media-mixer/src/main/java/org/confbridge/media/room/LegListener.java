package org.confbridge.media.room;

/**
 * Events of one media leg, delivered on the leg's room loop. Implementations must not block: hand
 * anything slow to another thread.
 */
public interface LegListener {
    /** A key press detected in the media (RFC 4733 telephone-event). */
    void onDigit(MediaLeg leg, char digit);

    /** A key press detected as tones in the audio (in-band DTMF). */
    default void onInbandDigit(MediaLeg leg, char digit) {
        onDigit(leg, digit);
    }

    /** A clip started with {@link MediaLeg#play} has played to its end. */
    default void onPromptFinished(MediaLeg leg, org.confbridge.media.audio.AudioClip clip) {
    }

    /** No RTP arrived for the configured timeout: the caller is probably gone. */
    default void onMediaTimeout(MediaLeg leg) {
    }

    /** A browser leg's DTLS failed (see {@code MediaLeg.browser}): it cannot carry media, the caller is as good as gone. */
    default void onTransportFailed(MediaLeg leg, String why) {
        onMediaTimeout(leg);
    }
}
