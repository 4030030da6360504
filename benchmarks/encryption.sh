#!/usr/bin/env bash
# What per-zaak encryption of personal data costs (docs/avg.md): generated Utrecht traffic (DAGEN,
# default 28) appended, rebuilt into fresh read models and verified, in plain text and encrypted, in
# the same run; the report gives both rates and their ratio. Usage: bash benchmarks/encryption.sh [DAGEN].
# The report is printed and kept in benchmarks/encryption-latest.txt (replaced only by a run that completes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure-deps.sh

# The shared benchmark scratch path, so this build never contends with a developer's .build.
swift build -c release --product EncryptionBenchmark --scratch-path .build-bench 2>&1 | grep -E "error|warning: |Compiling EncryptionBenchmark" || true
bin="$(swift build -c release --scratch-path .build-bench --show-bin-path)/EncryptionBenchmark"

trap 'rm -f benchmarks/encryption-latest.txt.tmp' EXIT
{
  echo "command: bash benchmarks/encryption.sh $*"
  echo "source: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git status --porcelain 2>/dev/null | grep -q . && echo ' + uncommitted changes'); $(date -u +%Y-%m-%dT%H:%M:%SZ); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  "$bin" "$@"
} | tee benchmarks/encryption-latest.txt.tmp
mv benchmarks/encryption-latest.txt.tmp benchmarks/encryption-latest.txt
