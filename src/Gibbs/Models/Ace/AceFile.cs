// Classifier / ACE model files: safetensors with the state dict (hidden{i}.linear.W/b, output.W/b; W stored [in×out])
// and the configuration (arch, maxout, dropouts) plus the training settings in the header metadata (ModuleFile).
using Gibbs.IO;
using Gibbs.Rng;

namespace Gibbs.Models.Ace;

public static class AceFile
{
    public const string Format = "gibbs-ace-classifier";

    public static void Save(AceClassifier model, string path, IReadOnlyDictionary<string, string>? extraMetadata = null) =>
        ModuleFile.Save(model, path, model.Config(), Format, extraMetadata);

    public static (AceClassifier Model, IReadOnlyDictionary<string, string> Metadata) Load(string path, Backends.Device? device = null) =>
        ModuleFile.Load(path, Format, "gibbs classify train` or `gibbs ace train", config => FromConfig(config, path, device), device);

    private static AceClassifier FromConfig(IReadOnlyDictionary<string, string> config, string where, Backends.Device? device)
    {
        string Get(string k) => config.TryGetValue(k, out var v) ? v : throw new GibbsFormatException($"{where}: not a classifier file (no '{k}' in its metadata); pass a file written by `gibbs classify train` or `gibbs ace train`");
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (Get("model") != "ace-classifier") throw new GibbsFormatException($"{where}: holds a '{config["model"]}', not a classifier");
        if (!int.TryParse(Get("maxout"), inv, out int k) || !float.TryParse(Get("input_dropout"), inv, out float pin) || !float.TryParse(Get("hidden_dropout"), inv, out float ph))
            throw new GibbsFormatException($"{where}: corrupt metadata (maxout, input_dropout, hidden_dropout)");
        try { return new AceClassifier(Get("arch"), new Generator(0), new Generator(0), k, pin, ph, device); }
        catch (GibbsException e) when (e is not GibbsFormatException) { throw new GibbsFormatException($"{where}: corrupt metadata: {e.Message}"); }
    }
}
