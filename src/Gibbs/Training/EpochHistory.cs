// The per-epoch history every trainer keeps in its checkpoint ("trainer.history"): one line per epoch, fields separated
// by ';', the epoch number first and doubles in round-trip form, so a resumed run reports the same curves. Decoding
// a corrupt line is one GibbsFormatException naming the file.
using System.Globalization;

namespace Gibbs.Training;

public static class EpochHistory
{
    /// <summary>One line per report: the epoch, then <paramref name="fields"/> (numbers via <see cref="Num"/>; text must hold no ';' or newline).</summary>
    public static string Encode<T>(IEnumerable<T> reports, Func<T, int> epoch, Func<T, IEnumerable<string>> fields) =>
        string.Join('\n', reports.Select(r => string.Join(';', fields(r).Prepend(epoch(r).ToString(CultureInfo.InvariantCulture)))));

    /// <summary>A double in round-trip form.</summary>
    public static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Decodes lines of exactly <paramref name="fields"/> fields (the epoch included): make(epoch, number(i), text(i)).</summary>
    public static List<T> Decode<T>(string text, string? path, int fields, Func<int, Func<int, double>, Func<int, string>, T> make)
    {
        var list = new List<T>();
        if (text.Length == 0) return list;
        foreach (var line in text.Split('\n'))
        {
            var f = line.Split(';');
            if (f.Length != fields || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int epoch))
                throw new GibbsFormatException($"{path ?? "training state"}: corrupt epoch history line '{line}'");
            double Number(int i) => double.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                : throw new GibbsFormatException($"{path ?? "training state"}: corrupt epoch history ('{f[i]}' is not a number)");
            list.Add(make(epoch, Number, i => f[i]));
        }
        return list;
    }
}
