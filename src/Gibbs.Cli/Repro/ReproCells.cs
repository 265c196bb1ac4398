// The units of a repro run, one JSON object per line (cells.jsonl), keyed by what defines them (data, model,
// seed, sizes). Rewritten atomically after each cell, so a killed run loses at most the cell it was in and a
// rerun skips what is done.
using System.Text;
using System.Text.Json.Nodes;
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
}
