// Packing for the managed SGEMM: one K slice of A into MR-row panels stored [kk][r], and of B into
// NR-column panels stored [kk][q], zero-padded past m and n so the micro-kernel never branches.
using System.Runtime.Intrinsics.X86;

namespace Gibbs.Backends.Cpu.Gemm;

public sealed unsafe partial class ManagedGemm
{
    // A panel: rows [panel·MR, +MR) × columns [p0, p0+kc) of op(A) → dst[kk·MR + r].
    private static void PackA(bool trans, float* a, int lda, int m, int p0, int kc, int panel, float* dst)
    {
        int i0 = panel * MR, rows = Math.Min(MR, m - i0);
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
        else if (rows == MR)
        {
            // Six source rows read side by side: one contiguous 24-byte group written per kk.
            float* s0 = a + (long)i0 * lda + p0;
            float* s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda, s4 = s3 + lda, s5 = s4 + lda;
            for (int kk = 0; kk < kc; kk++, dst += MR)
            {
                dst[0] = s0[kk]; dst[1] = s1[kk]; dst[2] = s2[kk];
                dst[3] = s3[kk]; dst[4] = s4[kk]; dst[5] = s5[kk];
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
    private static void PackB(bool trans, float* b, int ldb, int n, int p0, int kc, int first, int end, float* pb)
    {
        int fullEnd = Math.Min(end, n / NR);   // panels with all NR columns inside n
        if (!trans && Avx.IsSupported)
        {
            // Row by row: each source row segment is read once, contiguously, 16 floats per panel.
            for (int kk = 0; kk < kc; kk++)
            {
                float* src = b + (long)(p0 + kk) * ldb;
                for (int j = first; j < fullEnd; j++)
                {
                    float* s = src + j * NR, d = pb + ((long)j * kc + kk) * NR;
                    Avx.StoreAligned(d, Avx.LoadVector256(s));
                    Avx.StoreAligned(d + 8, Avx.LoadVector256(s + 8));
                }
            }
            first = Math.Max(first, fullEnd);
        }
        for (int j = first; j < end; j++) PackBPanel(trans, b, ldb, n, p0, kc, j, pb + (long)j * NR * kc);
    }

    private static void PackBPanel(bool trans, float* b, int ldb, int n, int p0, int kc, int panel, float* dst)
    {
        int j0 = panel * NR, cols = Math.Min(NR, n - j0);
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
            // B stored [n×k]: column q of the panel is row j0+q of the stored matrix, read contiguously.
            for (int q = 0; q < cols; q++)
            {
                float* src = b + (long)(j0 + q) * ldb + p0, d = dst + q;
                for (int kk = 0; kk < kc; kk++) d[kk * NR] = src[kk];
            }
        }
    }
}
