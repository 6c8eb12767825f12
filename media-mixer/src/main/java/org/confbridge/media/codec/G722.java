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

    /**
     * The adaptive predictor and quantizer scale of one sub-band. The recommendation's delay lines
     * (two poles, six zeros) are plain fields: no array bounds checks or loads in the inner loop.
     */
    private static final class Band {
        int s;
        int sz;
        int nb;
        int det;
        int r1;
        int r2;
        int a1;
        int a2;
        int p1;
        int p2;
        int d1;
        int d2;
        int d3;
        int d4;
        int d5;
        int d6;
        int b1;
        int b2;
        int b3;
        int b4;
        int b5;
        int b6;

        /** Block 4: reconstruct, adapt the pole and zero predictor, predict the next sample. */
        void adapt(int d) {
            // RECONS, PARREC
            int r0 = saturate(s + d);
            int p0 = saturate(sz + d);
            int sg0 = p0 >> 15;
            int sg1 = p1 >> 15;
            // UPPOL2
            int wd1 = saturate(a1 << 2);
            int wd2 = sg0 == sg1 ? -wd1 : wd1;
            if (wd2 > 32767) {
                wd2 = 32767;
            }
            int wd3 = (wd2 >> 7) + (sg0 == p2 >> 15 ? 128 : -128);
            wd3 += (a2 * 32512) >> 15;
            int ap2 = clamp(wd3, -12288, 12288);
            // UPPOL1
            int ap1 = saturate((sg0 == sg1 ? 192 : -192) + ((a1 * 32640) >> 15));
            wd3 = saturate(15360 - ap2);
            ap1 = clamp(ap1, -wd3, wd3);
            // UPZERO, then DELAYA: each zero coefficient leaks and moves towards the sign
            // agreement of the new difference with the one it weighs.
            int step = d == 0 ? 0 : 128;
            int sgd = d >> 15;
            b1 = zero(b1, d1, sgd, step);
            b2 = zero(b2, d2, sgd, step);
            b3 = zero(b3, d3, sgd, step);
            b4 = zero(b4, d4, sgd, step);
            b5 = zero(b5, d5, sgd, step);
            b6 = zero(b6, d6, sgd, step);
            d6 = d5;
            d5 = d4;
            d4 = d3;
            d3 = d2;
            d2 = d1;
            d1 = d;
            r2 = r1;
            r1 = r0;
            p2 = p1;
            p1 = p0;
            a2 = ap2;
            a1 = ap1;
            // FILTEP
            int sp = saturate(((a1 * saturate(r1 + r1)) >> 15) + ((a2 * saturate(r2 + r2)) >> 15));
            // FILTEZ
            int z = ((b6 * saturate(d6 + d6)) >> 15) + ((b5 * saturate(d5 + d5)) >> 15)
                    + ((b4 * saturate(d4 + d4)) >> 15) + ((b3 * saturate(d3 + d3)) >> 15)
                    + ((b2 * saturate(d2 + d2)) >> 15) + ((b1 * saturate(d1 + d1)) >> 15);
            sz = saturate(z);
            // PREDIC
            s = saturate(sp + sz);
        }

        /** UPZERO for one coefficient {@code b} weighing the older difference {@code di}. */
        private static int zero(int b, int di, int sgd, int step) {
            return saturate(((di >> 15) == sgd ? step : -step) + ((b * 32640) >> 15));
        }
    }

    private final Band low = new Band();
    private final Band high = new Band();
    /**
     * The QMF delay line of 24 values as a ring, written twice (at i and i + 24) so that the
     * current window is always {@code x[xp .. xp + 24)} in order, oldest first: no shifting.
     */
    private final int[] x = new int[48];
    private int xp;

    G722() {
        low.det = 32;
        high.det = 8;
    }

    /** Appends two values to the QMF delay line. */
    private void push(int older, int newer) {
        int p = xp;
        x[p] = older;
        x[p + 24] = older;
        x[p + 1] = newer;
        x[p + 25] = newer;
        xp = p == 22 ? 0 : p + 2;
    }

    /** The QMF's even-tap sum over the window (coefficients in order). */
    private int evenTaps() {
        int[] w = x;
        int p = xp;
        return w[p] * 3 + w[p + 2] * -11 + w[p + 4] * 12 + w[p + 6] * 32 + w[p + 8] * -210 + w[p + 10] * 951
                + w[p + 12] * 3876 + w[p + 14] * -805 + w[p + 16] * 362 + w[p + 18] * -156 + w[p + 20] * 53
                + w[p + 22] * -11;
    }

    /** The QMF's odd-tap sum over the window (coefficients reversed). */
    private int oddTaps() {
        int[] w = x;
        int p = xp;
        return w[p + 1] * -11 + w[p + 3] * 53 + w[p + 5] * -156 + w[p + 7] * 362 + w[p + 9] * -805
                + w[p + 11] * 3876 + w[p + 13] * 951 + w[p + 15] * -210 + w[p + 17] * 32 + w[p + 19] * 12
                + w[p + 21] * -11 + w[p + 23] * 3;
    }

    /** Encodes {@code n} (even) samples at 16 kHz into n/2 bytes. */
    int encode(short[] in, int off, int n, byte[] out, int outOff) {
        int o = outOff;
        for (int j = 0; j < n; j += 2) {
            // Transmit QMF: split into lower and upper band at 8 kHz each.
            push(in[off + j], in[off + j + 1]);
            int sumOdd = evenTaps();
            int sumEven = oddTaps();
            int xlow = (sumEven + sumOdd) >> 14;
            int xhigh = (sumEven - sumOdd) >> 14;

            // Lower band: SUBTRA, QUANTL.
            int el = saturate(xlow - low.s);
            int wd = el >= 0 ? el : -(el + 1);
            int det = low.det;
            int i = 1;
            for (; i < 30; i++) {
                if (wd < (Q6[i] * det) >> 12) {
                    break;
                }
            }
            int ilow = el < 0 ? ILN[i] : ILP[i];
            // INVQAL, LOGSCL, SCALEL, block 4.
            int ril = ilow >> 2;
            int dlow = (det * QM4[ril]) >> 15;
            low.nb = clamp(((low.nb * 127) >> 7) + WL[RL42[ril]], 0, 18432);
            low.det = scale(low.nb, 8);
            low.adapt(dlow);

            // Upper band: SUBTRA, QUANTH, INVQAH, LOGSCH, SCALEH, block 4.
            int eh = saturate(xhigh - high.s);
            wd = eh >= 0 ? eh : -(eh + 1);
            int mih = wd >= (564 * high.det) >> 12 ? 2 : 1;
            int ihigh = eh < 0 ? IHN[mih] : IHP[mih];
            int dhigh = (high.det * QM2[ihigh]) >> 15;
            high.nb = clamp(((high.nb * 127) >> 7) + WH[RH2[ihigh]], 0, 22528);
            high.det = scale(high.nb, 10);
            high.adapt(dhigh);

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
            low.adapt(dlowt);

            // Upper band: INVQAH, RECONS, LIMIT, LOGSCH, SCALEH, block 4.
            int dhigh = (high.det * QM2[ihigh]) >> 15;
            int rhigh = clamp(dhigh + high.s, -16384, 16383);
            high.nb = clamp(((high.nb * 127) >> 7) + WH[RH2[ihigh]], 0, 22528);
            high.det = scale(high.nb, 10);
            high.adapt(dhigh);

            // Receive QMF: combine the bands back into 16 kHz.
            push(rlow + rhigh, rlow - rhigh);
            int xout2 = evenTaps();
            int xout1 = oddTaps();
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

    private static int saturate(int v) {
        return v > 32767 ? 32767 : Math.max(v, -32768);
    }

    private static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
