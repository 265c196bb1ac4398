// RBM model files: safetensors holding the model's state dict — W [n_visible × n_hidden], b_v [n_visible],
// b_h [n_hidden] and, for Gaussian visibles, log_sigma2, shift and scale [n_visible] (the input
// standardisation u = (v − shift)/scale; see GaussianBernoulliRbm) plus sigma = exp(log_sigma2/2) for readers
// that want it — with the configuration in the header metadata. Training checkpoints (TrainingState, tensors
// "model.*") load as models too. Files written by other tools (numpy, PyTorch) load: without metadata, a
// 'sigma' or 'log_sigma2' tensor means Gaussian visibles (then shift = 0, scale = 1 unless given).
using System.Globalization;
using Gibbs.IO;

namespace Gibbs.Models.Rbm;

public static class RbmFile
{
    public const string FormatVersion = "2";

    /// <summary>The model's metadata (kind, sizes) for a model file or a checkpoint.</summary>
    public static Dictionary<string, string> Metadata(Rbm rbm)
    {
        var meta = new Dictionary<string, string>
        {
            ["format"] = "gibbs-rbm",
            ["format_version"] = FormatVersion,
            ["visible"] = rbm.Kind == VisibleKind.Gaussian ? "gaussian" : "bernoulli",
            ["n_visible"] = rbm.NVisible.ToString(CultureInfo.InvariantCulture),
            ["n_hidden"] = rbm.NHidden.ToString(CultureInfo.InvariantCulture),
        };
        if (rbm is GaussianBernoulliRbm g) meta["learn_sigma"] = g.LearnSigma ? "true" : "false";
        return meta;
    }

    /// <summary>Saves the model atomically, with <paramref name="extraMetadata"/> (e.g. the training configuration).</summary>
    public static void Save(Rbm rbm, string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        using var scope = TensorScope.Begin();
        using var _ = Tensor.NoGrad();
        var tensors = rbm.StateDict();
        if (rbm is GaussianBernoulliRbm g) tensors["sigma"] = (g.LogVariance * 0.5f).Exp();
        var meta = Metadata(rbm);
        if (extraMetadata is not null) foreach (var (k, v) in extraMetadata) meta[k] = v;
        SafeTensors.Save(path, tensors, meta);
    }

    /// <summary>Loads an RBM from a Gibbs model file, a training checkpoint, or any safetensors file with W, b_v, b_h (and sigma).</summary>
    public static Rbm Load(string path, Backends.Device? device = null)
    {
        using var f = SafeTensors.Load(path, device);
        return FromFile(f, device);
    }

    /// <summary>Builds an RBM from an already loaded file.</summary>
    public static Rbm FromFile(SafeTensorsFile f, Backends.Device? device = null)
    {
        string prefix = !f.Tensors.ContainsKey("W") && f.Tensors.ContainsKey("model.W") ? "model." : "";
        Tensor? T(string name) => f.Tensors.GetValueOrDefault(prefix + name);
        var w = T("W") ?? throw new GibbsFormatException($"{f.Path}: not an RBM file: no tensor 'W' [n_visible × n_hidden] (it has: {string.Join(", ", f.Tensors.Keys)})");
        if (w.Rank != 2) throw new GibbsFormatException($"{f.Path}: W must be [n_visible × n_hidden], got {Tensor.Format(w.Shape)}");
        int nv = w.Dim(0), nh = w.Dim(1);
        bool gaussian = f.Meta("visible") is { } v ? v == "gaussian" : T("sigma") is not null || T("log_sigma2") is not null;
        Rbm rbm = gaussian
            ? new GaussianBernoulliRbm(nv, nh, 1f, f.Meta("learn_sigma") == "true", device)
            : new BernoulliRbm(nv, nh, device);
        try
        {
            using var _ = Tensor.NoGrad();
            rbm.W.CopyFrom(w);
            Copy(f, T("b_v"), "b_v", nv, rbm.VisibleBias, 0f);
            Copy(f, T("b_h"), "b_h", nh, rbm.HiddenBias, 0f);
            if (rbm is GaussianBernoulliRbm g)
            {
                if (T("log_sigma2") is { } z) Copy(f, z, "log_sigma2", nv, g.LogVariance, 0f);
                else
                {
                    var sigma = T("sigma")?.ToArray() ?? Enumerable.Repeat(1f, nv).ToArray();
                    if (sigma.Length != nv) throw new GibbsFormatException($"{f.Path}: sigma has {sigma.Length} values for {nv} visible units");
                    if (sigma.Any(x => !(x > 0) || !float.IsFinite(x))) throw new GibbsFormatException($"{f.Path}: sigma must be positive and finite");
                    g.LogVariance.CopyFrom(sigma.Select(x => 2f * MathF.Log(x)).ToArray());
                }
                Copy(f, T("shift"), "shift", nv, g.Shift, 0f);
                Copy(f, T("scale"), "scale", nv, g.Scale, 1f);
                if (g.Scale.MinValue() <= 0) throw new GibbsFormatException($"{f.Path}: scale must be positive");
            }
            foreach (var (name, p) in rbm.StateDict())
                if (!p.AllFinite()) throw new GibbsFormatException($"{f.Path}: the model's {name} has NaN or infinite values");
            return rbm;
        }
        catch
        {
            rbm.Dispose();
            throw;
        }
    }

    private static void Copy(SafeTensorsFile f, Tensor? t, string name, int n, Tensor dst, float fallback)
    {
        if (t is null) { dst.FillInPlace(fallback); return; }
        if (t.Length != n) throw new GibbsFormatException($"{f.Path}: {name} has {t.Length} values but W implies {n}");
        dst.CopyFrom(t.ToArray());
    }
}
