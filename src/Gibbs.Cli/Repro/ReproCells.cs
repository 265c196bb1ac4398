// The units of a repro run, one JSON object per line (cells.jsonl), keyed by what defines them (data, model,
// seed, sizes). Rewritten atomically after each cell, so a killed run loses at most the cell it was in and a
// rerun skips what is done.
using System.Text;
using System.Text.Json.Nodes;
using Gibbs.Data;
using Gibbs.IO;

namespace Gibbs.Cli.Repro;

internal static class ReproCells
{
    public static Dictionary<string, JsonObject> Load(string path)
    {
        var cells = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (!File.Exists(path)) return cells;
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonObject? o;
            try { o = JsonNode.Parse(text) as JsonObject; }
            catch (System.Text.Json.JsonException e) { throw new GibbsFormatException($"{path}: line {line} is not JSON ({e.Message}); delete the file to start the run afresh"); }
            if (o?["key"]?.GetValue<string>() is not { } key) throw new GibbsFormatException($"{path}: line {line} has no \"key\"; delete the file to start the run afresh");
            cells[key] = o;
        }
        return cells;
    }

    public static void Save(string path, IReadOnlyDictionary<string, JsonObject> cells)
    {
        var sb = new StringBuilder();
        foreach (var c in cells.Values) sb.Append(c.ToJsonString()).Append('\n');
        AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>
    /// Loads OutDir/cells.jsonl and trains every (dataset, config, seed) cell it lacks — unless report-only, or not
    /// selected by --only — saving the file after each. A dataset's splits load only when one of its cells trains.
    /// </summary>
    /// <param name="key">The cell's key from (dataset, config, seed): everything that defines it.</param>
    /// <param name="train">Trains one cell from (dataset, config, seed, training split, test split).</param>
    /// <param name="said">The line said when a cell is done.</param>
    public static Dictionary<string, JsonObject> Train(ReproRun run, IEnumerable<string> datasets, IReadOnlyList<string> configs,
        Func<string, string, int, string> key, Func<string, string, ulong, Dataset, Dataset, JsonObject> train, Func<JsonObject, string> said)
    {
        var path = Path.Combine(run.OutDir, "cells.jsonl");
        var cells = Load(path);
        foreach (var dataset in datasets)
        {
            (Dataset Train, Dataset Test)? data = null;
            foreach (var config in configs)
                for (int s = 1; s <= run.Seeds; s++)
                {
                    string k = key(dataset, config, s);
                    if (cells.ContainsKey(k) || run.ReportOnly || !run.Selects($"{dataset}|{config}")) continue;
                    data ??= (Datasets.Load(dataset, DatasetSplit.Train), Datasets.Load(dataset, DatasetSplit.Test));
                    var cell = train(dataset, config, (ulong)s, data.Value.Train, data.Value.Test);
                    cell["key"] = k;
                    cells[k] = cell;
                    Save(path, cells);
                    run.Ctx.Say(said(cell));
                }
        }
        return cells;
    }
}
