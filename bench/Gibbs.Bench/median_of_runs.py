#!/usr/bin/env python3
# Combines several `gemm` outputs (Markdown tables) into one: each cell is the median over the runs
# (on a shared machine single runs swing by 2x). The "% peak" cells are recomputed from the median
# rates against threads × --core-peak (GFLOP/s of one core; default: the best per-core peak in the runs).
# Usage: median_of_runs.py [--core-peak 116.7] run1.txt run2.txt ...
import re, statistics, sys
args = sys.argv[1:]
core = None
if "--core-peak" in args:
    i = args.index("--core-peak"); core = float(args[i + 1]); del args[i:i + 2]
rows, header = {}, None
for path in args:
    if core is None or "--core-peak" not in sys.argv:
        for m in re.finditer(r"measured FMA ([0-9.]+) per core", open(path, encoding="utf-8").read()):
            core = max(core or 0, float(m.group(1)))
    for line in open(path, encoding="utf-8"):
        if not line.startswith("| ") or line.startswith("| shape"):
            if line.startswith("| shape"): header = line.rstrip("\n")
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.setdefault((cells[0], cells[1]), []).append(cells[2:])
def med(values):
    nums = [float(v.rstrip("%")) for v in values if v not in ("–", "")]
    if not nums: return "–"
    m = statistics.median(nums)
    return f"{m:.0f}%" if values[0].endswith("%") else (f"{m:.2f}" if m < 10 and "." in values[0] and len(values[0].split(".")[1]) == 2 else f"{m:.1f}")
print(header)
print("|---|---|" + "---:|" * (header.count("|") - 3))
for t in sorted({k[1] for k in rows}):
    for (shape, th), runs in rows.items():
        if th == t:
            cells = [med([r[i] for r in runs]) for i in range(len(runs[0]))]
            names = [c.strip() for c in header.strip().strip("|").split("|")][2:]
            for j, name in enumerate(names):
                if name.endswith("% peak"):
                    src = names.index("managed GFLOP/s") if name.startswith("managed") else 0
                    cells[j] = "–" if cells[src] == "–" else f"{100 * float(cells[src]) / (int(th) * core):.0f}%"
            print(f"| {shape} | {th} | " + " | ".join(cells) + " |")
print(f"\n% peak against threads × {core:.1f} GFLOP/s per core")
