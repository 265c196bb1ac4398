// Option validation shared by the commands: numeric ranges checked while parsing, so a bad value is a usage
// error (exit 2) naming the option, the value and what is accepted — before any data is loaded.
using System.CommandLine;
using System.Globalization;

namespace Gibbs.Cli;

internal static class CliOptions
{
    /// <summary>Adds a check that the value is ≥ <paramref name="min"/>.</summary>
    public static Option<int> AtLeast(this Option<int> o, int min, string? meaning = null)
    {
        o.Validators.Add(r =>
        {
            if (!TryValue<int>(r, out var v)) return; // a value that does not parse is reported by the parser
            if (v < min) r.AddError($"{o.Name} must be at least {min}{(meaning is null ? "" : $" ({meaning})")}, got {v}");
        });
        return o;
    }

    /// <summary>Adds a check that the value is a finite number &gt; 0 (or ≥ 0 with <paramref name="allowZero"/>).</summary>
    public static Option<float> Positive(this Option<float> o, bool allowZero = false)
    {
        o.Validators.Add(r =>
        {
            if (!TryValue<float>(r, out var v)) return;
            if (!float.IsFinite(v) || v < 0 || (!allowZero && v == 0))
                r.AddError($"{o.Name} must be a {(allowZero ? "non-negative" : "positive")} number, got {v.ToString(CultureInfo.InvariantCulture)}");
        });
        return o;
    }

    private static bool TryValue<T>(System.CommandLine.Parsing.OptionResult r, out T value)
    {
        try
        {
            value = r.GetValueOrDefault<T>()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    /// <summary>A ulong option whose parse error says what is accepted (not the .NET type name).</summary>
    public static ulong ParseSeed(System.CommandLine.Parsing.ArgumentResult r)
    {
        var tok = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
        if (ulong.TryParse(tok, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
        r.AddError($"--seed must be a whole number from 0 to 18446744073709551615, got '{tok}'");
        return 0;
    }
}
