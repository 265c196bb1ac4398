// The seed's standard classifier (000_c7b547386cdeff84.txt App. A; the "top line" of Figs. 1, 8 and 9) and the
// classifier branch of ACE: an MLP such as 784-700-700-700-10 with two-unit maxout hidden layers, the seed's batch
// normalisation on the first and last hidden layers (de-mean and divide by the root of the batch second moment,
// identically in training and test, so test results depend slightly on the test batch), inverted dropout 0.2 on the
// input and 0.5 on the hidden layers, and Gaussian weights N(0, 1)/(√P + √N), biases 0. Run also returns the first
// hidden layer H after its batch normalisation and before its dropout: the matrix of the dual reconstruction (eq. 5.1).
using Gibbs.Nn;
using Gibbs.Rng;

namespace Gibbs.Models.Ace;

public sealed class AceClassifier : Module
{
    private readonly List<Maxout> _hidden = [];
    private readonly BatchNorm _firstNorm, _lastNorm;
    private readonly Linear _output;
    private readonly Dropout _inputDropout, _hiddenDropout;

    /// <param name="arch">Layer sizes input-hidden…-classes, at least one hidden layer (e.g. "784-700-700-700-10").</param>
    /// <param name="gen">Draws the initial weights.</param>
    /// <param name="dropout">Draws the dropout masks (its position belongs in a checkpoint: <see cref="DropoutGenerator"/>).</param>
    public AceClassifier(string arch, Generator gen, Generator dropout, int maxoutUnits = 2, float inputDropout = 0.2f, float hiddenDropout = 0.5f,
                         Backends.Device? device = null)
    {
        Sizes = ParseArch(arch);
        if (maxoutUnits < 1) throw new GibbsException($"maxout needs at least 1 unit per group, got {maxoutUnits}");
        MaxoutUnits = maxoutUnits;
        DropoutGenerator = dropout;
        _inputDropout = Child("input_dropout", new Dropout(inputDropout, dropout));
        _hiddenDropout = Child("hidden_dropout", new Dropout(hiddenDropout, dropout));
        for (int i = 1; i < Sizes.Length - 1; i++)
            _hidden.Add(Child($"hidden{i - 1}", new Maxout(Sizes[i - 1], Sizes[i], maxoutUnits, gen, InitKind.Georgiev, device)));
        _firstNorm = Child("norm_first", new BatchNorm(Sizes[1], BatchNormKind.SecondMoment, device: device));
        _lastNorm = Sizes.Length > 3 ? Child("norm_last", new BatchNorm(Sizes[^2], BatchNormKind.SecondMoment, device: device)) : _firstNorm;
        _output = Child("output", new Linear(Sizes[^2], Sizes[^1], gen, InitKind.Georgiev, device: device));
    }

    /// <summary>Layer sizes: input, hidden layers, classes.</summary>
    public int[] Sizes { get; }
    public int Features => Sizes[0];
    public int Classes => Sizes[^1];
    public int MaxoutUnits { get; }
    public float InputDropout => _inputDropout.P;
    public float HiddenDropout => _hiddenDropout.P;
    public Generator DropoutGenerator { get; }

    /// <summary>Class logits [N×classes] for rows x [N×features].</summary>
    public override Tensor Forward(Tensor x) => Run(x).Logits;

    /// <summary>Logits [N×classes] and the first hidden layer H [N×hidden₁] (batch-normalised, before dropout).</summary>
    public (Tensor Logits, Tensor FirstHidden) Run(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != Features)
            throw new ShapeException($"this classifier ({string.Join('-', Sizes)}) takes [N×{Features}] rows, got {Tensor.Format(x.Shape)}");
        if (x.Dim(0) < 2)
            throw new GibbsException($"the seed's batch normalisation needs at least 2 rows per batch (it de-means over the batch), got {x.Dim(0)}; use a larger batch");
        var h = _inputDropout.Forward(x);
        Tensor? first = null;
        for (int i = 0; i < _hidden.Count; i++)
        {
            h = _hidden[i].Forward(h);
            if (i == 0) first = h = _firstNorm.Forward(h);
            if (i == _hidden.Count - 1 && i > 0) h = _lastNorm.Forward(h);
            h = _hiddenDropout.Forward(h);
        }
        return (_output.Forward(h), first!);
    }

    /// <summary>Layer names for <see cref="Layer"/>: input, hidden0…, logits.</summary>
    public string[] LayerNames => ["input", .. Enumerable.Range(0, _hidden.Count).Select(i => $"hidden{i}"), "logits"];

    /// <summary>The activations of one layer in evaluation mode (no dropout; hidden layers after their maxout and, for the
    /// first and last, the batch normalisation), [N×width] — the observations of Fig. 1's and Fig. 8's Q-Q plots.</summary>
    public Tensor Layer(Tensor x, string name)
    {
        if (!LayerNames.Contains(name))
            throw new GibbsException($"layer '{name}' does not exist in this classifier; its layers are {string.Join(", ", LayerNames)}");
        if (name == "input") return x;
        using var _ = Tensor.NoGrad();
        bool training = Training;
        Eval();
        try
        {
            var h = x;
            for (int i = 0; i < _hidden.Count; i++)
            {
                h = _hidden[i].Forward(h);
                if (i == 0) h = _firstNorm.Forward(h);
                if (i == _hidden.Count - 1 && i > 0) h = _lastNorm.Forward(h);
                if (name == $"hidden{i}") return h;
            }
            return _output.Forward(h);
        }
        finally { Train(training); }
    }

    public Dictionary<string, string> Config() => new()
    {
        ["model"] = "ace-classifier", ["arch"] = string.Join('-', Sizes), ["maxout"] = MaxoutUnits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["input_dropout"] = InputDropout.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        ["hidden_dropout"] = HiddenDropout.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };

    internal static int[] ParseArch(string arch)
    {
        var parts = arch.Split('-', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
                throw new GibbsException($"--arch '{arch}': '{parts[i]}' is not a positive layer size; write input-hidden…-classes, e.g. 784-700-700-700-10");
        if (sizes.Length < 3) throw new GibbsException($"--arch '{arch}': a classifier needs input, at least one hidden layer and the classes, e.g. 784-700-700-700-10");
        if (sizes[^1] < 2) throw new GibbsException($"--arch '{arch}': the last size is the number of classes and must be at least 2");
        return sizes;
    }
}
