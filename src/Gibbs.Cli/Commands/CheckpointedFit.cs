// The epoch loop of the `train` commands that checkpoint (gm train, therml train): a progress bar over epochs and
// batches, the training state saved after every epoch, and a divergence turned into one line that names the last good
// checkpoint and how to continue from it.
using Gibbs.Training;

namespace Gibbs.Cli.Commands;

internal static class CheckpointedFit
{
    /// <param name="fit">Runs the trainer's Fit with (after each epoch: save the checkpoint, then the caller's own work; and the batch progress callback).</param>
    /// <param name="resumeFlags">What continues a run, e.g. "--resume" or "--resume --force".</param>
    public static void Run(int epochs, Func<int> epoch, Func<TrainingState> capture, string checkpointPath, IReadOnlyDictionary<string, string> meta,
                           bool resume, string resumeFlags, Action<Action, Action<int, int>> fit)
    {
        bool wrote = false;
        Progress.Run("training", report =>
        {
            try
            {
                fit(() =>
                {
                    using (var state = capture()) state.Save(checkpointPath, meta);
                    wrote = true;
                }, (b, n) => report(epoch() + (double)b / n, epochs, $"epoch {epoch() + 1}/{epochs}"));
            }
            catch (GibbsException e) when (e.Message.Contains("diverged", StringComparison.Ordinal))
            {
                throw new GibbsException((wrote || resume) && File.Exists(checkpointPath)
                    ? $"{e.Message}; the last good checkpoint (epoch {epoch()}) is {checkpointPath} — continue from it with {resumeFlags} and a smaller --lr"
                    : e.Message);
            }
            return 0;
        });
    }
}
