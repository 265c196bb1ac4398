// Gibbs-machine model files: safetensors with the module's state dict (encoder{i}.W/b, mu.W/b, log_sigma.W/b,
// decoder{i}.W/b, output.W/b, output_log_sigma for Gaussian reconstruction; W stored [in×out]) and its configuration
// (arch, latent, reconstruction) plus the training settings in the header metadata. Training checkpoints
// (TrainingState: tensors "model.*", metadata "config.*") load as models too.
using Gibbs.IO;

namespace Gibbs.Models.Gm;

public static class GmFile
{
    public const string Format = "gibbs-gm";

    /// <summary>Writes the model atomically with its configuration and <paramref name="extraMetadata"/>.</summary>
    public static void Save(GibbsMachine model, string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        var meta = new Dictionary<string, string>(model.Config()) { ["format"] = Format, ["format_version"] = "1" };
        if (extraMetadata is not null) foreach (var (k, v) in extraMetadata) meta.TryAdd(k, v);
        using var scope = TensorScope.Begin();
        SafeTensors.Save(path, model.StateDict(), meta);
    }

    /// <summary>Loads a model file or a training checkpoint; returns the model and the file's metadata.</summary>
    public static (GibbsMachine Model, IReadOnlyDictionary<string, string> Metadata) Load(string path, Backends.Device? device = null)
    {
        using var f = SafeTensors.Load(path, device);
        bool checkpoint = f.Meta("format") == Training.TrainingState.Format;
        var config = checkpoint
            ? f.Metadata.Where(kv => kv.Key.StartsWith("config.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key["config.".Length..], kv => kv.Value)
            : f.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
        if (!checkpoint && f.Meta("format") is { } fmt && fmt != Format)
            throw new GibbsFormatException($"{path}: a '{fmt}' file, not a Gibbs machine; pass a file written by `gibbs gm train`");
        var model = GibbsMachine.FromConfig(config, path, device);
        try
        {
            var state = f.Tensors.Where(kv => !checkpoint || kv.Key.StartsWith("model.", StringComparison.Ordinal))
                .ToDictionary(kv => checkpoint ? kv.Key["model.".Length..] : kv.Key, kv => kv.Value);
            model.LoadStateDict(state);
            foreach (var p in model.Parameters())
                if (!p.AllFinite()) throw new GibbsFormatException($"{path}: the weights hold NaN or infinite values; retrain, or resume from an earlier checkpoint");
        }
        catch (GibbsException e) when (e is not GibbsFormatException)
        {
            model.Dispose();
            throw new GibbsFormatException($"{path}: {e.Message}");
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return (model, f.Metadata);
    }
}
