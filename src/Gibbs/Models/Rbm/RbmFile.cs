// RBM model files: safetensors with W [n_visible × n_hidden], b_v [n_visible], b_h [n_hidden] and, for
// Gaussian visibles, sigma [n_visible]; the configuration in the header metadata. Files written by other
// tools (numpy, PyTorch) load too: without metadata, a 'sigma' tensor means Gaussian visibles.
using System.Globalization;
using Gibbs.IO;

namespace Gibbs.Models.Rbm;

public static class RbmFile
{
    public const string FormatVersion = "1";

    /// <summary>Saves the model atomically; <paramref name="extraTensors"/>/<paramref name="extraMetadata"/> carry checkpoint state.</summary>
    public static void Save(Rbm rbm, string path, IReadOnlyDictionary<string, string>? extraMetadata = null, IReadOnlyDictionary<string, Tensor>? extraTensors = null)
    {
        using var scope = TensorScope.Begin();
        var tensors = new Dictionary<string, Tensor> { ["W"] = rbm.W, ["b_v"] = rbm.VisibleBias, ["b_h"] = rbm.HiddenBias };
        var meta = new Dictionary<string, string>
        {
            ["format"] = "gibbs-rbm",
            ["format_version"] = FormatVersion,
            ["visible"] = rbm.Kind == VisibleKind.Gaussian ? "gaussian" : "bernoulli",
            ["n_visible"] = rbm.NVisible.ToString(CultureInfo.InvariantCulture),
            ["n_hidden"] = rbm.NHidden.ToString(CultureInfo.InvariantCulture),
        };
        if (rbm is GaussianBernoulliRbm g)
        {
            using var _ = Tensor.NoGrad();
            tensors["sigma"] = (g.LogVariance * 0.5f).Exp();
            meta["learn_sigma"] = g.LearnSigma ? "true" : "false";
        }
        if (extraMetadata is not null) foreach (var (k, v) in extraMetadata) meta[k] = v;
        if (extraTensors is not null) foreach (var (k, v) in extraTensors) tensors[k] = v;
        SafeTensors.Save(path, tensors, meta);
    }

    /// <summary>Loads an RBM from a Gibbs file or any safetensors file with W, b_v, b_h (and sigma).</summary>
    public static Rbm Load(string path, Backends.Device? device = null)
    {
        using var f = SafeTensors.Load(path, device);
        return FromFile(f, device);
    }

    /// <summary>Builds an RBM from an already loaded file (checkpoints keep the file open for trainer state).</summary>
    public static Rbm FromFile(SafeTensorsFile f, Backends.Device? device = null)
    {
        if (!f.Tensors.ContainsKey("W"))
            throw new GibbsFormatException($"{f.Path}: not an RBM file: no tensor 'W' [n_visible × n_hidden] (it has: {string.Join(", ", f.Tensors.Keys)})");
        var w = f["W"];
        if (w.Rank != 2) throw new GibbsFormatException($"{f.Path}: W must be [n_visible × n_hidden], got {Tensor.Format(w.Shape)}");
        int nv = w.Dim(0), nh = w.Dim(1);
        bool gaussian = f.Meta("visible") is { } v ? v == "gaussian" : f.Tensors.ContainsKey("sigma");
        Rbm rbm = gaussian
            ? new GaussianBernoulliRbm(nv, nh, 1f, f.Meta("learn_sigma") == "true", device)
            : new BernoulliRbm(nv, nh, device);
        try
        {
            rbm.W.CopyFrom(w);
            Copy(f, "b_v", nv, rbm.VisibleBias);
            Copy(f, "b_h", nh, rbm.HiddenBias);
            if (rbm is GaussianBernoulliRbm g)
            {
                var sigma = f.Tensors.TryGetValue("sigma", out var s) ? s.ToArray() : Enumerable.Repeat(1f, nv).ToArray();
                if (sigma.Length != nv) throw new GibbsFormatException($"{f.Path}: sigma has {sigma.Length} values for {nv} visible units");
                if (sigma.Any(x => !(x > 0) || !float.IsFinite(x))) throw new GibbsFormatException($"{f.Path}: sigma must be positive and finite");
                g.LogVariance.CopyFrom(sigma.Select(x => 2f * MathF.Log(x)).ToArray());
            }
            foreach (var p in rbm.Parameters)
                if (!p.AllFinite()) throw new GibbsFormatException($"{f.Path}: the model has NaN or infinite parameters");
            return rbm;
        }
        catch
        {
            rbm.Dispose();
            throw;
        }
    }

    private static void Copy(SafeTensorsFile f, string name, int n, Tensor dst)
    {
        if (!f.Tensors.TryGetValue(name, out var t)) { dst.FillInPlace(0f); return; }
        if (t.Length != n) throw new GibbsFormatException($"{f.Path}: {name} has {t.Length} values but W implies {n}");
        dst.CopyFrom(t.ToArray());
    }
}
