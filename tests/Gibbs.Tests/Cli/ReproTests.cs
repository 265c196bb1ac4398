// `gibbs repro`: the list shows every seed figure and claim with its status; a planned entry says so in one line.
// (The entries themselves run for minutes; `gibbs repro 003-rbm-solvers --quick` is exercised outside CI.)
namespace Gibbs.Tests.Cli;

[Collection("serial")]
public class ReproTests : CliTestBase
{
    [Fact]
    public void ListShowsEveryEntryWithItsStatus()
    {
        var (code, stdout, _) = Run("repro", "list", "--json");
        Assert.Equal(0, code);
        var entries = LastJson(stdout).GetProperty("entries").EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("id").GetString() == "003-rbm-solvers" && e.GetProperty("status").GetString() == "runnable");
        Assert.Contains(entries, e => e.GetProperty("id").GetString() == "003-rbm-samples" && e.GetProperty("status").GetString() == "runnable");
        Assert.Contains(entries, e => e.GetProperty("id").GetString() == "000-fig9-right" && e.GetProperty("status").GetString() == "runnable");
        Assert.All(entries, e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("claim").GetString())));
        foreach (var id in new[] { "000-fig1", "000-fig2", "000-fig3", "000-fig4", "000-fig8", "000-fig9-left", "001-fig5", "001-fig6", "001-fig7", "001-fig8", "001-fig9", "001-fig10", "001-frontier", "002-fig2", "002-fig3", "003-hopfield", "003-ridge-transition", "003-ridge-vs-logistic" })
            Assert.Contains(entries, e => e.GetProperty("id").GetString() == id && e.GetProperty("status").GetString() == "runnable");
    }

    // 000-fig3 (seconds): the report names the data and links its pictures, which exist.
    [Fact]
    public void Fig3WritesItsReport()
    {
        var dir = P("fig3");
        var (code, _, err) = Run("repro", "000-fig3", "--out", dir);
        Assert.True(code == 0, err);
        var md = File.ReadAllText(Path.Combine(dir, "README.md"));
        Assert.Contains("8s of mnist10k", md);
        foreach (var png in new[] { "intricates.png", "qq.png" })
        {
            Assert.Contains($"]({png})", md);
            Assert.True(File.Exists(Path.Combine(dir, png)), png);
        }
    }

    [Fact]
    public void EveryEntryRunsAndAnUnknownOneIsAUsageError()
    {
        var (code, stdout, _) = Run("repro", "list", "--json");
        Assert.Equal(0, code);
        Assert.All(LastJson(stdout).GetProperty("entries").EnumerateArray(), e => Assert.Equal("runnable", e.GetProperty("status").GetString()));
        (code, _, var err) = Run("repro", "003-ridge-nothing", "--out", P("x"));
        Assert.Equal(2, code);
        Assert.Contains("003-ridge-nothing", err);
        Assert.False(Directory.Exists(P("x")));
    }

    // 001-fig5 and a TherML figure (quick, 2 seeds): the tables, the panels they link, and a rerun from the cells.
    [Fact]
    public void ThermlFiguresWriteTheirReports()
    {
        var (code, _, err) = Run("repro", "001-fig5", "--out", P("f5"));
        Assert.True(code == 0, err);
        Assert.Contains("| hand-crafted, exact distribution | 0.5000 (= I(x; Z)) | 2.3418", File.ReadAllText(P("f5/README.md")));
        Assert.True(File.Exists(P("f5/panel.png")));
        (code, _, err) = Run("repro", "001-fig8", "--quick", "--out", P("f8"));
        Assert.True(code == 0, err);
        var md = File.ReadAllText(P("f8/README.md"));
        Assert.Contains("| autoencoder (8a) | 0, 1, 0, 0 |", md);
        Assert.Contains("| entropy-autoencoder (8b) | 0, 1, 0, 0.01 |", md);
        foreach (var preset in new[] { "autoencoder", "entropy-autoencoder" })
        {
            Assert.Contains($"]({preset}/panel.png)", md);
            Assert.True(File.Exists(P($"f8/{preset}/panel.png")), preset);
        }
        Assert.Equal(4, File.ReadAllLines(P("f8/cells.jsonl")).Length);
        (code, var stdout, err) = Run("repro", "001-fig8", "--quick", "--report-only", "--out", P("f8"), "--json");
        Assert.True(code == 0, err);
        Assert.Equal(2, LastJson(stdout).GetProperty("presets").GetArrayLength());
        // The frontier, quick: a 2×2×2 sweep (points in child processes), its first-law and Maxwell tables.
        (code, stdout, err) = Run("repro", "001-frontier", "--quick", "--out", P("fr"), "--json");
        Assert.True(code == 0, err);
        Assert.Equal(8, LastJson(stdout).GetProperty("points").GetInt32());
        var fr = File.ReadAllText(P("fr/README.md"));
        Assert.Contains("| first law along δ (4 edges) |", fr);
        Assert.Contains("| eq. 30, (∂δ/∂C) = (∂γ/∂D), 1 cubes |", fr);
        Assert.True(File.Exists(P("fr/frontier-rd.png")) && File.Exists(P("fr/frontier.json")));
    }

    // --report-only turns the cells of a partial run into a report that says it is partial and how to continue,
    // with the mean ± sd over the seeds present; without cells.jsonl it is one line.
    [Fact]
    public void ReportOnlySummarisesThePartialRunItIsGiven()
    {
        var dir = P("partial");
        Directory.CreateDirectory(dir);
        string Cell(string config, int seed, double ll) => System.FormattableString.Invariant(
            $"{{\"key\":\"mnist10k|{config}|{seed}|h100|e15|b2000\",\"dataset\":\"mnist10k\",\"config\":\"{config}\",\"seed\":{seed},\"hidden\":100,\"epochs\":15,\"test_ll\":{ll},\"logz_stderr\":0.05,\"test_pl\":-100,\"emf_score\":-100,\"weight_norm\":10,\"seconds_per_epoch\":0.1,\"collapse_warnings\":0,\"train_pl_curve\":[-150,-120]}}");
        File.WriteAllText(Path.Combine(dir, "cells.jsonl"), Cell("cd", 1, -130) + "\n" + Cell("cd", 2, -134) + "\n" + Cell("pcd", 1, -125) + "\n");
        var (code, _, err) = Run("repro", "003-rbm-solvers", "--quick", "--report-only", "--out", dir);
        Assert.True(code == 0, err);
        var md = File.ReadAllText(Path.Combine(dir, "README.md"));
        Assert.Contains("Partial report: 3 of 16 cells", md);
        Assert.Contains("| mnist10k | cd | – | 2 | -132.00 ± 2.83", md);
        Assert.Contains("PCD > CD-1?", md);
        Assert.True(File.Exists(Path.Combine(dir, "mnist10k-curves.png")));

        var (code2, _, err2) = Run("repro", "003-rbm-solvers", "--report-only", "--out", P("none"));
        AssertOneLineError(code2, err2, "cells.jsonl does not exist");
    }

    // --only trains just the cells it names (a substring of "data|config"): here CD-1 alone, one seed, and not PCD,
    // whose name "mnist10k|pcd" does not contain "mnist10k|cd"; the report then says which cells are missing.
    [Fact]
    public void OnlyTrainsTheCellsItNames()
    {
        var dir = P("only");
        var (code, _, err) = Run("repro", "003-rbm-solvers", "--quick", "--seeds", "1", "--only", "mnist10k|cd", "--out", dir);
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(Path.Combine(dir, "cells.jsonl")).Where(l => l.Length > 0).ToList();
        Assert.Single(lines);
        Assert.Contains("\"config\":\"cd\"", lines[0]);
        Assert.Contains("Partial report: 1 of 8 cells", File.ReadAllText(Path.Combine(dir, "README.md")));

        var (code2, _, err2) = Run("repro", "003-rbm-solvers", "--quick", "--only", "", "--out", P("only2"));
        AssertOneLineError(code2, err2, "--only");
    }

    // 000-fig9-right's report from one seed per latent: the table, the claim lines without a spread, and no NaN in
    // metrics.json (JSON cannot hold it; this was an internal error once).
    [Fact]
    public void Fig9RightReportsFromOneSeedPerLatent()
    {
        var dir = P("fig9");
        Directory.CreateDirectory(dir);
        string Cell(string latent, double bound, double nll) => System.FormattableString.Invariant(
            $"{{\"key\":\"mnist10k|{latent}|1|784-200-50-200-784|b100|e20|k200|n500\",\"dataset\":\"mnist10k\",\"latent\":\"{latent}\",\"seed\":1,\"arch\":\"784-200-50-200-784\",\"epochs\":20,\"batch\":100,\"seconds_per_epoch\":0.5,\"heldout_bound_curve\":[200,150,{bound}],\"test_rows\":500,\"k\":200,\"test_bound\":{bound},\"test_nll\":{nll},\"test_nll_se\":0.02,\"variational_error\":{bound - nll},\"generative_error\":20,\"active_units\":40}}");
        File.WriteAllText(Path.Combine(dir, "cells.jsonl"), Cell("gaussian", 131, 126) + "\n" + Cell("laplace", 133, 127.5) + "\n" + Cell("ace-laplace", 120, 128.25) + "\n");
        var (code, _, err) = Run("repro", "000-fig9-right", "--quick", "--seeds", "1", "--report-only", "--out", dir);
        Assert.True(code == 0, err);
        var md = File.ReadAllText(Path.Combine(dir, "README.md"));
        Assert.Contains("| mnist10k | laplace | 1 | 133.00 | 127.50 |", md);
        Assert.Contains("Laplacian beats Gaussian in IS-NLL? Δ = -1.50 nats (seed spreads – (one seed) and – (one seed)): no", md);
        Assert.Contains("| mnist10k | ace-laplace | 1 | 120.00 | 128.25 |", md);
        Assert.Contains("generative ACE (Laplacian mixture) beats the Laplacian Gibbs machine in the seed's bound Σ_c ω_c B_c? Δ = +13.00 nats", md);
        Assert.Contains("fixed model Σ_c p(x|c)/10 (honest: ω depends on x, π does not)? Δ = -0.75 nats", md);
        Assert.DoesNotContain("NaN", File.ReadAllText(Path.Combine(dir, "metrics.json")));
        Assert.True(File.Exists(Path.Combine(dir, "fig9-right.png")));
    }

    // 000-fig8 and 000-fig9-left from given cells: the error table with the change relative to the classifier, the
    // partial-run line, the Q-Q links of Fig. 8 left, and the curves picture.
    [Fact]
    public void AceClassificationReportsFromCells()
    {
        var dir = P("fig8");
        Directory.CreateDirectory(dir);
        string Cell(string model, int seed, double error) => System.FormattableString.Invariant(
            $"{{\"key\":\"mnist10k|{model}|{seed}|784-700-700-700-10|784-700-100-700-784|b1000|e5\",\"dataset\":\"mnist10k\",\"model\":\"{model}\",\"seed\":{seed},\"epochs\":5,\"batch\":1000,\"seconds_per_epoch\":2.5,\"test_error\":{error},\"test_cross_entropy\":0.1,\"error_curve\":[0.2,0.1,{error}]{(seed == 1 ? ",\"kurtosis_ratio\":1.25" : "")}}}");
        File.WriteAllText(Path.Combine(dir, "cells.jsonl"), string.Join("\n", Cell("classifier", 1, 0.04), Cell("classifier", 2, 0.05), Cell("nongen", 1, 0.03), Cell("nongen", 2, 0.036)) + "\n");
        var (code, _, err) = Run("repro", "000-fig8", "--quick", "--report-only", "--out", dir);
        Assert.True(code == 0, err);
        var md = File.ReadAllText(Path.Combine(dir, "README.md"));
        Assert.Contains("| mnist10k | classifier | 2 | 4.50 ± 0.71 [4.00, 5.00] | — |", md);
        Assert.Contains("| mnist10k | nongen | 2 | 3.30 ± 0.42 [3.00, 3.60] | -27 % |", md);
        Assert.Contains("- nongen: 1.250 — ![Q-Q](nongen/qq.png)", md);
        Assert.DoesNotContain("Partial", md);
        Assert.True(File.Exists(Path.Combine(dir, "000-fig8.png")));
        var (code2, _, err2) = Run("repro", "000-fig9-left", "--quick", "--report-only", "--out", dir);
        Assert.True(code2 == 0, err2);
        Assert.Contains("Partial report: 2 of 6 cells", File.ReadAllText(Path.Combine(dir, "README.md")));
    }
}
