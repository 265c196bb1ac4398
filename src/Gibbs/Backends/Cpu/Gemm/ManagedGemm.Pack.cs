// Packing for the managed SGEMM: one K slice of A into MR-row panels stored [kk][r], and of B into
// NR-column panels (MR×NR: the kernel's tile, 6×16 or 14×32) stored [kk][q], zero-padded past m and n so the micro-kernel never branches.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gibbs.Backends.Cpu.Gemm;

public sealed unsafe partial class ManagedGemm
{
    // A panel: rows [panel·MR, +MR) × columns [p0, p0+kc) of op(A) → dst[kk·MR + r].
    private void PackA(bool trans, float* a, int lda, int m, int p0, int kc, int panel, float* dst)
    {
        int MR = _mr, i0 = panel * MR, rows = Math.Min(MR, m - i0);
        if (rows < MR) new Span<float>(dst, kc * MR).Clear();
        if (trans)
        {
            // A stored [k×m]: row p0+kk holds op(A)[·, p0+kk] contiguously.
            for (int kk = 0; kk < kc; kk++)
            {
                float* src = a + (long)(p0 + kk) * lda + i0, d = dst + kk * MR;
                for (int r = 0; r < rows; r++) d[r] = src[r];
            }
        }
        else if (rows == 14 && MR == 14 && Avx.IsSupported)
        {
            // Rows 0–7 and 8–13 (+2 zero rows) through two 8×8 register transposes, 8 kk at a time. Stores go
            // in address order; each 8-wide store of rows 8–13 spills 2 floats into the next kk's slot, which
            // the next store rewrites, and the last stores exactly 6.
            float* s0 = a + (long)i0 * lda + p0;
            var z = Vector256<float>.Zero;
            int kk = 0;
            for (; kk + 8 <= kc; kk += 8)
            {
                Transpose8(Avx.LoadVector256(s0 + kk), Avx.LoadVector256(s0 + lda + kk), Avx.LoadVector256(s0 + 2L * lda + kk), Avx.LoadVector256(s0 + 3L * lda + kk),
                           Avx.LoadVector256(s0 + 4L * lda + kk), Avx.LoadVector256(s0 + 5L * lda + kk), Avx.LoadVector256(s0 + 6L * lda + kk), Avx.LoadVector256(s0 + 7L * lda + kk),
                           out var p0v, out var p1v, out var p2v, out var p3v, out var p4v, out var p5v, out var p6v, out var p7v);
                Transpose8(Avx.LoadVector256(s0 + 8L * lda + kk), Avx.LoadVector256(s0 + 9L * lda + kk), Avx.LoadVector256(s0 + 10L * lda + kk), Avx.LoadVector256(s0 + 11L * lda + kk),
                           Avx.LoadVector256(s0 + 12L * lda + kk), Avx.LoadVector256(s0 + 13L * lda + kk), z, z,
                           out var q0v, out var q1v, out var q2v, out var q3v, out var q4v, out var q5v, out var q6v, out var q7v);
                float* d = dst + kk * 14;
                Avx.Store(d, p0v); Avx.Store(d + 8, q0v); Avx.Store(d + 14, p1v); Avx.Store(d + 22, q1v);
                Avx.Store(d + 28, p2v); Avx.Store(d + 36, q2v); Avx.Store(d + 42, p3v); Avx.Store(d + 50, q3v);
                Avx.Store(d + 56, p4v); Avx.Store(d + 64, q4v); Avx.Store(d + 70, p5v); Avx.Store(d + 78, q5v);
                Avx.Store(d + 84, p6v); Avx.Store(d + 92, q6v); Avx.Store(d + 98, p7v);
                Sse.Store(d + 106, q7v.GetLower()); d[110] = q7v.GetElement(4); d[111] = q7v.GetElement(5);
            }
            for (; kk < kc; kk++)
                for (int r = 0; r < 14; r++) dst[kk * 14 + r] = s0[r * (long)lda + kk];
        }
        else if (rows == MR && MR == 6)
        {
            // Six source rows read side by side; 8 kk at a time through an 8×8 register transpose.
            float* s0 = a + (long)i0 * lda + p0;
            float* s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda, s4 = s3 + lda, s5 = s4 + lda;
            int kk = 0;
            if (Avx.IsSupported)
            {
                var z = Vector256<float>.Zero;
                for (; kk + 8 <= kc; kk += 8)
                {
                    Transpose8(Avx.LoadVector256(s0 + kk), Avx.LoadVector256(s1 + kk), Avx.LoadVector256(s2 + kk), Avx.LoadVector256(s3 + kk),
                               Avx.LoadVector256(s4 + kk), Avx.LoadVector256(s5 + kk), z, z,
                               out var o0, out var o1, out var o2, out var o3, out var o4, out var o5, out var o6, out var o7);
                    // Each 8-wide store spills 2 floats into the next kk's slot, which the next store rewrites;
                    // the last one stores exactly 6 so nothing lands past this panel (another thread's).
                    float* d = dst + kk * MR;
                    Avx.Store(d, o0); Avx.Store(d + 6, o1); Avx.Store(d + 12, o2); Avx.Store(d + 18, o3);
                    Avx.Store(d + 24, o4); Avx.Store(d + 30, o5); Avx.Store(d + 36, o6);
                    Sse.Store(d + 42, o7.GetLower());
                    d[46] = o7.GetElement(4); d[47] = o7.GetElement(5);
                }
            }
            for (float* d = dst + kk * MR; kk < kc; kk++, d += MR)
            {
                d[0] = s0[kk]; d[1] = s1[kk]; d[2] = s2[kk];
                d[3] = s3[kk]; d[4] = s4[kk]; d[5] = s5[kk];
            }
        }
        else
        {
            for (int r = 0; r < rows; r++)
            {
                float* src = a + (long)(i0 + r) * lda + p0, d = dst + r;
                for (int kk = 0; kk < kc; kk++) d[kk * MR] = src[kk];
            }
        }
    }

    // B panels [first, end): rows [p0, p0+kc) × columns [panel·NR, +NR) of op(B) → pb[panel·NR·kc + kk·NR + q].
    private void PackB(bool trans, float* b, int ldb, int n, int p0, int kc, int first, int end, float* pb)
    {
        int NR = _nr, fullEnd = Math.Min(end, n / NR);   // panels with all NR columns inside n
        if (!trans && Avx.IsSupported)
        {
            // Row by row: each source row segment is read once, contiguously, 16 floats per panel.
            for (int kk = 0; kk < kc; kk++)
            {
                float* src = b + (long)(p0 + kk) * ldb;
                for (int j = first; j < fullEnd; j++)
                {
                    float* s = src + j * NR, d = pb + ((long)j * kc + kk) * NR;
                    for (int q = 0; q < NR; q += 8) Avx.StoreAligned(d + q, Avx.LoadVector256(s + q));
                }
            }
            first = Math.Max(first, fullEnd);
        }
        for (int j = first; j < end; j++) PackBPanel(trans, b, ldb, n, p0, kc, j, pb + (long)j * NR * kc);
    }

    private void PackBPanel(bool trans, float* b, int ldb, int n, int p0, int kc, int panel, float* dst)
    {
        int NR = _nr, j0 = panel * NR, cols = Math.Min(NR, n - j0);
        if (cols < NR) new Span<float>(dst, kc * NR).Clear();
        if (!trans)
        {
            for (int kk = 0; kk < kc; kk++)
            {
                float* src = b + (long)(p0 + kk) * ldb + j0, d = dst + kk * NR;
                for (int q = 0; q < cols; q++) d[q] = src[q];
            }
        }
        else
        {
            // B stored [n×k]: column q of the panel is row j0+q of the stored matrix, read contiguously;
            // full panels go 8 rows × 8 kk at a time through a register transpose.
            int kk0 = 0;
            if (cols == NR && Avx.IsSupported)
            {
                for (; kk0 + 8 <= kc; kk0 += 8)
                    for (int q0 = 0; q0 < NR; q0 += 8)
                    {
                        float* s = b + (long)(j0 + q0) * ldb + p0 + kk0;
                        Transpose8(Avx.LoadVector256(s), Avx.LoadVector256(s + ldb), Avx.LoadVector256(s + 2L * ldb), Avx.LoadVector256(s + 3L * ldb),
                                   Avx.LoadVector256(s + 4L * ldb), Avx.LoadVector256(s + 5L * ldb), Avx.LoadVector256(s + 6L * ldb), Avx.LoadVector256(s + 7L * ldb),
                                   out var o0, out var o1, out var o2, out var o3, out var o4, out var o5, out var o6, out var o7);
                        float* d = dst + kk0 * NR + q0;
                        Avx.StoreAligned(d, o0); Avx.StoreAligned(d + NR, o1); Avx.StoreAligned(d + 2 * NR, o2); Avx.StoreAligned(d + 3 * NR, o3);
                        Avx.StoreAligned(d + 4 * NR, o4); Avx.StoreAligned(d + 5 * NR, o5); Avx.StoreAligned(d + 6 * NR, o6); Avx.StoreAligned(d + 7 * NR, o7);
                    }
            }
            for (int q = 0; q < cols; q++)
            {
                float* src = b + (long)(j0 + q) * ldb + p0, d = dst + q;
                for (int kk = kk0; kk < kc; kk++) d[kk * NR] = src[kk];
            }
        }
    }

    // o_i[j] = r_j[i]: the 8×8 transpose (unpack, shuffle, 128-bit permute).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
                                   Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7,
                                   out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2, out Vector256<float> o3,
                                   out Vector256<float> o4, out Vector256<float> o5, out Vector256<float> o6, out Vector256<float> o7)
    {
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        o0 = Avx.Permute2x128(u0, u4, 0x20); o1 = Avx.Permute2x128(u1, u5, 0x20); o2 = Avx.Permute2x128(u2, u6, 0x20); o3 = Avx.Permute2x128(u3, u7, 0x20);
        o4 = Avx.Permute2x128(u0, u4, 0x31); o5 = Avx.Permute2x128(u1, u5, 0x31); o6 = Avx.Permute2x128(u2, u6, 0x31); o7 = Avx.Permute2x128(u3, u7, 0x31);
    }
}
