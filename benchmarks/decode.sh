#!/usr/bin/env bash
# Decoding log lines on one core with the hand decoder over JSONReading, the only event decoder:
# ZaakGebeurtenis(logregel:) as a replay reads, and init(json:) as an import reads, on the same lines.
# Arguments go to DecodeBenchmark: --zaken N (demo traffic, default 4000 zaken ≈ 20k lines),
# --rounds N (default 5, the fastest round counts). The report is printed and kept in
# benchmarks/decode-latest.txt (replaced only by a run that completes).
# Profiling: `perf record -g "$(swift build -c release --scratch-path .build-bench --show-bin-path)/DecodeBenchmark" --fast-only`.
exec bash "$(dirname "$0")/release-report.sh" DecodeBenchmark decode "$@"
