#!/usr/bin/env bash
# The test command (README "Run the tests"; CI calls it). Installs what it can — OpenBLAS, numpy for
# the independent format readers, Fashion-MNIST — and says what it skipped and why; then runs the
# xunit suite (both GEMM paths: managed always, OpenBLAS when installed) and `gibbs selftest`.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

want=(libopenblas0-pthread python3-numpy dataset-fashion-mnist)
missing=()
for p in "${want[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "test.sh: installing ${missing[*]} (apt-get)…"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/tmp/gibbs-apt.log 2>&1; then
      echo "test.sh: could not install ${missing[*]} (see /tmp/gibbs-apt.log); tests that need them will report SKIPPED with the reason."
    fi
  else
    echo "test.sh: not root or no apt-get: not installing ${missing[*]}; tests that need them will report SKIPPED with the reason."
    echo "         (as root: apt-get install -y ${missing[*]})"
  fi
fi
dpkg -s libopenblas0-pthread >/dev/null 2>&1 && echo "test.sh: OpenBLAS present: GEMM tests cover OpenBLAS and the managed kernel." \
  || echo "test.sh: OpenBLAS absent: only the managed GEMM is tested (OpenBLAS tests are skipped)."

set -e
dotnet build Gibbs.sln -c Release -nologo -v q
dotnet test tests/Gibbs.Tests/Gibbs.Tests.csproj -c Release --no-build -nologo --logger "console;verbosity=minimal"
echo "test.sh: gibbs selftest (cpu)…"
./gibbs selftest --device cpu
