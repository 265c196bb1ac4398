// A Gibbs machine's layer sizes as the seed writes them (000_c7b547386cdeff84.txt Fig. 9: "784-700-400-700-784"):
// input, encoder hidden layers, the latent layer (the middle entry), decoder hidden layers, output.
using System.Globalization;

namespace Gibbs.Models.Gm;

public sealed record GmArchitecture(int Input, IReadOnlyList<int> Encoder, int Latent, IReadOnlyList<int> Decoder, int Output)
{
    /// <summary>Parses "784-700-400-700-784": an odd number (≥ 3) of positive sizes; the middle one is the latent layer.</summary>
    public static GmArchitecture Parse(string text)
    {
        var parts = (text ?? "").Split('-', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
                throw new GibbsException($"--arch '{text}': '{parts[i]}' is not a positive layer size; write sizes joined by '-', e.g. 784-700-400-700-784");
        if (sizes.Length < 3 || sizes.Length % 2 == 0)
            throw new GibbsException($"--arch '{text}' has {sizes.Length} sizes; give an odd number ≥ 3 (input-…-latent-…-output, the latent in the middle), e.g. 784-700-400-700-784");
        int mid = sizes.Length / 2;
        return new GmArchitecture(sizes[0], sizes[1..mid], sizes[mid], sizes[(mid + 1)..^1], sizes[^1]);
    }

    /// <summary>Throws unless input and output match the data width.</summary>
    public GmArchitecture CheckWidth(int features)
    {
        if (Input != features || Output != features)
            throw new GibbsException($"--arch {this} does not fit the data: its input and output must both be {features} (the data's width), e.g. {features}-{string.Join("-", Encoder.Append(Latent).Concat(Decoder))}-{features}");
        return this;
    }

    public override string ToString() => string.Join("-", new[] { Input }.Concat(Encoder).Append(Latent).Concat(Decoder).Append(Output));
}
