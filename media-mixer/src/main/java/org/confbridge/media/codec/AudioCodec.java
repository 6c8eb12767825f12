package org.confbridge.media.codec;

/**
 * What every encoder and decoder has: the rate of its audio, and state that some implementations
 * hold outside the Java heap and must give back when the stream ends.
 */
public interface AudioCodec extends AutoCloseable {
    int sampleRate();

    /**
     * Frees native state, if any. Called on the thread that used the codec, once its stream has
     * ended; the codec is not used afterwards.
     */
    @Override
    default void close() {
    }
}
