namespace Gibbs.Tests;

public class SmokeTests
{
    [Fact]
    public void FromArrayRoundTrips()
    {
        using var t = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);
        Assert.Equal([2, 3], t.Shape.ToArray());
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], t.ToArray());
    }
}
