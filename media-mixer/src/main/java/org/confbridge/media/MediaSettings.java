package org.confbridge.media;

import org.confbridge.media.codec.OpusLibrary;
import org.confbridge.media.room.MixSettings;

/**
 * How the media engine runs.
 *
 * @param bindAddress        local address RTP sockets bind to
 * @param rtpPortLow         first port of the RTP range (inclusive)
 * @param rtpPortHigh        last port of the RTP range (inclusive)
 * @param sampleRate         internal mixing rate: 8000, 16000 or 48000
 * @param maxTalkers         most voices mixed at once, the loudest; 0 = everyone who talks
 * @param jitterMinMs        smallest playout delay a leg's jitter buffer aims for
 * @param jitterMaxMs        largest playout delay it aims for
 * @param eventLoops         threads that run rooms; 0 = one per core
 * @param rtpTimeoutSeconds  a leg with no incoming RTP for this long is reported dead (0 = never)
 * @param inbandDtmf         detect keypad tones in the audio of G.711 legs without telephone-event
 * @param realtimePriority   SCHED_FIFO priority of the room threads, 1-99; 0 = normal scheduling
 * @param opusLibrary        the implementation that encodes and decodes Opus; it must be available
 * @param ioUring            each loop hands its wake-up's RTP sends to the kernel in one io_uring
 *                           submission where the kernel allows it (else one system call per packet)
 */
public record MediaSettings(String bindAddress, int rtpPortLow, int rtpPortHigh, int sampleRate, int maxTalkers,
                            int jitterMinMs,
                            int jitterMaxMs,
                            int eventLoops, int rtpTimeoutSeconds, boolean inbandDtmf, int realtimePriority,
                            OpusLibrary opusLibrary, boolean ioUring) {
    public MediaSettings {
        if (sampleRate != 8000 && sampleRate != 16000 && sampleRate != 48000) {
            throw new IllegalArgumentException("sample rate must be 8000, 16000 or 48000: " + sampleRate);
        }
        if (maxTalkers < 0) {
            throw new IllegalArgumentException("max talkers must be 0 or more: " + maxTalkers);
        }
        if (rtpPortLow < 1 || rtpPortHigh > 65535 || rtpPortHigh <= rtpPortLow) {
            throw new IllegalArgumentException("bad RTP port range " + rtpPortLow + "-" + rtpPortHigh);
        }
        if (realtimePriority < 0 || realtimePriority > 99) {
            throw new IllegalArgumentException("real-time priority must be 0-99: " + realtimePriority);
        }
        if (opusLibrary.unavailableReason() != null) {
            throw new IllegalArgumentException("Opus library " + opusLibrary.spelling() + ": "
                    + opusLibrary.unavailableReason());
        }
    }

    /** Samples in one 20 ms mixing frame. */
    public int frameSamples() {
        return sampleRate / 50;
    }

    /** What reaches inside a room: its mix and its legs. */
    public MixSettings mix() {
        return new MixSettings(sampleRate, maxTalkers, jitterMinMs, jitterMaxMs, rtpTimeoutSeconds, inbandDtmf,
                opusLibrary);
    }
}
