package org.confbridge.media.codec;

/**
 * ITU-T G.722 sub-band ADPCM at 64 kbit/s (mode 1): 16 kHz audio, one byte per two samples
 * (6 bits lower band, 2 bits upper band). The blocks are named as in the recommendation
 * (SUBTRA, QUANTL, INVQAL, LOGSCL, SCALEL, and block 4's RECONS, PARREC, UPPOL1/2, UPZERO,
 * DELAYA, FILTEP, FILTEZ, PREDIC); the tables are the recommendation's.
 *
 * <p>One instance is either an encoder or a decoder stream; it keeps ADPCM and QMF state.
 */
final class G722 {
    private static final int[] QMF_COEFFS = {3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11};
    private static final int[] Q6 = {0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
        786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 0, 0};
    private static final int[] ILN = {0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15,
        14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0};
    private static final int[] ILP = {0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43,
        42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0};
    private static final int[] WL = {-60, -30, 58, 172, 334, 538, 1198, 3042};
    private static final int[] RL42 = {0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0};
    private static final int[] ILB = {2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656,
        2714, 2774, 2834, 2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922,
        4008};
    private static final int[] QM4 = {0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288,
        4240, 2584, 1200, 0};
    private static final int[] QM6 = {-136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280,
        -11192, -10232, -9360, -8576, -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776,
        -2400, -2032, -1688, -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360,
        8576, 7856, 7192, 6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728,
        432, 136, -432, -136};
    private static final int[] QM2 = {-7408, -1616, 7408, 1616};
    private static final int[] IHN = {0, 1, 0};
    private static final int[] IHP = {0, 3, 2};
    private static final int[] WH = {0, -214, 798};
    private static final int[] RH2 = {2, 1, 2, 1};

    /** The adaptive predictor and quantizer scale of one sub-band. */
    private static final class Band {
        int s;
        int sp;
        int sz;
        final int[] r = new int[3];
        final int[] a = new int[3];
        final int[] ap = new int[3];
        final int[] p = new int[3];
        final int[] d = new int[7];
        final int[] b = new int[7];
        final int[] bp = new int[7];
        final int[] sg = new int[7];
        int nb;
        int det;
    }

    private final Band low = new Band();
    private final Band high = new Band();
    private final int[] x = new int[24];

    G722() {
        low.det = 32;
        high.det = 8;
    }

    /** Encodes {@code n} (even) samples at 16 kHz into n/2 bytes. */
    int encode(short[] in, int off, int n, byte[] out, int outOff) {
        int o = outOff;
        for (int j = 0; j < n; j += 2) {
            // Transmit QMF: split into lower and upper band at 8 kHz each.
            System.arraycopy(x, 2, x, 0, 22);
            x[22] = in[off + j];
            x[23] = in[off + j + 1];
            int sumEven = 0;
            int sumOdd = 0;
            for (int i = 0; i < 12; i++) {
                sumOdd += x[2 * i] * QMF_COEFFS[i];
                sumEven += x[2 * i + 1] * QMF_COEFFS[11 - i];
            }
            int xlow = (sumEven + sumOdd) >> 14;
            int xhigh = (sumEven - sumOdd) >> 14;

            // Lower band: SUBTRA, QUANTL.
            int el = saturate(xlow - low.s);
            int wd = el >= 0 ? el : -(el + 1);
            int i = 1;
            for (; i < 30; i++) {
                if (wd < (Q6[i] * low.det) >> 12) {
                    break;
                }
            }
            int ilow = el < 0 ? ILN[i] : ILP[i];
            // INVQAL, LOGSCL, SCALEL, block 4.
            int ril = ilow >> 2;
            int dlow = (low.det * QM4[ril]) >> 15;
            low.nb = clamp(((low.nb * 127) >> 7) + WL[RL42[ril]], 0, 18432);
            low.det = scale(low.nb, 8);
            adapt(low, dlow);

            // Upper band: SUBTRA, QUANTH, INVQAH, LOGSCH, SCALEH, block 4.
            int eh = saturate(xhigh - high.s);
            wd = eh >= 0 ? eh : -(eh + 1);
            int mih = wd >= (564 * high.det) >> 12 ? 2 : 1;
            int ihigh = eh < 0 ? IHN[mih] : IHP[mih];
            int dhigh = (high.det * QM2[ihigh]) >> 15;
            high.nb = clamp(((high.nb * 127) >> 7) + WH[RH2[ihigh]], 0, 22528);
            high.det = scale(high.nb, 10);
            adapt(high, dhigh);

            out[o++] = (byte) ((ihigh << 6) | ilow);
        }
        return o - outOff;
    }

    /** Decodes {@code len} bytes into 2·len samples at 16 kHz. */
    int decode(byte[] in, int off, int len, short[] out, int outOff) {
        int o = outOff;
        for (int j = 0; j < len; j++) {
            int code = in[off + j] & 0xFF;
            int ilow = code & 0x3F;
            int ihigh = (code >> 6) & 0x03;

            // Lower band: INVQBL, RECONS, LIMIT; then INVQAL, LOGSCL, SCALEL, block 4.
            int rlow = clamp(low.s + ((low.det * QM6[ilow]) >> 15), -16384, 16383);
            int ril = ilow >> 2;
            int dlowt = (low.det * QM4[ril]) >> 15;
            low.nb = clamp(((low.nb * 127) >> 7) + WL[RL42[ril]], 0, 18432);
            low.det = scale(low.nb, 8);
            adapt(low, dlowt);

            // Upper band: INVQAH, RECONS, LIMIT, LOGSCH, SCALEH, block 4.
            int dhigh = (high.det * QM2[ihigh]) >> 15;
            int rhigh = clamp(dhigh + high.s, -16384, 16383);
            high.nb = clamp(((high.nb * 127) >> 7) + WH[RH2[ihigh]], 0, 22528);
            high.det = scale(high.nb, 10);
            adapt(high, dhigh);

            // Receive QMF: combine the bands back into 16 kHz.
            System.arraycopy(x, 2, x, 0, 22);
            x[22] = rlow + rhigh;
            x[23] = rlow - rhigh;
            int xout1 = 0;
            int xout2 = 0;
            for (int i = 0; i < 12; i++) {
                xout2 += x[2 * i] * QMF_COEFFS[i];
                xout1 += x[2 * i + 1] * QMF_COEFFS[11 - i];
            }
            out[o++] = (short) saturate(xout1 >> 11);
            out[o++] = (short) saturate(xout2 >> 11);
        }
        return o - outOff;
    }

    /** SCALEL/SCALEH: quantizer scale from the log scale factor. */
    private static int scale(int nb, int shift) {
        int wd1 = (nb >> 6) & 31;
        int wd2 = shift - (nb >> 11);
        int wd3 = wd2 < 0 ? ILB[wd1] << -wd2 : ILB[wd1] >> wd2;
        return wd3 << 2;
    }

    /** Block 4: reconstruct, adapt the pole and zero predictor, predict the next sample. */
    private static void adapt(Band b, int d) {
        // RECONS, PARREC
        b.d[0] = d;
        b.r[0] = saturate(b.s + d);
        b.p[0] = saturate(b.sz + d);
        // UPPOL2
        for (int i = 0; i < 3; i++) {
            b.sg[i] = b.p[i] >> 15;
        }
        int wd1 = saturate(b.a[1] << 2);
        int wd2 = b.sg[0] == b.sg[1] ? -wd1 : wd1;
        if (wd2 > 32767) {
            wd2 = 32767;
        }
        int wd3 = (wd2 >> 7) + (b.sg[0] == b.sg[2] ? 128 : -128);
        wd3 += (b.a[2] * 32512) >> 15;
        b.ap[2] = clamp(wd3, -12288, 12288);
        // UPPOL1
        b.sg[0] = b.p[0] >> 15;
        b.sg[1] = b.p[1] >> 15;
        wd1 = b.sg[0] == b.sg[1] ? 192 : -192;
        wd2 = (b.a[1] * 32640) >> 15;
        b.ap[1] = saturate(wd1 + wd2);
        wd3 = saturate(15360 - b.ap[2]);
        b.ap[1] = clamp(b.ap[1], -wd3, wd3);
        // UPZERO
        wd1 = d == 0 ? 0 : 128;
        b.sg[0] = d >> 15;
        for (int i = 1; i < 7; i++) {
            b.sg[i] = b.d[i] >> 15;
            wd2 = b.sg[i] == b.sg[0] ? wd1 : -wd1;
            wd3 = (b.b[i] * 32640) >> 15;
            b.bp[i] = saturate(wd2 + wd3);
        }
        // DELAYA
        for (int i = 6; i > 0; i--) {
            b.d[i] = b.d[i - 1];
            b.b[i] = b.bp[i];
        }
        for (int i = 2; i > 0; i--) {
            b.r[i] = b.r[i - 1];
            b.p[i] = b.p[i - 1];
            b.a[i] = b.ap[i];
        }
        // FILTEP
        wd1 = saturate(b.r[1] + b.r[1]);
        wd1 = (b.a[1] * wd1) >> 15;
        wd2 = saturate(b.r[2] + b.r[2]);
        wd2 = (b.a[2] * wd2) >> 15;
        b.sp = saturate(wd1 + wd2);
        // FILTEZ
        int sz = 0;
        for (int i = 6; i > 0; i--) {
            wd1 = saturate(b.d[i] + b.d[i]);
            sz += (b.b[i] * wd1) >> 15;
        }
        b.sz = saturate(sz);
        // PREDIC
        b.s = saturate(b.sp + b.sz);
    }

    private static int saturate(int v) {
        return v > 32767 ? 32767 : Math.max(v, -32768);
    }

    private static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
