// Font resolution for headless machines: a sans-serif family that really has Latin glyphs, found by
// name through the font manager, else loaded from a known file path, else SkiaSharp's default (which
// may draw no text at all — pictures are still written). GIBBS_PLOT_FONT may name a .ttf/.otf file.
using SkiaSharp;

namespace Gibbs.Plots.Internals;

internal static class PlotFonts
{
    private static readonly string[] Families = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "FreeSans"];

    private static readonly string[] Files =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        @"C:\Windows\Fonts\arial.ttf",
    ];

    private static readonly Lazy<(SKTypeface Typeface, string Family)> Resolved = new(Resolve);

    /// <summary>The typeface used for text drawn directly with SkiaSharp.</summary>
    public static SKTypeface Typeface => Resolved.Value.Typeface;

    /// <summary>The family name to give ScottPlot (registered with it when loaded from a file).</summary>
    public static string Family => Resolved.Value.Family;

    private static (SKTypeface, string) Resolve()
    {
        var env = Environment.GetEnvironmentVariable("GIBBS_PLOT_FONT");
        if (!string.IsNullOrEmpty(env) && FromFile(env) is { } custom)
            return custom;
        foreach (var family in Families)
        {
            var tf = SKFontManager.Default.MatchFamily(family);
            if (tf is not null && HasLatin(tf) && string.Equals(tf.FamilyName, family, StringComparison.OrdinalIgnoreCase))
                return (tf, tf.FamilyName);
            tf?.Dispose();
        }
        foreach (var file in Files)
            if (FromFile(file) is { } found)
                return found;
        return (SKTypeface.Default, SKTypeface.Default.FamilyName);
    }

    private static (SKTypeface, string)? FromFile(string file)
    {
        if (!File.Exists(file))
            return null;
        var tf = SKTypeface.FromFile(file);
        if (tf is null || !HasLatin(tf))
            return null;
        var name = "Gibbs " + tf.FamilyName;
        ScottPlot.Fonts.AddFontFile(name, file, bold: false, italic: false);
        return (tf, name);
    }

    private static bool HasLatin(SKTypeface tf) => tf.GlyphCount > 0 && tf.GetGlyphs("Ag0").All(g => g != 0);
}
