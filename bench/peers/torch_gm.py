#!/usr/bin/python3
"""PyTorch peer of the Gibbs machine (000_c7b547386cdeff84.txt §3.6-3.8, App. A-B; src/Gibbs/Models/Gm/): a VAE with
Gibbs-class latents, the same model as `gibbs gm`, (a) to time one training step against the C# implementation and
(b) to train the identical model on the same data split as a replication reference.

The model (identical to GibbsMachine.cs):
  --arch 784-700-400-700-784: odd count >= 3, the middle entry is the latent size. Encoder: Linear+tanh per hidden
  layer, then two linear heads mu and log_sigma from the last encoder layer (from the input if there is none).
  Decoder: Linear+tanh per hidden layer, final Linear to Bernoulli logits. Weights of a P x N layer ~ N(0,1)/(sqrt P +
  sqrt N) (App. A), biases 0.
  --latent gaussian: prior N(0,1), posterior N(mu, sigma^2), z = mu + sigma*eps, D_gen = (mu^2 + sigma^2 - 1)/2 - log sigma.
  --latent laplace:  prior Lap(0, b0), b0 = sqrt(0.5) (unit variance), posterior Lap(mu, sigma*b0), z = mu + sigma*b0*eps,
                     eps ~ Lap(0, 1) by inverse CDF, D_gen = -log sigma + |mu|/b0 + sigma*exp(-|mu|/(sigma*b0)) - 1 (App. B).
  Reconstruction: Bernoulli, -log p_rec(x|z) = BCE-with-logits summed over pixels.
  --objective bound (default): B = sum_units D_gen + (1/L) sum_l BCE(x, logits(z_l)), L = --L draws (default 1), eq. 3.8.
  --objective iwae: -log (1/K) sum_k p_rec(x|z_k) p(z_k)/p(z_k|x) (Burda et al. 2016), K = --K (default 5).
  --objective dvar: B - s^2/2, s^2 the sample variance of log w_k over the L >= 2 draws (the seed's Gaussian D_var, §3.8;
                    as in GibbsMachine.Objectives.cs; not a bound, and unbounded below: -s^2/2 rewards blowing sigma up,
                    and training with it diverged in our runs (loss -2e10 after 2 epochs of a small net)).
  Batch loss = mean over the batch. Adam (betas 0.9/0.999, eps 1e-8), lr = --lr * exp(-epoch/500) set at the start
  of each (0-based) epoch: the seed's "decay = 500 epochs" read as an exponential time constant.

Data (the C# split exactly, src/Gibbs/Data/Datasets.cs):
  mnist10k: data/mnist10k-images-idx3-ubyte.gz (+labels), grey byte/255, split by Datasets.StratifiedSplit: per class c,
    the rows of class c (file order) permuted by Fisher-Yates on splitmix64 stream c of seed 20151017
    (SplitMix64.For(20151017, c).Permutation(n_c)); the first round(0.8 n_c) are train, the rest test; both keep file
    order -> 8,000 train / 2,000 test.
  fashion-mnist: the package's train-* (60,000) / t10k-* (10,000) files as they are (Datasets.FashionMnist), looked
    for in --data-dir, $GIBBS_DATA[/fashion-mnist], /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist).
  Binarisation: --binarize dynamic (default): every mini-batch is a fresh Bernoulli(p) draw each epoch; the test set is
    binarised ONCE, x = (float32)u < p with u the splitmix64 NextDouble stream For(20151017, 0x7E57) in row-major order
    (a fixed test set, the same for every seed and run). --binarize fixed: x > 0.5, train and test (Binarize.Threshold).
  Mini-batch order of epoch e: MiniBatches.Permutation(rows, seed, e) = SplitMix64.For(seed, e).Permutation(rows), cut
  into consecutive batches, the last partial batch kept. Weights and latent noise come from torch.manual_seed(seed).

Modes (subcommands):
  time   one training step (forward, backward, Adam) on a fixed binary batch (the first --batch rows of mnist10k's fixed
         binary test draw, as GmBench; --data random for 50% random bits); prints one JSON line
         {"batch", "steps_per_s" (median of --runs runs of --steps steps), "runs", "torch", "threads", "arch", "latent", ...}.
           /usr/bin/python3 bench/peers/torch_gm.py time --batch 100 --steps 20 --runs 5 --latent gaussian
           /usr/bin/python3 bench/peers/torch_gm.py time --batch 1000 --latent laplace --objective iwae --k 5
         (in `time`, --k is a synonym of --K: there is no evaluation.)
  train  trains, prints one JSON line per epoch ({"epoch", "lr", "train_loss", "train_dgen", "train_rec", "seconds"}, and
         "test_bound" every --eval-every epochs), then evaluates on the test split (or --test-limit rows of it) and
         prints a final JSON line: test_bound (exact D_gen + the reconstruction averaged over the same k posterior draws as
         the NLL), test_dgen, test_rec, is_nll = -log (1/k) sum_k w_k (k = --k, default 5000) with its Monte-Carlo standard
         error (delta method per row, rows independent, as GibbsMachine.ImportanceSampledNll), d_var = test_bound - is_nll
         (eq. 3.7), active_units (Burda et al.: Var_x(E_q[z] = mu) > 0.01 over the evaluated test rows), timings.
           /usr/bin/python3 bench/peers/torch_gm.py train --data mnist10k --latent laplace --epochs 1000 --batch 1000 --seed 1 --k 5000
  check  sanity checks of the latent formulas: D_gen at (0,1) = 0; closed form vs Monte-Carlo KL and vs quadrature;
         unit prior variance; splitmix64 against Vigna's reference stream.

Cost on 2 cores (measured with 784-700-400-700-784, torch 1.13, while another job shared the machine): one step takes
~0.2 s at batch 1000 (~5 steps/s; ~22 steps/s at batch 100), so an mnist10k epoch (8 steps) is ~1.6 s and 1,000 epochs
~30 min; a fashion-mnist epoch (60 steps) ~12 s, 1,000 epochs ~3.5 h. Importance sampling decodes ~15,000 posterior
draws/s, so the NLL with k = 5000 costs ~0.35 s per test row: ~12 min for mnist10k's 2,000 test rows, ~1 h for
fashion-mnist's 10,000 (--test-limit N to cut it; mnist10k's test rows are in class order, so pair it with
--test-pick spread unless the C# side evaluates the first N rows too).
Run with /usr/bin/python3 (Debian python3-torch 1.13, numpy); --threads 2 by default, as the C# benchmarks."""
import argparse, gzip, json, math, os, sys, time
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")   # no spinning workers between alternated runs
import numpy as np
import torch
import torch.nn.functional as F

SPLIT_SEED = 20151017          # Datasets.SplitSeed
TEST_BINARIZE_STREAM = 0x7E57  # splitmix64 stream of SPLIT_SEED for the one-off test binarisation (dynamic mode)
FASHION_DIR = "/usr/share/datasets/fashion-mnist"
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

# ---------------------------------------------------------------- splitmix64 (src/Gibbs/Data/SplitMix64.cs)
M64 = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & M64

    @staticmethod
    def stream(seed, stream):  # SplitMix64.For
        return SplitMix64(mix64((seed & M64) ^ mix64((stream + GAMMA) & M64)))

    def next(self):
        self.state = (self.state + GAMMA) & M64
        return mix64(self.state)

    def below(self, n):  # NextBelow: rejection on the top of the 64-bit range
        limit = M64 - M64 % n
        while True:
            r = self.next()
            if r < limit:
                return r % n

    def permutation(self, n):  # Fisher-Yates, Durstenfeld's in-place form
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.below(i + 1)
            p[i], p[j] = p[j], p[i]
        return p

    def doubles(self, n):
        """The next n NextDouble() values, vectorised (state_i = state + i*GAMMA mod 2^64)."""
        with np.errstate(over="ignore"):
            s = np.uint64(self.state) + np.arange(1, n + 1, dtype=np.uint64) * np.uint64(GAMMA)
            z = (s ^ (s >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            z = z ^ (z >> np.uint64(31))
        self.state = (self.state + n * GAMMA) & M64
        return (z >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


# ---------------------------------------------------------------- data (src/Gibbs/Data/Datasets.cs)
def read_idx(path):
    with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise SystemExit(f"{path}: not a ubyte IDX file")
    rank = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


def grey(images):
    x = images.reshape(images.shape[0], -1).astype(np.float32)
    return x / np.float32(255) if x.max() > 1 else x  # a 0/1 ubyte file stays binary (Datasets.FromIdx)


def stratified_split(labels):
    """Datasets.StratifiedSplit: (train rows, test rows), each in file order."""
    train, test = [], []
    for c in range(int(labels.max()) + 1):
        rows = np.flatnonzero(labels == c)
        perm = SplitMix64.stream(SPLIT_SEED, c).permutation(len(rows))
        n_train = int(round(len(rows) * 0.8))  # Math.Round: banker's rounding, as Python's round
        train += [int(rows[p]) for p in perm[:n_train]]
        test += [int(rows[p]) for p in perm[n_train:]]
    return np.array(sorted(train)), np.array(sorted(test))


def find_fashion(data_dir):
    env = os.environ.get("GIBBS_DATA")
    for d in [data_dir, data_dir and os.path.join(data_dir, "fashion-mnist"), env and os.path.join(env, "fashion-mnist"), env, FASHION_DIR]:
        if d and (os.path.exists(os.path.join(d, "train-images-idx3-ubyte.gz")) or os.path.exists(os.path.join(d, "train-images-idx3-ubyte"))):
            return d
    raise SystemExit("fashion-mnist not found: apt-get install -y dataset-fashion-mnist (or --data-dir DIR / GIBBS_DATA)")


def load(name, data_dir=None):
    """(train, test) grey levels in [0, 1] as float32 arrays [N x 784]."""
    if name == "mnist10k":
        x = grey(read_idx(os.path.join(REPO, "data", "mnist10k-images-idx3-ubyte.gz")))
        y = read_idx(os.path.join(REPO, "data", "mnist10k-labels-idx1-ubyte.gz"))
        tr, te = stratified_split(y)
        return x[tr], x[te]
    if name == "fashion-mnist":
        d = find_fashion(data_dir)
        f = lambda stem: os.path.join(d, stem + ".gz") if os.path.exists(os.path.join(d, stem + ".gz")) else os.path.join(d, stem)
        return grey(read_idx(f("train-images-idx3-ubyte"))), grey(read_idx(f("t10k-images-idx3-ubyte")))
    raise SystemExit(f"unknown --data {name}: mnist10k or fashion-mnist")


def binarize_test(p, mode):
    if mode == "fixed":
        return (p > 0.5).astype(np.float32)
    u = SplitMix64.stream(SPLIT_SEED, TEST_BINARIZE_STREAM).doubles(p.size).astype(np.float32).reshape(p.shape)
    return (u < p).astype(np.float32)


# ---------------------------------------------------------------- latent families (src/Gibbs/Models/Gm/Latents)
B0 = math.sqrt(0.5)
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


class Gaussian:
    name = "gaussian"

    @staticmethod
    def noise(shape):
        return torch.randn(shape)

    @staticmethod
    def sample(mu, ls, eps):
        return mu + ls.exp() * eps

    @staticmethod
    def log_post(z, mu, ls):
        return -0.5 * ((z - mu) * (-ls).exp()) ** 2 - ls - HALF_LOG_2PI

    @staticmethod
    def log_prior(z):
        return -0.5 * z * z - HALF_LOG_2PI

    @staticmethod
    def dgen(mu, ls):
        return 0.5 * (mu * mu + (2 * ls).exp() - 1) - ls


class Laplace:
    name = "laplace"
    LOG_2B0 = math.log(2 * B0)

    @staticmethod
    def noise(shape):
        # inverse CDF of Lap(0, 1): u in (0, 1), eps = log(2u) below 1/2, -log(2(1-u)) above
        u = torch.rand(shape).clamp_(min=torch.finfo(torch.float32).tiny)
        return torch.where(u < 0.5, (2 * u).log(), -(2 * (1 - u)).log())

    @staticmethod
    def sample(mu, ls, eps):
        return mu + ls.exp() * (eps * B0)

    @staticmethod
    def log_post(z, mu, ls):
        return -(z - mu).abs() * (-ls).exp() / B0 - ls - Laplace.LOG_2B0

    @staticmethod
    def log_prior(z):
        return -z.abs() / B0 - Laplace.LOG_2B0

    @staticmethod
    def dgen(mu, ls):
        a = mu.abs() / B0
        return -ls + a + ls.exp() * (-(a * (-ls).exp())).exp() - 1


LATENTS = {"gaussian": Gaussian, "laplace": Laplace}


# ---------------------------------------------------------------- the Gibbs machine (GibbsMachine.cs)
def parse_arch(text):
    sizes = [int(s) for s in text.split("-")]
    if len(sizes) < 3 or len(sizes) % 2 == 0 or min(sizes) < 1:
        raise SystemExit(f"--arch {text}: give an odd number >= 3 of positive sizes, latent in the middle, e.g. 784-700-400-700-784")
    return sizes


def georgiev(layer):
    p, n = layer.weight.shape
    with torch.no_grad():
        layer.weight.normal_(0.0, 1.0 / (math.sqrt(p) + math.sqrt(n)))
        layer.bias.zero_()
    return layer


class GibbsMachine(torch.nn.Module):
    def __init__(self, sizes, latent):
        super().__init__()
        mid = len(sizes) // 2
        self.sizes, self.latent, self.features = sizes, latent, sizes[0]
        self.encoder = torch.nn.ModuleList(georgiev(torch.nn.Linear(a, b)) for a, b in zip(sizes[:mid - 1], sizes[1:mid]))
        self.mu = georgiev(torch.nn.Linear(sizes[mid - 1], sizes[mid]))
        self.log_sigma = georgiev(torch.nn.Linear(sizes[mid - 1], sizes[mid]))
        self.decoder = torch.nn.ModuleList(georgiev(torch.nn.Linear(a, b)) for a, b in zip(sizes[mid:-2], sizes[mid + 1:-1]))
        self.output = georgiev(torch.nn.Linear(sizes[-2], sizes[-1]))

    def encode(self, x):
        h = x
        for layer in self.encoder:
            h = torch.tanh(layer(h))
        return self.mu(h), self.log_sigma(h)

    def decode(self, z):  # z [..., latent] -> logits [..., features]
        h = z
        for layer in self.decoder:
            h = torch.tanh(layer(h))
        return self.output(h)

    @staticmethod
    def log_rec(x, logits):  # log p_rec(x|z) summed over pixels, x [N, F] broadcast against logits [D, N, F] -> [D, N]
        return -F.binary_cross_entropy_with_logits(logits, x.expand_as(logits), reduction="none").sum(-1)

    def objective(self, x, objective, draws):
        """Per-row (loss, D_gen, -log L_rec), each [N] (GibbsMachine.Objective)."""
        mu, ls = self.encode(x)
        lat = self.latent
        dgen = lat.dgen(mu, ls).sum(1)
        z = lat.sample(mu, ls, lat.noise((draws,) + tuple(mu.shape)))
        log_rec = self.log_rec(x, self.decode(z))          # [D, N]
        rec = -log_rec.mean(0)
        if objective == "bound":
            return dgen + rec, dgen, rec
        log_w = log_rec + (lat.log_prior(z) - lat.log_post(z, mu, ls)).sum(2)
        if objective == "iwae":
            return -(torch.logsumexp(log_w, 0) - math.log(draws)), dgen, rec
        var = ((log_w - log_w.mean(0, keepdim=True)) ** 2).sum(0) / (draws - 1)
        return dgen + rec - 0.5 * var, dgen, rec


def default_draws(a):
    draws = a.L if a.L is not None else {"bound": 1, "iwae": 5}.get(a.objective, 0)
    if draws < (2 if a.objective == "dvar" else 1):
        sys.exit(f"--objective {a.objective} needs --L {2 if a.objective == 'dvar' else 1} or more latent draws")
    return draws


# ---------------------------------------------------------------- evaluation (GibbsMachine.Likelihood.cs)
@torch.no_grad()
def test_bound(model, x, draws, rows=500):
    tot = 0.0
    for r0 in range(0, x.shape[0], rows):
        tot += model.objective(x[r0:r0 + rows], "bound", draws)[0].double().sum().item()
    return tot / x.shape[0]


@torch.no_grad()
def importance_sampled(model, x, k, rows_per_block=100, chunk_elements=8_000_000):
    """Per-row NLL, its SE, the bound B and D_gen from k posterior draws, chunked: at most chunk_elements entries of the
    widest layer alive per chunk, the weights accumulated as a running log-sum-exp (and sum of squares for the SE)."""
    lat, n = model.latent, x.shape[0]
    nll, se, bound, dgen_all = (torch.empty(n, dtype=torch.float64) for _ in range(4))
    width = max(model.sizes)
    for r0 in range(0, n, rows_per_block):
        xb = x[r0:r0 + rows_per_block]
        rows = xb.shape[0]
        mu, ls = model.encode(xb)
        dgen = lat.dgen(mu, ls).sum(1).double()
        m = torch.full((rows,), -math.inf, dtype=torch.float64)
        s1 = torch.zeros(rows, dtype=torch.float64)
        s2 = torch.zeros(rows, dtype=torch.float64)
        rec_sum = torch.zeros(rows, dtype=torch.float64)
        per_chunk = max(1, min(k, chunk_elements // (rows * width)))
        for done in range(0, k, per_chunk):
            c = min(per_chunk, k - done)
            z = lat.sample(mu, ls, lat.noise((c, rows, mu.shape[1])))
            log_rec = model.log_rec(xb, model.decode(z))
            log_w = (log_rec + (lat.log_prior(z) - lat.log_post(z, mu, ls)).sum(2)).double()  # [c, rows]
            rec_sum += log_rec.double().sum(0)
            new_m = torch.maximum(m, log_w.max(0).values)
            f = torch.exp(m - new_m)  # 0 on the first chunk (m = -inf, sums 0)
            e = torch.exp(log_w - new_m)
            s1 = s1 * f + e.sum(0)
            s2 = s2 * f * f + (e * e).sum(0)
            m = new_m
        m1, m2 = s1 / k, s2 / k
        variance = (m2 - m1 * m1).clamp(min=0) * k / (k - 1)
        nll[r0:r0 + rows] = -(m + m1.log())
        se[r0:r0 + rows] = (variance / k).sqrt() / m1
        bound[r0:r0 + rows] = dgen - rec_sum / k
        dgen_all[r0:r0 + rows] = dgen
    return nll, se, bound, dgen_all


@torch.no_grad()
def active_units(model, x, threshold=0.01):
    mu = torch.cat([model.encode(x[r0:r0 + 1000])[0] for r0 in range(0, x.shape[0], 1000)]).double()
    activity = ((mu - mu.mean(0, keepdim=True)) ** 2).mean(0)  # Var_x(E_q[z]); E_q[z] = mu for both families
    return int((activity > threshold).sum()), activity


# ---------------------------------------------------------------- modes
def common(p):
    p.add_argument("--arch", default="784-700-400-700-784")
    p.add_argument("--latent", choices=sorted(LATENTS), default="gaussian")
    p.add_argument("--objective", choices=["bound", "iwae", "dvar"], default="bound")
    p.add_argument("--L", "--K", "--draws", dest="L", type=int, default=None,
                   help="latent draws per observation in the training objective: L for bound/dvar (default 1), K for iwae (default 5)")
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--batch", type=int, default=1000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)


def run_time(a):
    torch.manual_seed(a.seed)
    sizes = parse_arch(a.arch)
    draws = default_draws(a)
    model = GibbsMachine(sizes, LATENTS[a.latent])
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    if a.data == "random":
        x = (torch.rand(a.batch, sizes[0]) < 0.5).float()
    else:  # the first rows of the fixed binary test draw (binarize_test), the batch GmBench times too
        _, test_p = load(a.data, a.data_dir)
        if a.batch > len(test_p):
            raise SystemExit(f"--batch {a.batch}: {a.data} has only {len(test_p)} test rows")
        x = torch.from_numpy(binarize_test(test_p, "dynamic")[:a.batch].copy())

    def step():
        opt.zero_grad(set_to_none=True)
        model.objective(x, a.objective, draws)[0].mean().backward()
        opt.step()

    for _ in range(3):
        step()
    runs = []
    for _ in range(a.runs):
        t = time.perf_counter()
        for _ in range(a.steps):
            step()
        runs.append(a.steps / (time.perf_counter() - t))
    runs.sort()
    print(json.dumps({"batch": a.batch, "steps_per_s": runs[len(runs) // 2], "runs": runs, "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "arch": a.arch, "latent": a.latent, "objective": a.objective, "draws": draws}))


def run_train(a):
    t_load = time.perf_counter()
    sizes = parse_arch(a.arch)
    draws = default_draws(a)
    train_p, test_p = load(a.data, a.data_dir)
    if sizes[0] != train_p.shape[1] or sizes[-1] != train_p.shape[1]:
        raise SystemExit(f"--arch {a.arch}: input and output must be {train_p.shape[1]}")
    train = torch.from_numpy(train_p if a.binarize == "dynamic" else (train_p > 0.5).astype(np.float32))
    test = torch.from_numpy(binarize_test(test_p, a.binarize))
    if a.test_limit and a.test_limit < test.shape[0]:  # mnist10k's test rows are in class order: "first" is class 0 only
        pick = (np.arange(a.test_limit) * test.shape[0]) // a.test_limit if a.test_pick == "spread" else np.arange(a.test_limit)
        test = test[torch.from_numpy(pick)]
    n = train.shape[0]
    load_s = time.perf_counter() - t_load
    torch.manual_seed(a.seed)
    model = GibbsMachine(sizes, LATENTS[a.latent])
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    print(json.dumps({"mode": "train", "data": a.data, "train_rows": n, "test_rows": test.shape[0], "arch": a.arch,
                      "latent": a.latent, "objective": a.objective, "draws": draws, "epochs": a.epochs, "batch": a.batch,
                      "lr": a.lr, "decay": a.decay, "seed": a.seed, "binarize": a.binarize, "test_pick": a.test_pick, "load_seconds": round(load_s, 3),
                      "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    t_train = time.perf_counter()
    for epoch in range(a.epochs):
        t = time.perf_counter()
        lr = a.lr * math.exp(-epoch / a.decay) if a.decay > 0 else a.lr
        for g in opt.param_groups:
            g["lr"] = lr
        order = SplitMix64.stream(a.seed, epoch & 0xFFFFFFFF).permutation(n)  # MiniBatches.Permutation(rows, seed, epoch)
        sums = np.zeros(3)
        for b0 in range(0, n, a.batch):
            xb = train[order[b0:b0 + a.batch]]
            if a.binarize == "dynamic":
                xb = torch.bernoulli(xb)
            opt.zero_grad(set_to_none=True)
            loss, dgen, rec = model.objective(xb, a.objective, draws)
            loss.mean().backward()
            opt.step()
            sums += [loss.detach().sum().item(), dgen.detach().sum().item(), rec.detach().sum().item()]
        line = {"epoch": epoch, "lr": lr, "train_loss": sums[0] / n, "train_dgen": sums[1] / n, "train_rec": sums[2] / n,
                "seconds": round(time.perf_counter() - t, 3)}
        if a.eval_every and (epoch + 1) % a.eval_every == 0:
            line["test_bound"] = test_bound(model, test, a.eval_draws)
        print(json.dumps(line), flush=True)
    train_s = time.perf_counter() - t_train
    if a.save:
        torch.save(model.state_dict(), a.save)
    t_eval = time.perf_counter()
    nll, se, bound, dgen = importance_sampled(model, test, a.k, a.rows_per_block, a.chunk_elements)
    rows = test.shape[0]
    is_nll, is_se = nll.mean().item(), (se.pow(2).sum().sqrt() / rows).item()
    tb = bound.mean().item()
    active, _ = active_units(model, test)
    eval_s = time.perf_counter() - t_eval
    print(json.dumps({"final": True, "data": a.data, "latent": a.latent, "objective": a.objective, "arch": a.arch,
                      "epochs": a.epochs, "seed": a.seed, "test_rows": rows, "test_pick": a.test_pick, "k": a.k,
                      "test_bound": tb,
                      "test_dgen": dgen.mean().item(), "test_rec": tb - dgen.mean().item(),
                      "is_nll": is_nll, "is_nll_se": is_se, "d_var": tb - is_nll, "active_units": active,
                      "latent_size": sizes[len(sizes) // 2], "train_seconds": round(train_s, 3),
                      "seconds_per_epoch": round(train_s / max(1, a.epochs), 3), "eval_seconds": round(eval_s, 3),
                      "is_draws_per_s": round(rows * a.k / eval_s, 1), "torch": torch.__version__,
                      "threads": torch.get_num_threads()}), flush=True)


def run_check(a):
    """Closed-form D_gen vs a Monte-Carlo KL E_q[log q(z) - log p(z)] (float64, per unit)."""
    torch.manual_seed(a.seed)
    out = {}
    for name, lat in LATENTS.items():
        zero = torch.zeros(1, dtype=torch.float64)
        out[name + "_dgen_at_0_1"] = lat.dgen(zero, zero).item()
        for mu, sigma in [(0.7, 0.4), (-1.3, 1.8), (0.05, 0.02)]:
            m = torch.full((1,), mu, dtype=torch.float64)
            ls = torch.full((1,), math.log(sigma), dtype=torch.float64)
            z = lat.sample(m, ls, lat.noise((a.n, 1)).double())
            kl = lat.log_post(z, m, ls) - lat.log_prior(z)
            b = sigma * (B0 if name == "laplace" else 1.0)  # quadrature of q(log q - log p) over mu +- 60 scales
            zq = torch.linspace(mu - 60 * b, mu + 60 * b, 2_000_001, dtype=torch.float64)[:, None]
            lq = lat.log_post(zq, m, ls)
            quad = (lq.exp() * (lq - lat.log_prior(zq))).sum().item() * (zq[1, 0] - zq[0, 0]).item()
            out[f"{name}_mu{mu}_sigma{sigma}"] = {"closed_form": lat.dgen(m, ls).item(), "quadrature": quad,
                                                  "monte_carlo": kl.mean().item(), "mc_se": (kl.std() / math.sqrt(a.n)).item()}
        z = lat.noise((a.n,)).double() * (B0 if name == "laplace" else 1.0)
        out[name + "_prior_var"] = z.var().item()  # unit variance by construction
    g = SplitMix64(0)
    out["splitmix64_reference_ok"] = [g.next(), g.next(), g.next()] == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F]
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="mode", required=True)
    t = sub.add_parser("time", help="steps/s of one training step")
    common(t)
    t.add_argument("--k", dest="L", type=int, help="synonym of --K (the IWAE K) in this mode")
    t.add_argument("--steps", type=int, default=20, help="timed steps per run")
    t.add_argument("--runs", type=int, default=5)
    t.add_argument("--data", choices=["mnist10k", "fashion-mnist", "random"], default="mnist10k",
                   help="the timed batch: the first rows of the data set's fixed binary test draw, or 50%% random bits")
    t.add_argument("--data-dir", default=None)
    t.set_defaults(batch=100)
    r = sub.add_parser("train", help="train, then evaluate the test bound, IS-NLL and active units")
    common(r)
    r.add_argument("--data", choices=["mnist10k", "fashion-mnist"], default="mnist10k")
    r.add_argument("--data-dir", default=None)
    r.add_argument("--epochs", type=int, default=1)
    r.add_argument("--decay", type=float, default=500.0, help="lr time constant in epochs (0: constant lr)")
    r.add_argument("--binarize", choices=["dynamic", "fixed"], default="dynamic")
    r.add_argument("--k", type=int, default=5000, help="importance samples per test row for the NLL")
    r.add_argument("--test-limit", type=int, default=0, help="evaluate on N test rows (0: all)")
    r.add_argument("--test-pick", choices=["first", "spread"], default="first",
                   help="which N rows: the first N, or N evenly spaced (row floor(i*n/N)); mnist10k's test rows are class-ordered")
    r.add_argument("--eval-every", type=int, default=0, help="every N epochs, add the test bound (--eval-draws draws) to the epoch line")
    r.add_argument("--eval-draws", type=int, default=10)
    r.add_argument("--rows-per-block", type=int, default=100)
    r.add_argument("--chunk-elements", type=int, default=8_000_000)
    r.add_argument("--save", default=None, help="write the trained state_dict here")
    c = sub.add_parser("check", help="latent formula sanity checks")
    c.add_argument("--n", type=int, default=2_000_000)
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    {"time": run_time, "train": run_train, "check": run_check}[a.mode](a)


if __name__ == "__main__":
    main()
