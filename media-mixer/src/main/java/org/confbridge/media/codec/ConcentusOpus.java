package org.confbridge.media.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;

/** Opus through Concentus, the pure-Java port of libopus. Its state is ordinary heap memory. */
final class ConcentusOpus {
    private ConcentusOpus() {
    }

    static final class Encoder implements OpusLibrary.Encoder {
        private final io.github.jaredmdobson.concentus.OpusEncoder encoder;

        Encoder(int rate, int bitrate) {
            try {
                encoder = new io.github.jaredmdobson.concentus.OpusEncoder(rate, 1,
                        OpusApplication.OPUS_APPLICATION_VOIP);
            } catch (OpusException e) {
                throw new IllegalArgumentException("Opus cannot run at " + rate + " Hz: " + e.getMessage(), e);
            }
            encoder.setBitrate(bitrate);
            encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
            encoder.setComplexity(OpusLibrary.COMPLEXITY);
            encoder.setUseInbandFEC(true);
            encoder.setPacketLossPercent(OpusLibrary.EXPECTED_LOSS_PERCENT);
        }

        @Override
        public int encode(short[] pcm, int off, int samples, byte[] out, int outOff, int max) {
            try {
                return encoder.encode(pcm, off, samples, out, outOff, max);
            } catch (OpusException | RuntimeException | AssertionError e) {
                return -1;
            }
        }

        @Override
        public void close() {
        }
    }

    static final class Decoder implements OpusLibrary.Decoder {
        private final int rate;
        private io.github.jaredmdobson.concentus.OpusDecoder decoder;

        Decoder(int rate) {
            this.rate = rate;
            this.decoder = newDecoder(rate);
        }

        private static io.github.jaredmdobson.concentus.OpusDecoder newDecoder(int rate) {
            try {
                return new io.github.jaredmdobson.concentus.OpusDecoder(rate, 1);
            } catch (OpusException e) {
                throw new IllegalArgumentException("Opus cannot run at " + rate + " Hz: " + e.getMessage(), e);
            }
        }

        @Override
        public int decode(byte[] data, int off, int len, short[] out, int outOff, int frameSize, boolean fec) {
            try {
                return decoder.decode(data, off, len, out, outOff, frameSize, fec);
            } catch (OpusException e) {
                return -1; // a packet it rejects: lost
            } catch (RuntimeException | AssertionError e) {
                // Concentus's internal checks throw AssertionError, whatever -ea says, and a crafted
                // packet reaches some of them. Its state is then unknown: start a fresh one.
                decoder = newDecoder(rate);
                return -1;
            }
        }

        @Override
        public void close() {
        }
    }
}
