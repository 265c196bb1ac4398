#!/usr/bin/env bash
# scripts/device.sh — publishes the gibbs CLI and the benchmarks (Gibbs.Bench) self-contained for linux-x64 (with the
# CUDA backend, Gibbs.Cuda, and ILGPU inside; untrimmed: ILGPU compiles kernels from IL at run time) into
# .device/gibbs, adds this machine's OpenBLAS (and its gfortran/quadmath) under .device/lib so the CPU reference
# runs at speed there, and packs both into .device/pack/pack.tar.xz (~40 MB: the device tool carries at most 64 MiB).
# It runs nothing on a GPU; it prints the call that does (scripts/device-run.sh unpacks and runs there).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/.device/gibbs"
rm -rf "$out" "$root/.device/lib" "$root/.device/pack"
for p in src/Gibbs.Cli/Gibbs.Cli.csproj bench/Gibbs.Bench/Gibbs.Bench.csproj; do
  dotnet publish "$root/$p" -c Release -r linux-x64 --self-contained true -p:PublishTrimmed=false -p:DebugType=none -o "$out" -nologo -v q
done
# The CLI's executable is named after its assembly; give it the tool's name.
[[ -f "$out/Gibbs.Cli" ]] && mv "$out/Gibbs.Cli" "$out/gibbs"
mkdir -p "$root/.device/lib" "$root/.device/pack"
for lib in libopenblas.so.0 libgfortran.so.5 libquadmath.so.0; do
  f=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}')
  [[ -n "$f" ]] && cp -L "$f" "$root/.device/lib/$lib" || echo "note: $lib not found here; the GPU machine's CPU reference will use the managed GEMM"
done
tar -C "$root/.device" -cf - gibbs lib | xz -T0 -6 > "$root/.device/pack/pack.tar.xz"
echo "published $(du -sh "$out" | cut -f1) in $(find "$out" -type f | wc -l) files; packed $(du -sh "$root/.device/pack/pack.tar.xz" | cut -f1) into .device/pack"
echo "on the GPU machine (device tool: carry .device/pack), from the repository root:"
echo "  bash scripts/device-run.sh info selftest selftest-tf32 train bench"
