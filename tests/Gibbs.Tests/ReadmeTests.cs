// The README never lies (Sep's ReadMeTest, done as a user would): every ```csharp block of README.md is
// written out as its own console program with a ProjectReference to src/Gibbs — outside this test
// assembly and its namespace, with only the usings the block itself declares — built and run; the
// output must show what the README promises.
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Gibbs.Tests;

[Collection("serial")]
public partial class ReadmeTests : TempDirTest
{
    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    private static List<string> Blocks() =>
        CodeBlock().Matches(File.ReadAllText(Path.Combine(IO.SafeTensorsTests.RepoRoot(), "README.md")).Replace("\r", ""))
            .Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public void EveryCSharpBlockCompilesAndRunsAsItsOwnProgram()
    {
        var blocks = Blocks();
        Assert.Equal(6, blocks.Count);
        var estimator = RunProgram("estimator", blocks[0]);
        var epochs = Regex.Matches(estimator, @"epoch (\d+): pseudo-log-likelihood (-?[\d.]+)").Select(m => double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, epochs.Count);
        // Initialised from the data as the CLI is: the first epoch is far above an untrained −540.
        Assert.True(epochs[0] > -260, $"README sample's first-epoch pseudo-log-likelihood {epochs[0]}");
        Assert.Contains("features 10×64, samples 16×784", estimator);
        Assert.True(File.Exists(P("estimator/rbm.safetensors")));
        var gm = RunProgram("gibbs-machine", blocks[1]);
        var bounds = Regex.Matches(gm, @"epoch (\d+): bound ([\d.]+) nats").Select(m => double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, bounds.Count);
        Assert.True(bounds[1] < bounds[0] && bounds[1] < 400, $"README Gibbs machine's bound per epoch: {string.Join(", ", bounds)}");
        var m = Regex.Match(gm, @"bound ([\d.]+), NLL ([\d.]+) ± ([\d.]+), D_var ([\d.-]+)");
        Assert.True(m.Success, gm);
        double b = double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), nll = double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(nll < b, $"IS-NLL {nll} should be below the bound {b}");
        Assert.True(File.Exists(P("gibbs-machine/gm.safetensors")));
        var therml = RunProgram("therml", blocks[2]);
        Assert.Contains("hand-crafted optimum: R = 0.500 nats = I(x; Z), D = 2.342, C = 0.233", therml);
        Assert.Matches(@"entropy-vib: training R=[\d.]+ D=[\d.]+ C=[\d.]+ S=[\d.]+; exact R=", therml);
        var dem = RunProgram("dem", blocks[3]);
        var lm = Regex.Match(dem, @"test log-lik (-?[\d.]+) nats, KL\(data‖DEM\) ([\d.]+), modes \d+/8");
        Assert.True(lm.Success, dem);
        // The data's own density gives 4.31 nats on these test points; KL = that − the model's log-likelihood > 0.
        double ll = double.Parse(lm.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), kl = double.Parse(lm.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(4.311, ll + kl, 2);
        var ridge = RunProgram("ridge", blocks[4]);
        Assert.Matches(@"rank 5\d\d of 784; LOO picks alpha [\d.E+]+, GCV [\d.E+]+; ‖w‖ at alpha 1e-6: \d+, logistic ‖w‖ [\d.]+", ridge);
        Assert.Contains("w.Grad 784×10, saliency 32×784", RunProgram("engine", blocks[5]));
    }

    private string RunProgram(string name, string code)
    {
        var dir = P(name);
        Directory.CreateDirectory(dir);
        var gibbs = Path.Combine(IO.SafeTensorsTests.RepoRoot(), "src", "Gibbs", "Gibbs.csproj");
        File.WriteAllText(Path.Combine(dir, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup><ProjectReference Include="{gibbs}" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "Program.cs"), code);
        // Outside the repository's Directory.Build.props: a fresh user project.
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"), "<Project />");
        var psi = new ProcessStartInfo("dotnet", ["run", "-c", "Release", "--nologo"]) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(5)), $"README block '{name}' did not finish");
        Assert.True(p.ExitCode == 0, $"README block '{name}' failed (exit {p.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}
