package org.confbridge.media.room;

import org.confbridge.media.codec.OpusLibrary;

/**
 * What a room's mix and its legs run by: the engine's settings that reach inside a room.
 *
 * @param sampleRate        the room's mixing rate: 8000, 16000 or 48000
 * @param maxTalkers        most voices mixed at once, the loudest; 0 = everyone who talks
 * @param jitterMinMs       smallest playout delay a leg's jitter buffer aims for
 * @param jitterMaxMs       largest playout delay it aims for
 * @param rtpTimeoutSeconds a leg with no incoming RTP for this long is reported dead (0 = never)
 * @param inbandDtmf        detect keypad tones in the audio of G.711 legs without telephone-event
 * @param opusLibrary       the implementation that encodes and decodes Opus
 */
public record MixSettings(int sampleRate, int maxTalkers, int jitterMinMs, int jitterMaxMs, int rtpTimeoutSeconds,
                          boolean inbandDtmf, OpusLibrary opusLibrary) {
    /** Samples in one 20 ms mixing frame. */
    public int frameSamples() {
        return sampleRate / 50;
    }
}
