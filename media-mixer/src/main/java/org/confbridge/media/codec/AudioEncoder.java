package org.confbridge.media.codec;

/** Encodes 16-bit PCM at {@link #sampleRate()} into an RTP payload. */
public interface AudioEncoder extends AudioCodec {
    /** Encodes {@code samples} samples; returns the number of payload bytes written. */
    int encode(short[] pcm, int off, int samples, byte[] out, int outOff);

    /** {@link #bytesPerSecond()} of codecs whose every 20 ms frame is one packet (Opus). */
    int FRAME_BASED = -1;

    /**
     * Payload bytes per second of audio for sample-oriented codecs (G.711, G.722), used to
     * packetize any ptime; {@link #FRAME_BASED} for codecs that make one packet per frame.
     */
    int bytesPerSecond();
}
