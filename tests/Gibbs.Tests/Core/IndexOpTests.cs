// Index ops and products beyond the gradient catalogue: values of IndexSelect/IndexAdd/Gather against loops,
// one-line errors for bad indices (checked before any kernel runs), broadcasting batched MatMul and
// GroupedMatMul equal to per-matrix products, including the per-class-decoder use (sort, multiply, unsort).
namespace Gibbs.Tests.Core;

public class IndexOpTests
{
    [Fact]
    public void IndexSelectAndIndexAddFollowTheirDefinitions()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), [3, 4]);
        var idx = Tensor.FromArray([2f, 0f, 2f]);
        Assert.Equal([8f, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11], x.IndexSelect(0, idx).ToArray());
        Assert.Equal([2f, 0, 2, 6, 4, 6, 10, 8, 10], x.IndexSelect(1, idx).ToArray());
        var src = Tensor.Ones([3, 4]);
        Assert.Equal([1f, 2, 3, 4, 4, 5, 6, 7, 10, 11, 12, 13], x.IndexAdd(0, idx, src).ToArray()); // row 2 twice, row 0 once
    }

    [Fact]
    public void GatherIsTheLabelColumn()
    {
        using var scope = TensorScope.Begin();
        var logits = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], [3, 2]);
        Assert.Equal([2f, 3f, 6f], logits.Gather(Tensor.FromArray([1f, 0f, 1f])).ToArray());
    }

    [Theory]
    [InlineData(3f, "element 1 is 3")]
    [InlineData(-1f, "element 1 is -1")]
    [InlineData(0.5f, "element 1 is 0.5")]
    [InlineData(float.NaN, "element 1 is NaN")]
    public void BadIndicesAreOneLineErrorsBeforeAnyKernel(float bad, string expected)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([3, 2]);
        var idx = Tensor.FromArray([0f, bad]);
        var e = Assert.Throws<ArgumentException>(() => x.IndexSelect(0, idx));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Throws<ArgumentException>(() => Tensor.OneHot(idx, 3));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3]).Gather(idx));
    }

    [Fact]
    public void BatchedMatMulBroadcastsLikeNumpy()
    {
        using var scope = TensorScope.Begin();
        var gen = new Gibbs.Rng.Generator(3);
        var a = Tensor.Randn([4, 5, 3], gen);
        var b = Tensor.Randn([4, 3, 2], gen);
        var a2 = Tensor.Randn([5, 3], gen);
        var y = Tensor.MatMul(a, b);
        var y2 = Tensor.MatMul(a2, b);
        for (int c = 0; c < 4; c++)
        {
            var bc = b.Slice(0, c, 1).Reshape(3, 2);
            Assert.Equal(Tensor.MatMul(a.Slice(0, c, 1).Reshape(5, 3), bc).ToArray(), y.Slice(0, c, 1).Reshape(5, 2).ToArray());
            Assert.Equal(Tensor.MatMul(a2, bc).ToArray(), y2.Slice(0, c, 1).Reshape(5, 2).ToArray());
        }
        Assert.Throws<ShapeException>(() => Tensor.MatMul(Tensor.Zeros([3, 5, 3]), b));
    }

    [Fact]
    public void PerClassDecodersCostOneGroupedProduct()
    {
        // Rows with labels; each class c has its own decoder W[c]. Sort rows by class, one grouped product, unsort.
        using var scope = TensorScope.Begin();
        var gen = new Gibbs.Rng.Generator(4);
        var z = Tensor.Randn([7, 3], gen);
        var w = Tensor.Randn([4, 3, 5], gen);
        int[] labels = [2, 0, 2, 3, 0, 0, 2];
        var order = Enumerable.Range(0, 7).OrderBy(i => labels[i]).ToArray();
        var sizes = Enumerable.Range(0, 4).Select(c => labels.Count(l => l == c)).ToArray();
        var sorted = z.IndexSelect(0, Tensor.FromArray(order.Select(i => (float)i).ToArray()));
        var inverse = new float[7];
        for (int r = 0; r < 7; r++) inverse[order[r]] = r;
        var y = Tensor.GroupedMatMul(sorted, w, sizes).IndexSelect(0, Tensor.FromArray(inverse));
        for (int i = 0; i < 7; i++)
        {
            var expected = Tensor.MatMul(z.Slice(0, i, 1), w.Slice(0, labels[i], 1).Reshape(3, 5)).ToArray();
            var got = y.Slice(0, i, 1).ToArray();
            for (int j = 0; j < 5; j++) Assert.Equal(expected[j], got[j], 5);
        }
        Assert.Throws<ShapeException>(() => Tensor.GroupedMatMul(sorted, w, [1, 2, 3, 0]));
    }
}
