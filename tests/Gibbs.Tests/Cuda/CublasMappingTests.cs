// cuBLAS argument mapping without a GPU: CublasGemm.Map turns IBackend.Gemm's row-major batched call into one
// column-major cublasSgemmStridedBatched; a fake cuBLAS that records the calls and computes them column-major on
// host memory must give the row-major product (so the swap of operands, m/n, flags and leading dimensions is right).
using Gibbs.Cuda.Blas;

namespace Gibbs.Tests.Cuda;

public unsafe class CublasMappingTests
{
    private sealed class FakeCublas : ICublasApi
    {
        public readonly List<string> Calls = [];

        public int Create(out nint handle) { handle = 42; Calls.Add("create"); return 0; }
        public int Destroy(nint handle) { Calls.Add("destroy"); return 0; }
        public int SetStream(nint handle, nint stream) { Calls.Add($"stream {stream}"); return 0; }
        public int SetMathMode(nint handle, CublasMath mode) { Calls.Add($"math {mode}"); return 0; }
        public int GetVersion(nint handle, out int version) { version = 120400; return 0; }

        // Column-major reference: C[i + j·ldc] = α Σ op(A)[i, q]·op(B)[q, j] + β C, per batch.
        public int SgemmStridedBatched(nint handle, CublasOperation ta, CublasOperation tb, int m, int n, int k, float alpha,
                                       nint a, int lda, long sa, nint b, int ldb, long sb, float beta, nint c, int ldc, long sc, int batch)
        {
            Calls.Add($"sgemm {ta}{tb} {m}x{n}x{k} ld {lda},{ldb},{ldc} batch {batch}");
            for (int t = 0; t < batch; t++)
            {
                float* pa = (float*)a + t * sa, pb = (float*)b + t * sb, pc = (float*)c + t * sc;
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double acc = 0;
                        for (int q = 0; q < k; q++)
                            acc += (ta == CublasOperation.N ? pa[i + q * lda] : pa[q + i * lda]) * (tb == CublasOperation.N ? pb[q + j * ldb] : pb[j + q * ldb]);
                        pc[i + j * ldc] = (float)(alpha * acc + beta * pc[i + j * ldc]);
                    }
            }
            return 0;
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void RowMajorBatchedGemmMapsToColumnMajorCtEqualsBtAt(bool transA, bool transB)
    {
        const int m = 5, n = 4, k = 3, batch = 2, aOff = 7, bOff = 3, cOff = 2;
        int lda = transA ? m + 1 : k + 2, ldb = transB ? k + 1 : n + 3, ldc = n + 1;
        long sa = (transA ? k : m) * lda, sb = (transB ? n : k) * ldb, sc = m * ldc;
        var rng = new Random(1);
        float[] A = [.. Enumerable.Range(0, aOff + (int)sa * batch).Select(_ => (float)rng.NextDouble())];
        float[] B = [.. Enumerable.Range(0, bOff + (int)sb * batch).Select(_ => (float)rng.NextDouble())];
        float[] C = [.. Enumerable.Range(0, cOff + (int)sc * batch).Select(_ => 1f)];
        var expected = (float[])C.Clone();
        for (int t = 0; t < batch; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double acc = 0;
                    for (int q = 0; q < k; q++)
                        acc += A[aOff + t * sa + (transA ? q * lda + i : i * lda + q)] * B[bOff + t * sb + (transB ? j * ldb + q : q * ldb + j)];
                    long at = cOff + t * sc + i * ldc + j;
                    expected[at] = (float)(2 * acc + 0.5 * C[at]);
                }
        var fake = new FakeCublas();
        using (var gemm = new CublasGemm(fake, stream: 99))
            fixed (float* pa = A, pb = B, pc = C)
            {
                var call = CublasGemm.Map(transA, transB, m, n, k, 2f, (nint)pa, aOff, lda, sa, (nint)pb, bOff, ldb, sb, 0.5f, (nint)pc, cOff, ldc, sc, batch);
                Assert.Equal((n, m, k), (call.M, call.N, call.K));
                Assert.Equal(((nint)pb + bOff * 4, ldb, (nint)pa + aOff * 4, lda), (call.A, call.Lda, call.B, call.Ldb));
                Assert.Equal(transB ? CublasOperation.T : CublasOperation.N, call.TransA);
                gemm.Run(call, tf32: false);
                gemm.Run(call with { Alpha = 0f, Beta = 1f }, tf32: true);   // C unchanged; switches the math mode once
            }
        for (int i = 0; i < C.Length; i++) Assert.True(Math.Abs(C[i] - expected[i]) < 1e-5, $"C[{i}] {C[i]} vs {expected[i]}");
        Assert.Equal(["create", "stream 99", "math Default"], fake.Calls.Take(3));
        Assert.Contains("math Tf32TensorOp", fake.Calls);
        Assert.Equal("destroy", fake.Calls[^1]);
    }
}
