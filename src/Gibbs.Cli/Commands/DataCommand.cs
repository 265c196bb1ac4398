// `gibbs data list` and `gibbs data info NAME|PATH`: what datasets exist and what one contains.
using System.CommandLine;
using System.Text.Json.Nodes;
using Gibbs.Data;

namespace Gibbs.Cli.Commands;

public static class DataCommand
{
    public static readonly Option<string?> DataDir = new("--data-dir") { Description = "Directory to search for datasets (before $GIBBS_DATA and system locations)", Recursive = true };

    /// <summary>The --data-dir value; a directory the user names must exist (no silent fall-back to the system location).</summary>
    public static string? GetDataDir(ParseResult parse)
    {
        var dir = parse.GetValue(DataDir);
        if (dir is not null && !Directory.Exists(dir))
            throw new GibbsException($"--data-dir '{dir}' does not exist: give the folder that holds the dataset files (e.g. /usr/share/datasets), or drop --data-dir");
        return dir;
    }

    public static Command Build()
    {
        var cmd = new Command("data", "List and inspect datasets.");
        cmd.Add(DataDir);
        var list = new Command("list", "List the datasets Gibbs knows and whether each is available here.");
        list.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var arr = new JsonArray();
            foreach (var d in Datasets.List(GetDataDir(parse)))
            {
                ctx.Say($"{d.Name,-14} {(d.Available ? "available  " : "unavailable")} {d.Description}");
                ctx.Say($"{"",-14} {(d.Available ? d.Location : d.WhyNot)}");
                arr.Add(new JsonObject { ["name"] = d.Name, ["available"] = d.Available, ["location"] = d.Location, ["description"] = d.Description, ["why_not"] = d.WhyNot });
            }
            ctx.Result(new JsonObject { ["command"] = "data list", ["datasets"] = arr });
            return 0;
        });
        var name = new Argument<string>("dataset") { Description = "A dataset name (see `gibbs data list`) or a file (.idx[.gz], .npy, .safetensors)" };
        var split = SplitOption();
        var info = new Command("info", "Show a dataset's size, features, classes, value range and source.");
        info.Add(name);
        info.Add(split);
        info.SetAction(parse =>
        {
            var ctx = Context.From(parse);
            var d = Datasets.Load(parse.GetValue(name)!, parse.GetValue(split), GetDataDir(parse), allowNonFinite: true);
            var (min, max) = d.Range();
            bool binary = d.IsBinary();
            int nonFinite = d.NonFiniteCount();
            ctx.Say($"{d.Name}: {d.Count} samples × {d.Features} features ({string.Join("×", d.SampleShape)}), {d.Classes} classes");
            ctx.Say($"{(nonFinite > 0 ? "finite " : "")}values in [{min}, {max}]{(binary ? ", binary" : "")}; source: {d.Source}");
            if (nonFinite > 0) ctx.Say($"{nonFinite} non-finite values (NaN or ±Infinity): other commands refuse this file until they are replaced or dropped");
            if (d.Classes > 0) ctx.Say("per class: " + string.Join(" ", d.ClassCounts()));
            ctx.Result(new JsonObject
            {
                ["command"] = "data info",
                ["name"] = d.Name,
                ["split"] = parse.GetValue(split).ToString().ToLowerInvariant(),
                ["samples"] = d.Count,
                ["features"] = d.Features,
                ["classes"] = d.Classes,
                ["sample_shape"] = new JsonArray(d.SampleShape.Select(x => (JsonNode)x).ToArray()),
                ["class_counts"] = new JsonArray(d.ClassCounts().Select(x => (JsonNode)x).ToArray()),
                ["min"] = min,
                ["max"] = max,
                ["binary"] = binary,
                ["non_finite"] = nonFinite,
                ["source"] = d.Source,
            });
            return 0;
        });
        cmd.Add(list);
        cmd.Add(info);
        return cmd;
    }

    /// <summary>--split train|test|all (default: all for `data info`, given per command).</summary>
    /// <summary>A named dataset's <paramref name="split"/>, or the whole of a file (which has no splits).</summary>
    public static Dataset Load(string name, DatasetSplit split, ParseResult parse) =>
        Datasets.Load(name, IsNamed(name) ? split : DatasetSplit.All, GetDataDir(parse));

    /// <summary>True for a catalogue name (mnist10k, fashion-mnist, …), false for a file.</summary>
    public static bool IsNamed(string name) => Datasets.Names.Contains(name.Trim().ToLowerInvariant());

    public static Option<DatasetSplit> SplitOption(DatasetSplit fallback = DatasetSplit.All) => new("--split")
    {
        Description = "train, test or all",
        DefaultValueFactory = _ => fallback,
    };
}
