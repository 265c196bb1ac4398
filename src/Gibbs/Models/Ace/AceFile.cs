// Classifier / ACE model files: safetensors with the state dict (hidden{i}.linear.W/b, output.W/b; W stored [in×out];
// a generative ACE holds the classifier under "classifier." and the auto-encoder under "ae.") and the configuration
// (arch, maxout, dropouts; ae_arch, ae_latent) plus the training settings in the header metadata (ModuleFile).
using Gibbs.IO;
using Gibbs.Rng;

namespace Gibbs.Models.Ace;

public static class AceFile
{
    public const string Format = "gibbs-ace-classifier";
    public const string GenerativeFormat = "gibbs-ace-generative";

    public static void Save(AceClassifier model, string path, IReadOnlyDictionary<string, string>? extraMetadata = null) =>
        ModuleFile.Save(model, path, model.Config(), Format, extraMetadata);

    public static void Save(GenerativeAce model, string path, IReadOnlyDictionary<string, string>? extraMetadata = null) =>
        ModuleFile.Save(model, path, model.Config(), GenerativeFormat, extraMetadata);

    /// <summary>Whether the file (model or checkpoint) holds a generative ACE; false for a classifier (or non-generative ACE).</summary>
    public static bool IsGenerative(string path)
    {
        using var f = SafeTensors.Load(path);
        return (f.Meta("model") ?? f.Meta("config.model")) == "ace-generative";
    }

    public static (AceClassifier Model, IReadOnlyDictionary<string, string> Metadata) Load(string path, Backends.Device? device = null) =>
        ModuleFile.Load(path, Format, "gibbs classify train` or `gibbs ace train --mode nongen", config => FromConfig(config, path, device), device);

    public static (GenerativeAce Model, IReadOnlyDictionary<string, string> Metadata) LoadGenerative(string path, Backends.Device? device = null) =>
        ModuleFile.Load(path, GenerativeFormat, "gibbs ace train --mode gen", config =>
        {
            if (config.GetValueOrDefault("model") != "ace-generative")
                throw new GibbsFormatException($"{path}: holds a '{config.GetValueOrDefault("model")}', not a generative ACE; pass a file written by `gibbs ace train --mode gen`");
            return GenerativeAce.Build(FromConfig(config, path, device), config, path, device);
        }, device);

    private static AceClassifier FromConfig(IReadOnlyDictionary<string, string> config, string where, Backends.Device? device)
    {
        string Get(string k) => config.TryGetValue(k, out var v) ? v : throw new GibbsFormatException($"{where}: not a classifier file (no '{k}' in its metadata); pass a file written by `gibbs classify train` or `gibbs ace train`");
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (Get("model") is not ("ace-classifier" or "ace-generative")) throw new GibbsFormatException($"{where}: holds a '{config["model"]}', not a classifier");
        if (!int.TryParse(Get("maxout"), inv, out int k) || !float.TryParse(Get("input_dropout"), inv, out float pin) || !float.TryParse(Get("hidden_dropout"), inv, out float ph))
            throw new GibbsFormatException($"{where}: corrupt metadata (maxout, input_dropout, hidden_dropout)");
        try { return new AceClassifier(Get("arch"), new Generator(0), new Generator(0), k, pin, ph, device); }
        catch (GibbsException e) when (e is not GibbsFormatException) { throw new GibbsFormatException($"{where}: corrupt metadata: {e.Message}"); }
    }
}
