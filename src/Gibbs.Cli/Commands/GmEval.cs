// `gibbs gm eval`: the honest likelihood of a Gibbs machine on a dataset (000_c7b547386cdeff84.txt §3.4–3.8): the bound
// B = D_gen − log L_rec, the importance-sampled NLL with k draws (± its Monte-Carlo s.e.), D_var = B − NLL, active
// units, and the seed's own D_var estimates (regression on the sufficient statistics, eqs. 3.11 and 3.16) beside the
// importance-sampled D_var of the same rows.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.Models.Gm;

namespace Gibbs.Cli.Commands;

public static partial class GmCommand
{
    private static Command BuildEval()
    {
        var model = ModelOption();
        var data = new Option<string>("--data") { Description = "Dataset name or file", DefaultValueFactory = _ => "mnist10k" };
        var split = DataCommand.SplitOption(DatasetSplit.Test);
        var k = new Option<int>("--k") { Description = "Importance samples per row (5000 for reports)", DefaultValueFactory = _ => 5000 }.AtLeast(2);
        var limit = new Option<int>("--limit") { Description = "Evaluate on N rows spread evenly through the split (0 = all)" }.AtLeast(0, "0 = all");
        var binarize = new Option<string?>("--binarize") { Description = "Override the model's binarisation: dynamic (one fixed draw), threshold or none" };
        var dvarRows = new Option<int>("--dvar-rows") { Description = "Rows for the seed's regression estimate of D_var (0 = skip)", DefaultValueFactory = _ => 10 }.AtLeast(0);
        var dvarDraws = new Option<int>("--dvar-draws") { Description = "Posterior draws per row for the regression", DefaultValueFactory = _ => 4000 }.AtLeast(10);
        var cmd = new Command("eval", "Evaluate a Gibbs machine: bound, importance-sampled NLL ± s.e., D_var (and the seed's regression estimates), active units.")
        {
            model, data, split, k, limit, binarize, dvarRows, dvarDraws, DistortOption,
        };
        cmd.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var (m, meta) = LoadModel(parse.GetValue(model)!, ctx);
            using var _m = m;
            // The distortion the model was trained with, unless --distort says otherwise (applied before --limit picks rows,
            // so row i is distorted as it was in training's held-out evaluation).
            var ds = Distorted(LoadData(parse.GetValue(data)!, parse.GetValue(split), parse, m),
                ParseDistortion(parse, parse.GetValue(DistortOption) ?? meta.GetValueOrDefault("distort")), parse.GetValue(split));

            var mode = BinarizeOf(meta, parse.GetValue(binarize));
            using var scope = TensorScope.Begin();
            var x = Rows(ds, m, mode, ctx.Device, parse.GetValue(limit) > 0 ? SpreadRows(ds.Count, parse.GetValue(limit)) : null);
            int count = x.Dim(0);
            int kk = parse.GetValue(k);
            var gen = Gen(ctx, 0x6e6c6c);
            // Blocks of rows so the progress bar moves; each block is chunked over k inside.
            const int block = 50;
            var parts = new List<GmLikelihood>();
            Progress.Run($"importance sampling (k = {kk})", report =>
            {
                for (int r = 0; r < count; r += block)
                {
                    using var s = TensorScope.Begin();
                    parts.Add(m.ImportanceSampledNll(x.Slice(0, r, Math.Min(block, count - r)), kk, gen));
                    report(Math.Min(count, r + block), count, null);
                }
                return 0;
            });
            var lik = new GmLikelihood([.. parts.SelectMany(p => p.Nll)], [.. parts.SelectMany(p => p.NllStdErr)], [.. parts.SelectMany(p => p.Bound)], [.. parts.SelectMany(p => p.GenerativeError)], kk);
            var active = m.ActiveUnits(x);
            var json = new JsonObject
            {
                ["command"] = "gm eval", ["model"] = Path.GetFullPath(parse.GetValue(model)!), ["dataset"] = ds.Name, ["rows"] = count,
                ["binarize"] = mode.ToString().ToLowerInvariant(), ["k"] = kk, ["bound"] = lik.MeanBound, ["generative_error"] = lik.MeanGenerativeError,
                ["nll"] = lik.MeanNll, ["nll_se"] = lik.MeanNllStdErr, ["variational_error"] = lik.MeanVariationalError,
                ["active_units"] = active.Length, ["latent_units"] = m.LatentSize,
            };
            ctx.Say($"{ds.Name} ({count} rows, {mode.ToString().ToLowerInvariant()} binarisation), Gibbs machine {m.Architecture} with {m.Latent.Name} latents:");
            ctx.Say(string.Create(CultureInfo.InvariantCulture, $"  bound B = D_gen − log L_rec   {lik.MeanBound,10:F3} nats   (D_gen {lik.MeanGenerativeError:F3})"));
            ctx.Say(string.Create(CultureInfo.InvariantCulture, $"  importance-sampled NLL        {lik.MeanNll,10:F3} ± {lik.MeanNllStdErr:F3} nats (k = {kk})"));
            ctx.Say(string.Create(CultureInfo.InvariantCulture, $"  D_var = B − NLL               {lik.MeanVariationalError,10:F3} nats"));
            ctx.Say($"  active latent units           {active.Length} of {m.LatentSize} (Var_x μ > 0.01)");
            int dr = Math.Min(parse.GetValue(dvarRows), count);
            if (dr > 0 && active.Length > 0)
            {
                int draws = Math.Max(parse.GetValue(dvarDraws), 4 * (1 + m.Latent.RegressionFeatures(0, 0).Length * active.Length));
                var rows = Enumerable.Range(0, dr).Select(i => (int)((long)i * count / dr)).ToArray();
                var regs = Progress.Run("D_var regression", report => rows.Select((r, i) =>
                {
                    report(i, rows.Length, null);
                    using var s = TensorScope.Begin();
                    return m.RegressionVariationalError(x.Slice(0, r, 1), active, draws, gen);
                }).ToList());
                double isDvar = rows.Average(r => lik.Bound[r] - lik.Nll[r]);
                json["dvar_rows"] = dr;
                json["dvar_draws"] = draws;
                json["dvar_importance_sampled"] = isDvar;
                json["dvar_regression_gaussian"] = regs.Average(r => r.Gaussian);
                json["dvar_regression_monte_carlo"] = regs.Average(r => r.MonteCarlo);
                ctx.Say(string.Create(CultureInfo.InvariantCulture,
                    $"  D_var on {dr} rows: importance-sampled {isDvar:F3}; the seed's regression (§3.8, {draws} draws, {active.Length} active units): σ_ε²/2 = {regs.Average(r => r.Gaussian):F3}, log E[e^ε] = {regs.Average(r => r.MonteCarlo):F3}"));
            }
            ctx.Result(json);
            return 0;
        });
        return cmd;
    }
}
