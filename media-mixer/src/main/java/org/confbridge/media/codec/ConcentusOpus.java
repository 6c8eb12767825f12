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

    /**
     * Concentus decodes a stream encoded above its own rate (a browser's fullband Opus, CELT or
     * hybrid frames) to silence below 48 kHz, where libopus does not: it always decodes at 48 kHz
     * here, and the audio is brought down to the room's rate.
     */
    static final class Decoder implements OpusLibrary.Decoder {
        private static final int FULL_RATE = 48000;
        /** 120 ms at 48 kHz: Opus's longest packet. */
        private static final int MAX_FULL_FRAME = 5760;
        private final int ratio;
        private final short[] full;
        private final Resampler down;
        private io.github.jaredmdobson.concentus.OpusDecoder decoder;

        Decoder(int rate) {
            if (FULL_RATE % rate != 0) {
                throw new IllegalArgumentException("Opus cannot run at " + rate + " Hz");
            }
            this.ratio = FULL_RATE / rate;
            this.full = ratio == 1 ? null : new short[MAX_FULL_FRAME];
            this.down = ratio == 1 ? null : new Resampler(FULL_RATE, rate, MAX_FULL_FRAME);
            this.decoder = newDecoder();
        }

        private static io.github.jaredmdobson.concentus.OpusDecoder newDecoder() {
            try {
                return new io.github.jaredmdobson.concentus.OpusDecoder(FULL_RATE, 1);
            } catch (OpusException e) {
                throw new IllegalStateException("Concentus cannot decode at 48 kHz: " + e.getMessage(), e);
            }
        }

        @Override
        public int decode(byte[] data, int off, int len, short[] out, int outOff, int frameSize, boolean fec) {
            try {
                if (ratio == 1) {
                    return decoder.decode(data, off, len, out, outOff, frameSize, fec);
                }
                int n = decoder.decode(data, off, len, full, 0, Math.min(MAX_FULL_FRAME, frameSize * ratio), fec);
                return n < 0 ? n : down.process(full, 0, n, out, outOff);
            } catch (OpusException e) {
                return -1; // a packet it rejects: lost
            } catch (RuntimeException | AssertionError e) {
                // Concentus's internal checks throw AssertionError, whatever -ea says, and a crafted
                // packet reaches some of them. Its state is then unknown: start a fresh one.
                decoder = newDecoder();
                if (down != null) {
                    down.reset();
                }
                return -1;
            }
        }

        @Override
        public void close() {
        }
    }
}
