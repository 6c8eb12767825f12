package org.confbridge.media.codec;

/** Encodes 16-bit PCM at {@link #sampleRate()} into an RTP payload. */
public interface AudioEncoder {
    int sampleRate();

    /** Encodes {@code samples} samples; returns the number of payload bytes written. */
    int encode(short[] pcm, int off, int samples, byte[] out, int outOff);

    /** Payload bytes per second of audio for sample-oriented codecs, used to packetize any ptime. */
    int bytesPerSecond();
}
