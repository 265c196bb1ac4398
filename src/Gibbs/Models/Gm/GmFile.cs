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
    public static void Save(GibbsMachine model, string path, IReadOnlyDictionary<string, string>? extraMetadata = null) =>
        ModuleFile.Save(model, path, model.Config(), Format, extraMetadata);

    /// <summary>Loads a model file or a training checkpoint; returns the model and the file's metadata.</summary>
    public static (GibbsMachine Model, IReadOnlyDictionary<string, string> Metadata) Load(string path, Backends.Device? device = null) =>
        ModuleFile.Load(path, Format, "gibbs gm train", config => GibbsMachine.FromConfig(config, path, device), device);
}
