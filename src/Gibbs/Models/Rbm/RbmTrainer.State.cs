// The trainer's whole state as a TrainingState: the model's parameters and buffers, the optimiser's
// (momentum, step count, learning rate), the generator's position, the persistent chains or
// magnetisations, the epoch and the report history. The divergence guard restores a captured copy;
// checkpoints save and load the same thing — so resuming is exact by construction.
using System.Globalization;
using Gibbs.Training;

namespace Gibbs.Models.Rbm;

public sealed partial class RbmTrainer
{
    /// <summary>A copy of everything the next update reads (owned by the caller).</summary>
    public TrainingState CaptureState()
    {
        var s = new TrainingState();
        s.AddModule(Rbm);
        s.AddOptimizer(Optimizer);
        s.AddGenerator("train", Generator);
        if (_chainV is not null) s.SetTensor("trainer.chain_v", _chainV);
        if (_chainH is not null) s.SetTensor("trainer.chain_h", _chainH);
        s.SetMeta("trainer.epoch", Epoch.ToString(CultureInfo.InvariantCulture));
        s.SetMeta("trainer.solver", Options.Solver.ToString().ToLowerInvariant());
        s.SetMeta("trainer.initialized", _initialized ? "true" : "false");
        s.SetMeta("trainer.history", EncodeHistory(_history));
        return s;
    }

    /// <summary>Restores a state captured by <see cref="CaptureState"/> or loaded from a checkpoint.</summary>
    public void RestoreState(TrainingState s)
    {
        if (s.Meta("trainer.solver") != Options.Solver.ToString().ToLowerInvariant())
            throw new GibbsException($"{s.Path ?? "the saved state"} was trained with solver {s.Meta("trainer.solver")}; resume with the same --solver");
        int epoch = s.MetaInt("trainer.epoch");
        var history = DecodeHistory(s.Meta("trainer.history"), s.Path);
        s.RestoreModule(Rbm);
        s.RestoreOptimizer(Optimizer);
        s.RestoreGenerator("train", Generator);
        RestoreChain(ref _chainV, s.TryTensor("trainer.chain_v"));
        RestoreChain(ref _chainH, s.TryTensor("trainer.chain_h"));
        Epoch = epoch;
        _initialized = s.TryMeta("trainer.initialized") != "false";
        _history.Clear();
        _history.AddRange(history);
    }

    private void RestoreChain(ref Tensor? chain, Tensor? saved)
    {
        if (saved is null)
        {
            chain?.Dispose();
            chain = null;
            return;
        }
        if (chain is null || !chain.Shape.SequenceEqual(saved.Shape))
        {
            chain?.Dispose();
            chain = Tensor.Zeros(saved.Shape, Rbm.Device).Untrack();
        }
        using var _ = Tensor.NoGrad();
        chain.CopyFrom(saved.Device == Rbm.Device ? saved : saved.To(Rbm.Device).Untrack());
    }

    // One report per line, fields separated by ';' (round-trip "R" formats; NaN as NaN); the warning text last.
    private static string EncodeHistory(IEnumerable<RbmEpochReport> history) => EpochHistory.Encode(history, r => r.Epoch, r =>
        new[] { r.Seconds, r.PseudoLikelihood, r.ReconstructionError, r.FreeEnergyTrain, r.FreeEnergyValidation, r.WeightNorm, r.ChainDistinct, r.ChainDistance, r.DataDistance }
            .Select(EpochHistory.Num).Append((r.Warning ?? "").Replace(';', ',').Replace('\n', ' ')));

    private static List<RbmEpochReport> DecodeHistory(string text, string? path) => EpochHistory.Decode(text, path, 11, (e, n, t) =>
        new RbmEpochReport(e, n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(8), n(9), t(10).Length == 0 ? null : t(10)));
}
