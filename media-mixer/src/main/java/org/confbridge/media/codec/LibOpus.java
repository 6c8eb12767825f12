package org.confbridge.media.codec;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;

/**
 * Opus through the system's libopus ({@code libopus.so.0}, Debian package {@code libopus0}), the
 * reference implementation, called through JNA. The frame calls are direct-mapped and pass
 * preallocated native buffers, so a frame allocates nothing on the Java heap. Each state is freed
 * by {@link Encoder#close()} / {@link Decoder#close()}, or at the latest when it becomes
 * unreachable.
 */
final class LibOpus {
    private static final int OPUS_OK = 0;
    private static final int OPUS_APPLICATION_VOIP = 2048;
    private static final int OPUS_SET_BITRATE = 4002;
    private static final int OPUS_SET_COMPLEXITY = 4010;
    private static final int OPUS_SET_INBAND_FEC = 4012;
    private static final int OPUS_SET_PACKET_LOSS_PERC = 4014;
    private static final int OPUS_SET_SIGNAL = 4024;
    private static final int OPUS_SIGNAL_VOICE = 3001;
    /** 120 ms at 48 kHz: the longest an Opus packet decodes to. */
    private static final int MAX_SAMPLES = 5760;
    private static final int MAX_PACKET = 1500;

    private static final Cleaner CLEANER = Cleaner.create();
    private static Variadic variadic;
    private static final String UNAVAILABLE = load();

    private LibOpus() {
    }

    /** Null when libopus is loaded; else why it is not (e.g. not installed). */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** The loaded library's own version string, e.g. "libopus 1.3.1". */
    static String version() {
        return UNAVAILABLE == null ? opus_get_version_string() : null;
    }

    private static String load() {
        NativeLibrary lib;
        try {
            lib = NativeLibrary.getInstance("opus");
        } catch (UnsatisfiedLinkError first) {
            try {
                // Only the runtime package installed: no unversioned libopus.so link.
                lib = NativeLibrary.getInstance("libopus.so.0");
            } catch (UnsatisfiedLinkError e) {
                return "libopus.so.0 not found (Debian/Ubuntu: apt-get install libopus0)";
            }
        }
        try {
            Native.register(LibOpus.class, lib);
            variadic = Native.load(lib.getFile().getPath(), Variadic.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "libopus at " + lib.getFile() + " cannot be used: " + e.getMessage();
        }
        return null;
    }

    private static native Pointer opus_encoder_create(int fs, int channels, int application, int[] error);

    private static native int opus_encode(Pointer st, Pointer pcm, int frameSize, Pointer data, int maxDataBytes);

    private static native void opus_encoder_destroy(Pointer st);

    private static native Pointer opus_decoder_create(int fs, int channels, int[] error);

    private static native int opus_decode(Pointer st, Pointer data, int len, Pointer pcm, int frameSize, int decodeFec);

    private static native void opus_decoder_destroy(Pointer st);

    private static native String opus_strerror(int error);

    private static native String opus_get_version_string();

    /** {@code opus_encoder_ctl} takes variable arguments, which JNA's direct mapping cannot pass. */
    private interface Variadic extends Library {
        int opus_encoder_ctl(Pointer st, int request, Object... args);
    }

    private static void check(int result, String what) {
        if (result < OPUS_OK) {
            throw new IllegalStateException("libopus: " + what + ": " + opus_strerror(result));
        }
    }

    /** A native state and how to free it, once: by close, or by the cleaner when forgotten. */
    private static final class State implements Runnable {
        private final boolean encoder;
        volatile Pointer pointer;

        State(Pointer pointer, boolean encoder) {
            this.pointer = pointer;
            this.encoder = encoder;
        }

        @Override
        public void run() {
            Pointer p = pointer;
            pointer = null;
            if (p != null) {
                if (encoder) {
                    opus_encoder_destroy(p);
                } else {
                    opus_decoder_destroy(p);
                }
            }
        }
    }

    /** One encoder or decoder: its native state, and the native buffers its frames pass through. */
    private abstract static class Stream {
        final State state;
        private final Cleaner.Cleanable cleanable;
        final Memory pcm = new Memory(2L * MAX_SAMPLES);
        final Memory packet = new Memory(MAX_PACKET);

        Stream(Pointer st, boolean encoder) {
            state = new State(st, encoder);
            cleanable = CLEANER.register(this, state);
        }

        public void close() {
            cleanable.clean();
        }
    }

    static final class Encoder extends Stream implements OpusLibrary.Encoder {
        Encoder(int rate, int bitrate) {
            super(createEncoder(rate), true);
            Pointer st = state.pointer;
            check(variadic.opus_encoder_ctl(st, OPUS_SET_BITRATE, bitrate), "bit rate " + bitrate);
            check(variadic.opus_encoder_ctl(st, OPUS_SET_SIGNAL, OPUS_SIGNAL_VOICE), "signal type");
            check(variadic.opus_encoder_ctl(st, OPUS_SET_COMPLEXITY, OpusLibrary.COMPLEXITY), "complexity");
            check(variadic.opus_encoder_ctl(st, OPUS_SET_INBAND_FEC, 1), "in-band FEC");
            check(variadic.opus_encoder_ctl(st, OPUS_SET_PACKET_LOSS_PERC, OpusLibrary.EXPECTED_LOSS_PERCENT),
                    "expected loss");
        }

        private static Pointer createEncoder(int rate) {
            int[] error = new int[1];
            Pointer st = opus_encoder_create(rate, 1, OPUS_APPLICATION_VOIP, error);
            check(error[0], "encoder at " + rate + " Hz");
            return st;
        }

        @Override
        public int encode(short[] in, int off, int samples, byte[] out, int outOff, int max) {
            Pointer st = state.pointer;
            if (st == null || samples > MAX_SAMPLES) {
                return -1;
            }
            pcm.write(0, in, off, samples);
            int n = opus_encode(st, pcm, samples, packet, Math.min(max, MAX_PACKET));
            if (n > 0) {
                packet.read(0, out, outOff, n);
            }
            return n;
        }
    }

    static final class Decoder extends Stream implements OpusLibrary.Decoder {
        Decoder(int rate) {
            super(createDecoder(rate), false);
        }

        private static Pointer createDecoder(int rate) {
            int[] error = new int[1];
            Pointer st = opus_decoder_create(rate, 1, error);
            check(error[0], "decoder at " + rate + " Hz");
            return st;
        }

        @Override
        public int decode(byte[] data, int off, int len, short[] out, int outOff, int frameSize, boolean fec) {
            Pointer st = state.pointer;
            if (st == null || len > MAX_PACKET) {
                return -1;
            }
            int frame = Math.min(frameSize, MAX_SAMPLES);
            if (data != null) {
                packet.write(0, data, off, len);
            }
            int n = opus_decode(st, data == null ? null : packet, data == null ? 0 : len, pcm, frame, fec ? 1 : 0);
            if (n > 0) {
                pcm.read(0, out, outOff, n);
            }
            return n;
        }
    }
}
