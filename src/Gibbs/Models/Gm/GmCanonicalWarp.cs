// The inverse of the seed's symmetry mapping at the output of the net (000_c7b547386cdeff84.txt §4, "for auto-encoders,
// apply mapping (4.5) at the input and its inverse at the output"), as a differentiable op: the decoder draws a
// canonical image (logits on the (2M+1)² grid of a SymmetryTransform) and this op places it on the original grid by
// sampled symmetry statistics (H, V, R, ρ) — the point of original pixel (h, v) is read bilinearly from the canonical
// grid at s·Rot(ρ)·(h − H, v − V) + (M, M), s = C / max(R, MinR), exactly as SymmetryTransform.Denormalize does, and
// a point off the canonical grid reads the learned background logit b. So out = b + Bilinear(L − b) with zeros
// outside, which is linear in L and b and piecewise smooth in the statistics:
//   ∂out/∂L: the four bilinear weights (a scatter per row);  ∂out/∂b: 1 − Σ of the in-grid weights;
//   ∂out/∂(ht, vt): differences of neighbouring values;  ∂(ht, vt)/∂H = −s(cos ρ, sin ρ),  ∂/∂V = s(sin ρ, −cos ρ),
//   ∂/∂ρ = (−(vt − M), ht − M),  ∂/∂R = −(ht − M, vt − M)/R when R > MinR (0 below, where the magnification is capped).
// Gradients through the statistics are what let the symmetry latents' scales σ learn (z = location + σ·ε).
// Computed on the host in double per pixel, parallel over rows (each row by the same sequential code, so the result
// does not depend on the thread count); first-order only (the returned gradients are not themselves recorded).
using Gibbs.Data;

namespace Gibbs.Models.Gm;

internal static class GmCanonicalWarp
{
    /// <summary>Images [R × side²] of canonical logits <paramref name="canonical"/> [R × (2M+1)²] placed by the raw
    /// statistics <paramref name="stats"/> [R × 4] (H, V, R, ρ), with <paramref name="background"/> [1] off the grid.</summary>
    public static Tensor Apply(Tensor canonical, Tensor stats, Tensor background, SymmetryTransform frame)
    {
        int rows = canonical.Dim(0), cs = frame.CanonicalSide, side = frame.Side;
        if (canonical.Rank != 2 || canonical.Dim(1) != cs * cs || stats.Rank != 2 || stats.Dim(0) != rows || stats.Dim(1) != GmSymmetry.Units)
            throw new ShapeException($"canonical warp: needs canonical [R×{cs * cs}] and statistics [R×{GmSymmetry.Units}], got {Tensor.Format(canonical.Shape)} and {Tensor.Format(stats.Shape)}");
        var l = canonical.ToArray();
        var st = stats.ToArray();
        float b = background.ToArray()[0];
        int n = side * side;
        var y = new float[(long)rows * n];
        Internals.Par.Rows(rows, 16L * n, (s, e) =>
        {
            for (int r = s; r < e; r++) ForwardRow(frame, l.AsSpan(r * cs * cs, cs * cs), st.AsSpan(r * 4, 4), b, y.AsSpan(r * n, n));
        });
        var result = Tensor.FromArray(y, [rows, n], canonical.Device);
        return Tensor.Record(result, "canonical_warp", [canonical, stats, background], g =>
        {
            var gy = g.ToArray();
            var gl = new float[l.Length];
            var gs = new float[st.Length];
            var gb = new double[rows];
            Internals.Par.Rows(rows, 32L * n, (s, e) =>
            {
                for (int r = s; r < e; r++)
                    gb[r] = BackwardRow(frame, l.AsSpan(r * cs * cs, cs * cs), st.AsSpan(r * 4, 4), b, gy.AsSpan(r * n, n),
                                        gl.AsSpan(r * cs * cs, cs * cs), gs.AsSpan(r * 4, 4));
            });
            double gbSum = 0;
            for (int r = 0; r < rows; r++) gbSum += gb[r]; // in row order: independent of the thread count
            return [Tensor.FromArray(gl, [rows, cs * cs], canonical.Device), Tensor.FromArray(gs, [rows, GmSymmetry.Units], canonical.Device),
                    Tensor.FromArray([(float)gbSum], [1], canonical.Device)];
        });
    }

    // Where original pixel (row, col) reads the canonical grid, and the pieces the gradient needs.
    private readonly record struct Frame(double S, double Cos, double Sin, double H, double V, double R, bool Capped);

    private static Frame Of(SymmetryTransform t, ReadOnlySpan<float> st)
    {
        double r = st[2], rho = st[3];
        bool capped = !(r > t.MinR);
        double s = t.Unscale ? t.C / (capped ? t.MinR : r) : 1;
        return new Frame(s, Math.Cos(rho), Math.Sin(rho), st[0], st[1], r, capped || !t.Unscale);
    }

    private static (double Ht, double Vt) Point(in Frame f, int row, int col, int m)
    {
        double dh = col + 1 - f.H, dv = row + 1 - f.V;
        return (f.S * (f.Cos * dh - f.Sin * dv) + m, f.S * (f.Sin * dh + f.Cos * dv) + m);
    }

    private static void ForwardRow(SymmetryTransform t, ReadOnlySpan<float> l, ReadOnlySpan<float> st, float b, Span<float> y)
    {
        var f = Of(t, st);
        int side = t.Side, cs = t.CanonicalSide;
        for (int row = 0; row < side; row++)
            for (int col = 0; col < side; col++)
            {
                var (ht, vt) = Point(f, row, col, t.M);
                double acc = b;
                if (ht > -1 && ht < cs && vt > -1 && vt < cs)
                {
                    int x0 = (int)Math.Floor(ht), y0 = (int)Math.Floor(vt);
                    double ax = ht - x0, ay = vt - y0;
                    acc += (Read(l, cs, x0, y0, b) * (1 - ax) + Read(l, cs, x0 + 1, y0, b) * ax) * (1 - ay)
                         + (Read(l, cs, x0, y0 + 1, b) * (1 - ax) + Read(l, cs, x0 + 1, y0 + 1, b) * ax) * ay;
                }
                y[row * side + col] = (float)acc;
            }
    }

    // L − b on the grid, 0 off it.
    private static double Read(ReadOnlySpan<float> l, int cs, int x, int y, float b) =>
        (uint)x < (uint)cs && (uint)y < (uint)cs ? (double)l[y * cs + x] - b : 0.0;

    // Accumulates dL/dcanonical and dL/dstats of one row; returns the row's dL/db.
    private static double BackwardRow(SymmetryTransform t, ReadOnlySpan<float> l, ReadOnlySpan<float> st, float b, ReadOnlySpan<float> gy,
                                      Span<float> gl, Span<float> gs)
    {
        var f = Of(t, st);
        int side = t.Side, cs = t.CanonicalSide, m = t.M;
        double gH = 0, gV = 0, gR = 0, gRho = 0, gb = 0;
        for (int row = 0; row < side; row++)
            for (int col = 0; col < side; col++)
            {
                double g = gy[row * side + col];
                var (ht, vt) = Point(f, row, col, m);
                if (!(ht > -1 && ht < cs && vt > -1 && vt < cs)) { gb += g; continue; }
                int x0 = (int)Math.Floor(ht), y0 = (int)Math.Floor(vt);
                double ax = ht - x0, ay = vt - y0;
                double v00 = Read(l, cs, x0, y0, b), v01 = Read(l, cs, x0 + 1, y0, b), v10 = Read(l, cs, x0, y0 + 1, b), v11 = Read(l, cs, x0 + 1, y0 + 1, b);
                double w00 = (1 - ax) * (1 - ay), w01 = ax * (1 - ay), w10 = (1 - ax) * ay, w11 = ax * ay, inside = 0;
                inside += Scatter(gl, cs, x0, y0, g * w00) ? w00 : 0;
                inside += Scatter(gl, cs, x0 + 1, y0, g * w01) ? w01 : 0;
                inside += Scatter(gl, cs, x0, y0 + 1, g * w10) ? w10 : 0;
                inside += Scatter(gl, cs, x0 + 1, y0 + 1, g * w11) ? w11 : 0;
                gb += g * (1 - inside);
                double dht = g * ((v01 - v00) * (1 - ay) + (v11 - v10) * ay);  // dL/dht
                double dvt = g * ((v10 - v00) * (1 - ax) + (v11 - v01) * ax);  // dL/dvt
                gH += -f.S * (f.Cos * dht + f.Sin * dvt);
                gV += f.S * (f.Sin * dht - f.Cos * dvt);
                gRho += -(vt - m) * dht + (ht - m) * dvt;
                if (!f.Capped) gR += -((ht - m) * dht + (vt - m) * dvt) / f.R;
            }
        gs[0] = (float)gH; gs[1] = (float)gV; gs[2] = (float)gR; gs[3] = (float)gRho;
        return gb;
    }

    private static bool Scatter(Span<float> gl, int cs, int x, int y, double v)
    {
        if ((uint)x >= (uint)cs || (uint)y >= (uint)cs) return false;
        gl[y * cs + x] += (float)v;
        return true;
    }
}
