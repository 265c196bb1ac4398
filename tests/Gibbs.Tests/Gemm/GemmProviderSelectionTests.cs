// Provider selection: Create by name (what GIBBS_GEMM forces), the default choice, the errors for
// unknown or missing providers, Describe() for `gibbs info`, and NativeLibraries' missing-library reason.
using Gibbs.Backends;
using Gibbs.Backends.Cpu.Gemm;

namespace Gibbs.Tests.Gemm;

public class GemmProviderSelectionTests
{
    [Theory]
    [InlineData("managed", typeof(ManagedGemm))]
    [InlineData(" Managed ", typeof(ManagedGemm))]
    [InlineData("scalar", typeof(ManagedGemm))]
    [InlineData("reference", typeof(ReferenceGemm))]
    public void CreateByNameGivesThatProvider(string name, Type expected) =>
        Assert.IsType(expected, GemmProvider.Create(name));

    [Fact]
    public void ScalarNameGivesTheUnvectorizedKernel()
    {
        Assert.False(((ManagedGemm)GemmProvider.Create("scalar")).Vectorized);
        Assert.Equal("managed (scalar)", GemmProvider.Create("scalar").Name);
    }

    [Fact]
    public void DefaultIsOpenBlasWhenItLoadsElseManaged()
    {
        var g = GemmProvider.Create(null);
        if (GemmProvider.OpenBlasAvailable) Assert.IsType<OpenBlasGemm>(Assert.IsType<FixedPartitionGemm>(g).Inner);
        else Assert.IsType<ManagedGemm>(g);
        Assert.Equal(GemmProvider.OpenBlasAvailable, GemmProvider.OpenBlasUnavailableReason is null);
    }

    [Fact]
    public void CurrentHonoursGibbsGemm()
    {
        var forced = Environment.GetEnvironmentVariable("GIBBS_GEMM");
        Assert.IsType(GemmProvider.Create(forced).GetType(), GemmProvider.Current);
    }

    [SkippableFact]
    public void OpenBlasByNameLoadsAndReportsItsVersion()
    {
        GemmCheck.Provider("openblas");
        var g = GemmProvider.RequireOpenBlas();
        Assert.StartsWith("OpenBLAS", g.Config);
        Assert.Matches(@"^\d+\.\d+\.\d+", g.Version);
        Assert.True(g.Threads >= 1);
    }

    [SkippableFact]
    public void ForcingMissingOpenBlasSaysHowToInstallIt()
    {
        Skip.If(GemmProvider.OpenBlasAvailable, "OpenBLAS is installed here, so forcing it succeeds");
        var e = Assert.Throws<GibbsException>(() => GemmProvider.Create("openblas"));
        Assert.Throws<GibbsException>(() => GemmProvider.Create("openblas-threaded"));
        Assert.Contains("apt-get install -y libopenblas0-pthread", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void UnknownProviderNamesTheChoices()
    {
        var e = Assert.Throws<GibbsException>(() => GemmProvider.Create("mkl"));
        Assert.Contains("openblas, managed, avx512, avx2, scalar or reference", e.Message);
        Assert.Contains("GIBBS_GEMM", e.Message);
    }

    [Fact]
    public void DescribeNamesTheProviderAndThreads()
    {
        string d = GemmProvider.Describe();
        Assert.Contains(GemmProvider.Current.Name, d);
        Assert.Contains("threads", d);
    }

    [Fact]
    public void MissingNativeLibraryGivesAReasonNotACrash()
    {
        NativeLibraries.Register("gibbs-test-absent", "/nonexistent/libgibbs-absent.so", "libgibbs-absent.so.9");
        Assert.False(NativeLibraries.TryLoad("gibbs-test-absent", out var h, out var reason));
        Assert.Equal(0, h);
        Assert.Contains("/nonexistent/libgibbs-absent.so", reason);
        Assert.False(NativeLibraries.TryLoad("gibbs-test-never-registered", out _, out var why));
        Assert.Contains("no candidate paths", why);
    }

    [Fact]
    public void EnvironmentOverrideIsTriedFirst()
    {
        Environment.SetEnvironmentVariable("GIBBS_TEST_LIBC", "libc.so.6");
        try
        {
            NativeLibraries.RegisterWithOverride("gibbs-test-libc", "GIBBS_TEST_LIBC", "/nonexistent/libc.so");
            Assert.True(NativeLibraries.TryLoad("gibbs-test-libc", out var h, out var reason), reason);
            Assert.NotEqual(0, h);
            Assert.Equal("", reason);
        }
        finally { Environment.SetEnvironmentVariable("GIBBS_TEST_LIBC", null); }
    }
}
