package org.confbridge.media.dtmf;

/**
 * Detects keypad tones in 8 kHz audio (callers whose gateway sends DTMF in-band), with the
 * checks of ITU-T Q.24 so that speech and music do not trigger it. Each 20 ms block (160
 * samples) is analysed with the Goertzel algorithm at the eight DTMF frequencies; a block holds
 * a key when
 * <ul>
 *   <li>the strongest row and column tones are both loud enough,</li>
 *   <li>their levels differ by no more than the allowed twist (column up to 4 dB above the row,
 *       or up to 8 dB below),</li>
 *   <li>each is at least 8 dB above the other tones of its group,</li>
 *   <li>the two tones carry most of the block's energy, and the column tone's second harmonic
 *       does not (voiced speech is rich in harmonics, a DTMF generator is not). The row tones'
 *       harmonics fall next to the column tones, where a 20 ms block cannot tell them apart, so
 *       only the column's is checked.</li>
 * </ul>
 * A key is reported after two such blocks in a row (40 ms, Q.24's minimum duration) and only
 * again after a pause. Allocates nothing; one instance per leg.
 */
public final class InbandDtmfDetector {
    public static final int BLOCK = 160;
    private static final double[] ROWS = {697, 770, 852, 941};
    private static final double[] COLS = {1209, 1336, 1477, 1633};
    private static final char[][] KEYS = {
        {'1', '2', '3', 'A'}, {'4', '5', '6', 'B'}, {'7', '8', '9', 'C'}, {'*', '0', '#', 'D'}};
    private static final double[] ROW_COEFF = coefficients(ROWS, 1);
    private static final double[] COL_COEFF = coefficients(COLS, 1);
    private static final double[] COL_HARMONIC = coefficients(COLS, 2);

    /** Goertzel power of a tone of amplitude ~400 (about -38 dBm0) over one block. */
    private static final double MIN_TONE_POWER = Math.pow(400 * BLOCK / 2.0, 2);
    private static final double NORMAL_TWIST = Math.pow(10, 4 / 10.0);
    private static final double REVERSE_TWIST = Math.pow(10, 8 / 10.0);
    private static final double RELATIVE_PEAK = Math.pow(10, 8 / 10.0);
    private static final double MIN_TONE_SHARE = 0.8;
    private static final double MAX_HARMONIC = Math.pow(10, -20 / 10.0);

    private final double[] rowPower = new double[4];
    private final double[] colPower = new double[4];
    private char candidate;
    private int candidateBlocks;
    private char reported;

    /** Whether the last block held a keypad tone (confirmed or not): such audio is kept out of the mix. */
    public boolean toneInLastBlock() {
        return candidate != 0;
    }

    /**
     * Analyses one block of {@link #BLOCK} samples.
     *
     * @return the key when a new key press is recognised, else 0
     */
    public char process(short[] s, int off) {
        double energy = 0;
        for (int i = 0; i < BLOCK; i++) {
            energy += (double) s[off + i] * s[off + i];
        }
        char key = analyse(s, off, energy);
        if (key == 0) {
            candidate = 0;
            candidateBlocks = 0;
            reported = 0; // a pause: the same key may come again
            return 0;
        }
        if (key != candidate) {
            candidate = key;
            candidateBlocks = 1;
            return 0;
        }
        candidateBlocks++;
        if (candidateBlocks >= 2 && reported != key) {
            reported = key;
            return key;
        }
        return 0;
    }

    private char analyse(short[] s, int off, double energy) {
        if (energy < MIN_TONE_POWER * 2 / BLOCK) {
            return 0;
        }
        int row = strongest(s, off, ROW_COEFF, rowPower);
        int col = strongest(s, off, COL_COEFF, colPower);
        double r = rowPower[row];
        double c = colPower[col];
        if (r < MIN_TONE_POWER || c < MIN_TONE_POWER) {
            return 0;
        }
        if (c > r * NORMAL_TWIST || r > c * REVERSE_TWIST) {
            return 0;
        }
        for (int i = 0; i < 4; i++) {
            if (i != row && rowPower[i] * RELATIVE_PEAK > r) {
                return 0;
            }
            if (i != col && colPower[i] * RELATIVE_PEAK > c) {
                return 0;
            }
        }
        // Goertzel power of a sine of amplitude A is (A·N/2)²; its block energy is A²·N/2.
        double toneEnergy = (r + c) * 2 / BLOCK;
        if (toneEnergy < MIN_TONE_SHARE * energy) {
            return 0;
        }
        if (goertzel(s, off, COL_HARMONIC[col]) > c * MAX_HARMONIC) {
            return 0;
        }
        return KEYS[row][col];
    }

    private static int strongest(short[] s, int off, double[] coeffs, double[] power) {
        int best = 0;
        for (int i = 0; i < coeffs.length; i++) {
            power[i] = goertzel(s, off, coeffs[i]);
            if (power[i] > power[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double goertzel(short[] s, int off, double coeff) {
        double q1 = 0;
        double q2 = 0;
        for (int i = 0; i < BLOCK; i++) {
            double q0 = coeff * q1 - q2 + s[off + i];
            q2 = q1;
            q1 = q0;
        }
        return q1 * q1 + q2 * q2 - coeff * q1 * q2;
    }

    private static double[] coefficients(double[] freqs, int harmonic) {
        double[] c = new double[freqs.length];
        for (int i = 0; i < freqs.length; i++) {
            c[i] = 2 * Math.cos(2 * Math.PI * freqs[i] * harmonic / 8000);
        }
        return c;
    }
}
