// Group-wide reductions from warp shuffles: each warp folds its lanes with ShuffleDown, lane 0 of every warp
// leaves its partial in shared memory, and warp 0 folds those. The order depends only on the group and warp
// sizes, so results are deterministic (no atomics). Every thread of the group must call, and every thread gets
// the result (LogSumExp needs the maximum everywhere). Requires Group.DimX / WarpSize ≤ WarpSize.
using System.Runtime.CompilerServices;
using ILGPU;

namespace Gibbs.Cuda.Kernels;

internal static class GroupReduce
{
    private const int MaxWarps = 32;

    public static double Sum(double v)
    {
        var sh = SharedMemory.Allocate<double>(MaxWarps);
        int lane = Warp.LaneIdx, warp = Warp.WarpIdx, ws = Warp.WarpSize, warps = Group.DimX / ws;
        v = WarpSum(v, ws);
        if (lane == 0) sh[warp] = v;
        Group.Barrier();
        if (warp == 0)
        {
            v = WarpSum(lane < warps ? sh[lane] : 0.0, ws);
            if (lane == 0) sh[0] = v;
        }
        Group.Barrier();
        v = sh[0];
        Group.Barrier();
        return v;
    }

    /// <summary>Maximum (or minimum) with NaN propagating, as Fp.Max / Fp.Min.</summary>
    public static float MaxOrMin(float v, bool min)
    {
        var sh = SharedMemory.Allocate<float>(MaxWarps);
        int lane = Warp.LaneIdx, warp = Warp.WarpIdx, ws = Warp.WarpSize, warps = Group.DimX / ws;
        v = WarpMaxOrMin(v, ws, min);
        if (lane == 0) sh[warp] = v;
        Group.Barrier();
        if (warp == 0)
        {
            v = WarpMaxOrMin(lane < warps ? sh[lane] : sh[0], ws, min);
            if (lane == 0) sh[0] = v;
        }
        Group.Barrier();
        v = sh[0];
        Group.Barrier();
        return v;
    }

    /// <summary>The best (value, index) pair: NaN first, then larger values, ties to the smaller index; index −1 is empty.</summary>
    public static int ArgMax(float v, int idx)
    {
        var shv = SharedMemory.Allocate<float>(MaxWarps);
        var shi = SharedMemory.Allocate<int>(MaxWarps);
        int lane = Warp.LaneIdx, warp = Warp.WarpIdx, ws = Warp.WarpSize, warps = Group.DimX / ws;
        WarpArgMax(ref v, ref idx, ws);
        if (lane == 0) { shv[warp] = v; shi[warp] = idx; }
        Group.Barrier();
        if (warp == 0)
        {
            v = lane < warps ? shv[lane] : 0f;
            idx = lane < warps ? shi[lane] : -1;
            WarpArgMax(ref v, ref idx, ws);
            if (lane == 0) shi[0] = idx;
        }
        Group.Barrier();
        idx = shi[0];
        Group.Barrier();
        return idx;
    }

    /// <summary>True when (v, i) beats (bv, bi) under ArgMax's order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Beats(float v, int i, float bv, int bi)
    {
        if (i < 0) return false;
        if (bi < 0) return true;
        bool vn = float.IsNaN(v), bn = float.IsNaN(bv);
        if (vn || bn) return vn && bn ? i < bi : vn;
        return v > bv || (v == bv && i < bi);
    }

    private static double WarpSum(double v, int ws)
    {
        for (int d = ws >> 1; d > 0; d >>= 1) v += Warp.ShuffleDown(v, d);
        return v;
    }

    private static float WarpMaxOrMin(float v, int ws, bool min)
    {
        for (int d = ws >> 1; d > 0; d >>= 1)
        {
            float o = Warp.ShuffleDown(v, d);
            v = min ? Fp.Min(v, o) : Fp.Max(v, o);
        }
        return v;
    }

    private static void WarpArgMax(ref float v, ref int idx, int ws)
    {
        for (int d = ws >> 1; d > 0; d >>= 1)
        {
            float ov = Warp.ShuffleDown(v, d);
            int oi = Warp.ShuffleDown(idx, d);
            if (Beats(ov, oi, v, idx)) { v = ov; idx = oi; }
        }
    }
}
