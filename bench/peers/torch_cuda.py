#!/usr/bin/env python3
"""PyTorch (eager, on the GPU) peer of `Gibbs.Bench cuda-*`: the same work as CudaBench, timed with a device
synchronisation at the end of each run. Prints one JSON line.
  --what gemm --n N [--tf32 1]        square sgemm, TFLOP/s
  --what ae --batch B                 one step (forward, backward, Adam) of the 784-700-400-700-784 tanh AE, sigmoid-BCE
  --what rbm --batch B                one PCD-1 step of a 784x500 Bernoulli RBM, plain SGD (Gibbs' RbmTrainer default)
Run with the device's python3 (PyTorch 2.x with CUDA)."""
import argparse, json, time
import torch

p = argparse.ArgumentParser()
p.add_argument("--what", required=True)
p.add_argument("--n", type=int, default=4096)
p.add_argument("--tf32", type=int, default=0)
p.add_argument("--batch", type=int, default=100)
p.add_argument("--steps", type=int, default=200)
p.add_argument("--runs", type=int, default=3)
p.add_argument("--threads", type=int, default=0)
a = p.parse_args()
dev = torch.device("cuda")
torch.backends.cuda.matmul.allow_tf32 = bool(a.tf32)
torch.manual_seed(1)

if a.what == "gemm":
    A = torch.rand(a.n, a.n, device=dev); B = torch.rand(a.n, a.n, device=dev); C = torch.empty(a.n, a.n, device=dev)
    def step(): torch.mm(A, B, out=C)
    flops = 2.0 * a.n ** 3
elif a.what == "ae":
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 700), torch.nn.Tanh(), torch.nn.Linear(700, 400), torch.nn.Tanh(),
        torch.nn.Linear(400, 700), torch.nn.Tanh(), torch.nn.Linear(700, 784)).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(a.batch, 784, device=dev)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), x).backward()
        opt.step()
    flops = 3 * 2.0 * a.batch * (784 * 700 + 700 * 400 + 400 * 700 + 700 * 784)
elif a.what == "rbm":
    nv, nh, lr = 784, 500, 0.01
    W = (torch.randn(nv, nh, device=dev) * 0.01); bv = torch.zeros(nv, device=dev); bh = torch.zeros(nh, device=dev)
    v = (torch.rand(a.batch, nv, device=dev) < 0.13).float()
    chain_v = v.clone(); chain_h = torch.sigmoid(chain_v @ W + bh)
    def step():
        global chain_v, chain_h
        ph = torch.sigmoid(v @ W + bh)
        h = torch.bernoulli(chain_h)
        vk = torch.bernoulli(torch.sigmoid(h @ W.t() + bv))
        hk = torch.sigmoid(vk @ W + bh)
        chain_v, chain_h = vk, hk
        gW = (vk.t() @ hk - v.t() @ ph) / a.batch
        W.sub_(lr * gW); bv.sub_(lr * (vk.mean(0) - v.mean(0))); bh.sub_(lr * (hk.mean(0) - ph.mean(0)))
    flops = 5 * 2.0 * a.batch * nv * nh
else:
    raise SystemExit(f"unknown --what {a.what}")

for _ in range(10): step()
torch.cuda.synchronize()
steps = a.steps if a.what != "gemm" else max(5, int(2e13 / flops))
runs = []
for _ in range(a.runs):
    t = time.perf_counter()
    for _ in range(steps): step()
    torch.cuda.synchronize()
    runs.append(steps / (time.perf_counter() - t))
runs.sort()
med = runs[len(runs) // 2]
print(json.dumps({"what": a.what, "steps_per_s": med, "tflops": med * flops / 1e12, "runs": runs, "torch": torch.__version__,
                  "gpu": torch.cuda.get_device_name(0)}))
