#!/usr/bin/env bash
# scripts/device.sh — publishes the gibbs CLI self-contained for linux-x64 (with the CUDA backend, Gibbs.Cuda, and
# ILGPU inside; untrimmed: ILGPU compiles kernels from IL at run time) into .device/gibbs, for a GPU machine that
# has the NVIDIA driver (libcuda) and, for fast GEMM, libcublas (CUDA 11–13; GIBBS_CUBLAS=/path overrides).
# It runs nothing on a GPU; it prints the commands to run there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/.device/gibbs"
rm -rf "$out"
dotnet publish "$root/src/Gibbs.Cli/Gibbs.Cli.csproj" -c Release -r linux-x64 --self-contained true \
  -p:PublishTrimmed=false -p:DebugType=none -o "$out" -nologo -v q
# The CLI's executable is named after its assembly; give it the tool's name.
[[ -f "$out/Gibbs.Cli" ]] && mv "$out/Gibbs.Cli" "$out/gibbs"
echo "published $(du -sh "$out" | cut -f1) in $(find "$out" -type f | wc -l) files: $out"
echo "copy .device/gibbs to the GPU machine, then run there:"
echo "  .device/gibbs/gibbs info --json"
echo "  .device/gibbs/gibbs selftest --device cuda"
