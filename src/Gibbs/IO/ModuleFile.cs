// One model file format for every Module: safetensors with the module's state dict and its configuration in the header
// metadata ("format" names the model kind). Training checkpoints (TrainingState: tensors "model.*", metadata
// "config.*") load as models too. Writes are atomic; a file of another kind, or weights that are not finite, is one line.
using Gibbs.Nn;

namespace Gibbs.IO;

public static class ModuleFile
{
    /// <summary>Writes the module's state dict with <paramref name="config"/>, the format tag and <paramref name="extraMetadata"/>.</summary>
    public static void Save(Module model, string path, IReadOnlyDictionary<string, string> config, string format, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        var meta = new Dictionary<string, string>(config) { ["format"] = format, ["format_version"] = "1" };
        if (extraMetadata is not null) foreach (var (k, v) in extraMetadata) meta.TryAdd(k, v);
        using var scope = TensorScope.Begin();
        SafeTensors.Save(path, model.StateDict(), meta);
    }

    /// <summary>Loads a model file of <paramref name="format"/> or a checkpoint: <paramref name="build"/> makes the module
    /// from the configuration, then its weights load. <paramref name="writer"/> names the command that writes such files.</summary>
    public static (T Model, IReadOnlyDictionary<string, string> Metadata) Load<T>(string path, string format, string writer,
        Func<IReadOnlyDictionary<string, string>, T> build, Backends.Device? device = null) where T : Module
    {
        using var f = SafeTensors.Load(path, device);
        bool checkpoint = f.Meta("format") == Training.TrainingState.Format;
        var config = checkpoint
            ? f.Metadata.Where(kv => kv.Key.StartsWith("config.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key["config.".Length..], kv => kv.Value)
            : f.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
        if (!checkpoint && f.Meta("format") is { } fmt && fmt != format)
            throw new GibbsFormatException($"{path}: a '{fmt}' file, not a '{format}' one; pass a file written by `{writer}`");
        var model = build(config);
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
