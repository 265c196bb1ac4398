// `gibbs selftest`: the engine's own health check on a device — every op's gradient check, GEMM
// against the reference, RNG reproducibility (same seed, 1 vs N threads), model-file round trips,
// and an allocator leak check. Returns structured results; the CLI prints them.
using Gibbs.Backends;

namespace Gibbs.Diagnostics;

/// <summary>One self-test check.</summary>
public sealed record SelfTestCheck(string Group, string Name, bool Passed, string Detail);

/// <summary>All self-test results for one device.</summary>
public sealed record SelfTestReport(Device Device, IReadOnlyList<SelfTestCheck> Checks)
{
    public int Passed => Checks.Count(c => c.Passed);
    public int Failed => Checks.Count(c => !c.Passed);
    public bool Ok => Failed == 0;
}

public static partial class SelfTest
{
    /// <summary>Runs every group; <paramref name="progress"/> is told each finished check.</summary>
    public static SelfTestReport Run(Device device, Action<SelfTestCheck>? progress = null)
    {
        var checks = new List<SelfTestCheck>();
        void Add(SelfTestCheck c) { checks.Add(c); progress?.Invoke(c); }

        foreach (var c in OpCatalog.All)
        {
            CheckResult r;
            try { r = GradCheck.Check(c, device); }
            catch (Exception e) { r = new CheckResult(c.Name, false, double.NaN, double.NaN, $"{e.GetType().Name}: {e.Message}"); }
            Add(new("gradient", c.Name, r.Passed, r.Passed ? $"fwd {r.ForwardError:0.0e0} grad {r.GradientError:0.0e0}" : r.Detail));
        }
        foreach (var (name, check) in OtherChecks())
        {
            string detail;
            bool ok;
            try { (ok, detail) = check(device); }
            catch (Exception e) { (ok, detail) = (false, $"{e.GetType().Name}: {e.Message}"); }
            Add(new(name.Split('/')[0], name.Split('/')[1], ok, detail));
        }
        return new SelfTestReport(device, checks);
    }

    private static IEnumerable<(string Name, Func<Device, (bool, string)> Check)> OtherChecks()
    {
        yield return ("gemm/provider_vs_reference", GemmVsReference);
        yield return ("rng/same_seed_same_stream", SameSeedSameStream);
        yield return ("rng/device_matches_cpu", DeviceMatchesCpu);
        yield return ("rng/threads_bit_identical", ThreadsBitIdentical);
        yield return ("memory/scoped_step_frees_temporaries", ScopedStepFreesTemporaries);
        foreach (var c in IoChecks()) yield return c;
    }

    static partial void AddIoChecks(List<(string, Func<Device, (bool, string)>)> checks);

    private static List<(string, Func<Device, (bool, string)>)> IoChecks()
    {
        var l = new List<(string, Func<Device, (bool, string)>)>();
        AddIoChecks(l);
        return l;
    }
}
