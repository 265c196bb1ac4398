// Renders every example picture (PlotExamples) and checks that each decodes and is not blank.
// GIBBS_PLOT_EXAMPLES=/dir keeps the pictures there for a look.
namespace Gibbs.Tests.Plots;

public class PlotExampleTests
{
    [Fact]
    public void ExamplesRenderAndAreNotBlank()
    {
        var keep = Environment.GetEnvironmentVariable("GIBBS_PLOT_EXAMPLES");
        var dir = string.IsNullOrEmpty(keep) ? Directory.CreateTempSubdirectory("gibbs-examples-").FullName : keep;
        try
        {
            var files = PlotExamples.RenderAll(dir);
            Assert.Equal(11, files.Count);
            foreach (var f in files)
            {
                using var bmp = Png.Load(f);
                Assert.True(bmp.Width >= 400 && bmp.Height >= 400, $"{f} is only {bmp.Width}×{bmp.Height}");
                Assert.True(Png.DistinctColors(bmp) > 20, $"{f} looks blank");
            }
        }
        finally
        {
            if (string.IsNullOrEmpty(keep))
                Directory.Delete(dir, recursive: true);
        }
    }
}
