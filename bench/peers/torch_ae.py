#!/usr/bin/python3
"""PyTorch peer of `Gibbs.Bench ae`: one training step (forward, backward, Adam) of the
784-700-400-700-784 tanh autoencoder with sigmoid-BCE on logits, the same model and step as MlpBench.
Prints one JSON line: {"batch": B, "steps_per_s": median, "runs": [...]}.
Run with /usr/bin/python3 (Debian python3-torch 1.13); 2 threads as the issue asks."""
import argparse, json, os, time
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")   # no spinning workers between alternated runs
import torch

p = argparse.ArgumentParser()
p.add_argument("--batch", type=int, default=100)
p.add_argument("--steps", type=int, default=20, help="timed steps per run")
p.add_argument("--runs", type=int, default=5)
p.add_argument("--threads", type=int, default=2)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)
model = torch.nn.Sequential(
    torch.nn.Linear(784, 700), torch.nn.Tanh(), torch.nn.Linear(700, 400), torch.nn.Tanh(),
    torch.nn.Linear(400, 700), torch.nn.Tanh(), torch.nn.Linear(700, 784))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.rand(a.batch, 784)
loss_fn = torch.nn.BCEWithLogitsLoss()

def step():
    opt.zero_grad(set_to_none=True)
    loss_fn(model(x), x).backward()
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
print(json.dumps({"batch": a.batch, "steps_per_s": runs[len(runs) // 2], "runs": runs, "torch": torch.__version__, "threads": torch.get_num_threads()}))
