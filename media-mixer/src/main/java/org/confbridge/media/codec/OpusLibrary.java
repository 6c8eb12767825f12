package org.confbridge.media.codec;

import java.util.Locale;

/**
 * Which implementation of the Opus reference codec runs the bridge's Opus streams: Concentus, a
 * pure-Java port (the default: nothing to install), or the system's libopus (Debian's
 * {@code libopus0}), which encodes about three times faster and allocates nothing per frame.
 */
public enum OpusLibrary {
    CONCENTUS("concentus") {
        @Override
        Encoder encoder(int rate, int bitrate) {
            return new ConcentusOpus.Encoder(rate, bitrate);
        }

        @Override
        Decoder decoder(int rate) {
            return new ConcentusOpus.Decoder(rate);
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public String version() {
            return "Concentus (pure Java)";
        }
    },
    LIBOPUS("libopus") {
        @Override
        Encoder encoder(int rate, int bitrate) {
            return new LibOpus.Encoder(rate, bitrate);
        }

        @Override
        Decoder decoder(int rate) {
            return new LibOpus.Decoder(rate);
        }

        @Override
        public String unavailableReason() {
            return LibOpus.unavailableReason();
        }

        @Override
        public String version() {
            return LibOpus.version();
        }
    };

    /** Encoder settings for speech, the same for both implementations. */
    static final int COMPLEXITY = 5;
    static final int EXPECTED_LOSS_PERCENT = 5;

    private final String spelling;

    OpusLibrary(String spelling) {
        this.spelling = spelling;
    }

    /** The name in configuration: {@code concentus} or {@code libopus}. */
    public String spelling() {
        return spelling;
    }

    /** The implementation named {@code name} (case-insensitive). */
    public static OpusLibrary named(String name) {
        for (OpusLibrary l : values()) {
            if (l.spelling.equalsIgnoreCase(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no Opus library '" + name.toLowerCase(Locale.ROOT)
                + "': concentus | libopus");
    }

    /** What runs, for the log: e.g. "libopus 1.3.1" (null when unavailable). */
    public abstract String version();

    /** Why this implementation cannot run here (e.g. libopus is not installed), or null when it can. */
    public abstract String unavailableReason();

    /**
     * A mono VoIP encoder at {@code rate} producing {@code bitrate} bit/s, with in-band FEC for
     * {@link #EXPECTED_LOSS_PERCENT} loss.
     */
    abstract Encoder encoder(int rate, int bitrate);

    /** A mono decoder at {@code rate} (a stereo stream is down-mixed). */
    abstract Decoder decoder(int rate);

    /** One encoder state. */
    interface Encoder {
        /** Encodes one frame into at most {@code max} bytes; the payload length, or negative on error. */
        int encode(short[] pcm, int off, int samples, byte[] out, int outOff, int max);

        void close();
    }

    /** One decoder state. */
    interface Decoder {
        /**
         * Decodes a packet, or conceals a lost one when {@code data} is null, or rebuilds the one
         * before from its FEC when {@code fec}; the number of samples, or negative on error.
         */
        int decode(byte[] data, int off, int len, short[] out, int outOff, int frameSize, boolean fec);

        void close();
    }
}
