// NaN and ±Infinity in dataset files (issue 8): every file type is refused at load with the file, row,
// column and value, while `gibbs data info` loads it anyway and counts them (text and JSON `non_finite`).
// Not here: finite files (IdxAndFileDatasetTests.cs), Binarize's own checks (BinarizeTests.cs).
using System.Buffers.Binary;
using System.Text.Json;
using Gibbs.Data;
using Gibbs.IO;

namespace Gibbs.Tests.Data;

[Collection("serial")]
public class NonFiniteDataTests : TempDirTest
{
    /// <summary>A float IDX file (0x0D float32 or 0x0E float64) of shape [rows, cols].</summary>
    private static byte[] FloatIdx(bool f64, int rows, int cols, double[] values)
    {
        int size = f64 ? 8 : 4;
        var b = new byte[12 + size * values.Length];
        b[2] = f64 ? (byte)0x0E : (byte)0x0D;
        b[3] = 2;
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), rows);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(8), cols);
        for (int i = 0; i < values.Length; i++)
            if (f64) BinaryPrimitives.WriteDoubleBigEndian(b.AsSpan(12 + 8 * i), values[i]);
            else BinaryPrimitives.WriteSingleBigEndian(b.AsSpan(12 + 4 * i), (float)values[i]);
        return b;
    }

    private static void AssertRefused(string path, string where, string value)
    {
        var e = Assert.Throws<GibbsFormatException>(() => Datasets.Load(path));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains(where, e.Message);
        Assert.Contains(value, e.Message);
        Assert.Contains("replace or drop", e.Message);
    }

    [Fact]
    public void EveryFileTypeRefusesNonFiniteValuesWithRowAndColumn()
    {
        File.WriteAllBytes(P("nan-images.idx"), FloatIdx(false, 2, 3, [0, 1, 2, 3, double.NaN, 5]));
        AssertRefused(P("nan-images.idx"), "row 1, column 1", "NaN");
        // float64 1e300 overflows float32: refused too, and the message says why it reads as Infinity.
        File.WriteAllBytes(P("big-images.idx"), FloatIdx(true, 2, 2, [0, 1e300, 2, 3]));
        AssertRefused(P("big-images.idx"), "row 0, column 1", "beyond float32's range");
        using (TensorScope.Begin())
        {
            Npy.Save(P("inf.npy"), Tensor.FromArray([0f, 1f, 2f, 3f, 4f, float.NegativeInfinity], [3, 2]));
            SafeTensors.Save(P("inf.safetensors"), new Dictionary<string, Tensor>
            {
                ["X"] = Tensor.FromArray([0f, float.PositiveInfinity, 0f, 1f], [2, 2]),
                ["y"] = Tensor.FromArray([0f, 1f]),
            });
        }
        AssertRefused(P("inf.npy"), "row 2, column 1", "-Infinity");
        AssertRefused(P("inf.safetensors"), "row 0, column 1", "Infinity");
        // Asked to, the loader keeps them so they can be counted; finite range leaves them out.
        var d = Datasets.Load(P("nan-images.idx"), allowNonFinite: true);
        Assert.Equal(1, d.NonFiniteCount());
        Assert.Equal((0f, 5f), d.Range());
        Assert.Equal(1, Datasets.Load(P("inf.npy"), allowNonFinite: true).NonFiniteCount());
    }

    [Fact]
    public void DataInfoCountsNonFiniteValuesInsteadOfFailing()
    {
        using (TensorScope.Begin())
            Npy.Save(P("holes.npy"), Tensor.FromArray([float.NaN, 1f, float.PositiveInfinity, -2f, float.NaN, 0.5f], [3, 2]));
        var (code, stdout, err) = Run("data", "info", P("holes.npy"));
        Assert.True(code == 0, err);
        Assert.Contains("3 non-finite values", stdout);
        Assert.Contains("finite values in [-2, 1]", stdout);
        (code, stdout, err) = Run("data", "info", P("holes.npy"), "--json");
        Assert.True(code == 0, err);
        var j = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal(3, j.GetProperty("non_finite").GetInt32());
        Assert.Equal(-2, j.GetProperty("min").GetDouble());
        Assert.Equal(1, j.GetProperty("max").GetDouble());
        Assert.False(j.GetProperty("binary").GetBoolean());
        // A clean dataset reports zero.
        (code, stdout, err) = Run("data", "info", "two-spirals", "--json");
        Assert.True(code == 0, err);
        Assert.Equal(0, JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("non_finite").GetInt32());
        (code, stdout, _) = Run("data", "info", "two-spirals");
        Assert.Equal(0, code);
        Assert.DoesNotContain("non-finite", stdout);
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => Cli.CliTestBase.Run(args);
}
