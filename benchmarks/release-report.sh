#!/usr/bin/env bash
# Runs one benchmark executable of Package.swift, built in release, and keeps its report: what
# benchmarks/decode.sh and benchmarks/encryption.sh share. The report, headed by the command and
# the source it measured, is printed and kept in benchmarks/NAME-latest.txt (replaced only by a run
# that completes). Usage: bash benchmarks/release-report.sh PRODUCT NAME [ARGUMENTS…]
set -euo pipefail
cd "$(dirname "$0")/.."
product="$1" name="$2"
shift 2
bash tools/ensure-deps.sh

# The shared benchmark scratch path, so this build never contends with a developer's .build.
swift build -c release --product "$product" --scratch-path .build-bench 2>&1 | grep -E "error|warning: |Compiling $product" || true
bin="$(swift build -c release --scratch-path .build-bench --show-bin-path)/$product"

report="benchmarks/$name-latest.txt"
trap 'rm -f "$report.tmp"' EXIT
# Taken before the report's temporary file exists, which git status would count as a change.
source="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git status --porcelain 2>/dev/null | grep -q . && echo ' + uncommitted changes'); $(date -u +%Y-%m-%dT%H:%M:%SZ); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
{
  echo "command: bash benchmarks/$name.sh $*"
  echo "source: $source"
  "$bin" "$@"
} | tee "$report.tmp"
mv "$report.tmp" "$report"
