// Checkpoint state of a trainer: epoch, generator position, momentum buffers and persistent chains —
// enough to resume a run so that it continues exactly as if it had not stopped.
using System.Globalization;
using Gibbs.IO;

namespace Gibbs.Models.Rbm;

public sealed partial class RbmTrainer
{
    /// <summary>Trainer tensors to store beside the model in a checkpoint.</summary>
    public Dictionary<string, Tensor> StateTensors()
    {
        var d = new Dictionary<string, Tensor>();
        for (int i = 0; i < _velocity.Length; i++) if (_velocity[i] is { } v) d[$"trainer.velocity.{i}"] = v;
        if (_chainV is not null) d["trainer.chain_v"] = _chainV;
        if (_chainH is not null) d["trainer.chain_h"] = _chainH;
        return d;
    }

    /// <summary>Trainer metadata for a checkpoint.</summary>
    public Dictionary<string, string> StateMetadata() => new()
    {
        ["trainer.epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
        ["trainer.rng_key"] = Generator.State.Seed.ToString(CultureInfo.InvariantCulture),
        ["trainer.rng_counter"] = Generator.State.Counter.ToString(CultureInfo.InvariantCulture),
        ["trainer.solver"] = Options.Solver.ToString().ToLowerInvariant(),
    };

    /// <summary>Restores state saved by <see cref="StateTensors"/> and <see cref="StateMetadata"/>.</summary>
    public void Restore(SafeTensorsFile checkpoint)
    {
        string Need(string key) => checkpoint.Meta(key) ?? throw new GibbsFormatException($"{checkpoint.Path}: not a training checkpoint (no '{key}'); pass a checkpoint written by `gibbs rbm train`");
        if (Need("trainer.solver") != Options.Solver.ToString().ToLowerInvariant())
            throw new GibbsException($"{checkpoint.Path} was trained with solver {Need("trainer.solver")}; resume with the same --solver");
        Epoch = int.Parse(Need("trainer.epoch"), CultureInfo.InvariantCulture);
        Generator.State = (ulong.Parse(Need("trainer.rng_key"), CultureInfo.InvariantCulture), ulong.Parse(Need("trainer.rng_counter"), CultureInfo.InvariantCulture));
        for (int i = 0; i < _velocity.Length; i++)
            if (checkpoint.Tensors.TryGetValue($"trainer.velocity.{i}", out var v))
                (_velocity[i] ??= Tensor.ZerosLike(Rbm.Parameters[i]).Untrack()).CopyFrom(v);
        if (checkpoint.Tensors.TryGetValue("trainer.chain_v", out var cv)) (_chainV ??= Tensor.Zeros(cv.Shape, Rbm.Device).Untrack()).CopyFrom(cv);
        if (checkpoint.Tensors.TryGetValue("trainer.chain_h", out var ch)) (_chainH ??= Tensor.Zeros(ch.Shape, Rbm.Device).Untrack()).CopyFrom(ch);
    }
}
