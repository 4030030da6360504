#!/usr/bin/env bash
# Decoding log lines on one core with the hand decoder over JSONReading, the only event decoder:
# ZaakGebeurtenis(logregel:) as a replay reads, and init(json:) as an import reads, on the same lines.
# Arguments go to DecodeBenchmark: --zaken N (demo traffic, default 4000 zaken ≈ 20k lines),
# --rounds N (default 5, the fastest round counts). The report is printed and kept in
# benchmarks/decode-latest.txt (replaced only by a run that completes).
# Profiling: `perf record -g "$(swift build -c release --scratch-path .build-bench --show-bin-path)/DecodeBenchmark" --fast-only`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure-deps.sh

# The shared benchmark scratch path, so this build never contends with a developer's .build.
swift build -c release --product DecodeBenchmark --scratch-path .build-bench 2>&1 | grep -E "error|warning: |Compiling DecodeBenchmark" || true
bin="$(swift build -c release --scratch-path .build-bench --show-bin-path)/DecodeBenchmark"

trap 'rm -f benchmarks/decode-latest.txt.tmp' EXIT
{
  echo "command: bash benchmarks/decode.sh $*"
  echo "source: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git status --porcelain 2>/dev/null | grep -q . && echo ' + uncommitted changes'); $(date -u +%Y-%m-%dT%H:%M:%SZ); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  "$bin" "$@"
} | tee benchmarks/decode-latest.txt.tmp
mv benchmarks/decode-latest.txt.tmp benchmarks/decode-latest.txt
