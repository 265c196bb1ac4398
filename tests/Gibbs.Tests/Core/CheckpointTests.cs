// One checkpoint format for every model (issue 9): an MLP with batch norm and dropout trained by Adam resumes
// bit-identically from a TrainingState (module parameters and buffers, optimiser moments and step count,
// dropout's generator); modules save and load with their configuration; moving between devices keeps the
// parameters' identity and leaks nothing. The second device is the ILGPU backend on its CPU accelerator.
using Gibbs.Backends;
using Gibbs.Nn;
using Gibbs.Optim;
using Gibbs.Rng;
using Gibbs.Training;

namespace Gibbs.Tests.Core;

[Collection("serial")]
public class CheckpointTests : TempDirTest
{
    private sealed class Run : IDisposable
    {
        public readonly Generator Init = new(1), Drop = new(2), Data = new(3);
        public readonly Sequential Model;
        public readonly Adam Optimizer;

        public Run()
        {
            Model = new Sequential(new Linear(6, 8, Init), new BatchNorm(8), new Activation(ActivationKind.Tanh), new Dropout(0.3f, Drop), new Linear(8, 6, Init));
            Optimizer = new Adam(Model.Parameters(), 0.01f, decay: DecayKind.L2, decayRate: 1e-3f);
        }

        public void Steps(int n)
        {
            for (int i = 0; i < n; i++)
            {
                using var scope = TensorScope.Begin();
                var x = Tensor.Rand([5, 6], Data);
                Optimizer.ZeroGrad();
                Tensor.BinaryCrossEntropyWithLogits(Model.Forward(x), x).Mean().Backward();
                Optimizer.Step();
            }
        }

        public TrainingState Capture()
        {
            var s = new TrainingState();
            s.AddModule(Model);
            s.AddOptimizer(Optimizer);
            s.AddGenerator("dropout", Drop);
            s.AddGenerator("data", Data);
            return s;
        }

        public void Restore(TrainingState s)
        {
            s.RestoreModule(Model);
            s.RestoreOptimizer(Optimizer);
            s.RestoreGenerator("dropout", Drop);
            s.RestoreGenerator("data", Data);
        }

        public float[] Weights() => Model.StateDict().OrderBy(kv => kv.Key).SelectMany(kv => kv.Value.ToArray()).ToArray();

        public void Dispose()
        {
            Optimizer.Dispose();
            Model.Dispose();
        }
    }

    [Fact]
    public void AnMlpResumesBitIdentically()
    {
        using var straight = new Run();
        straight.Steps(10);
        var path = P("mlp.ckpt");
        using (var first = new Run())
        {
            first.Steps(5);
            using var s = first.Capture();
            s.Save(path);
        }
        using var resumed = new Run();
        using (var loaded = TrainingState.Load(path)) resumed.Restore(loaded);
        Assert.Equal(5, resumed.Optimizer.Steps);
        resumed.Steps(5);
        Assert.Equal(straight.Weights(), resumed.Weights());
        Assert.Contains("model.1.running_mean", TrainingState.Load(path).Tensors.Keys);
    }

    [Fact]
    public void ModulesSaveAndLoadWithTheirConfiguration()
    {
        using var a = new Run();
        a.Steps(3);
        a.Model.Save(P("m.safetensors"), new Dictionary<string, string> { ["arch"] = "6-8-6" });
        using var b = new Run();
        var meta = b.Model.Load(P("m.safetensors"));
        Assert.Equal("6-8-6", meta["arch"]);
        Assert.Equal(a.Weights(), b.Weights());
        using var wrong = new Linear(6, 7, new Generator(1));
        Assert.Contains("no tensor 'W'", Assert.Throws<GibbsException>(() => wrong.Load(P("m.safetensors"))).Message);
    }

    [Fact]
    public void ModulesMoveBetweenDevicesKeepingTheirTensors()
    {
        var cuda = Gibbs.Tests.Cuda.IlgpuTestBackend.Device;
        _ = Gibbs.Tests.Cuda.IlgpuTestBackend.Backend;
        using var layer = new Linear(3, 2, new Generator(1));
        var w = layer.W;
        var before = w.ToArray();
        layer.To(cuda);
        Assert.Same(w, layer.W);
        Assert.Equal(cuda, layer.W.Device);
        Assert.Equal(before, layer.W.ToArray());
        using (var scope = TensorScope.Begin())
            Assert.Equal(2, layer.Forward(Tensor.Ones([4, 3], cuda)).Dim(1));
        layer.To(Device.Cpu);
        Assert.Equal(before, layer.W.ToArray());
    }

    [Fact]
    public void LoadingAStateFromAnotherDeviceLeaksNothing()
    {
        var cuda = Gibbs.Tests.Cuda.IlgpuTestBackend.Device;
        var backend = Gibbs.Tests.Cuda.IlgpuTestBackend.Backend;
        using var layer = new Linear(3, 2, new Generator(1));
        var onGpu = layer.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.To(cuda).Untrack());
        long cpu = Engine.Backend(Device.Cpu).LiveBuffers, gpu = backend.LiveBuffers;
        for (int i = 0; i < 5; i++) layer.LoadStateDict(onGpu);
        Assert.Equal(cpu, Engine.Backend(Device.Cpu).LiveBuffers);
        Assert.Equal(gpu, backend.LiveBuffers);
        foreach (var t in onGpu.Values) t.Dispose();
    }
}
