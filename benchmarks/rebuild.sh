#!/usr/bin/env bash
# Full rebuild of all projections (BRIEF §6: ≥ 250k events/s, 10M events < 1 min in < 256 MB RSS),
# beside a baseline from the same run on the same log: `zaak log verifieer`, which reads, decompresses,
# checks and hashes every line but projects nothing. The ratio shows what projecting costs on top of
# reading the log.
# Usage: bash benchmarks/rebuild.sh [DAGEN]   (default 60 days of the utrecht profile from `zaak genereer`)
# The report goes to benchmarks/rebuild-latest.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
dagen="${1:-60}"
bash tools/ensure-deps.sh
swift build -c release --product zaak --scratch-path .build-bench 2>&1 | grep -E "error|Compiling zaak" || true
zaak="$(swift build -c release --scratch-path .build-bench --show-bin-path)/zaak"
work=.bench-tmp/rebuild-$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

echo "building the log: $dagen days of utrecht traffic (zaak genereer)…" >&2
"$zaak" genereer --profiel utrecht --van 2025-01-06 --dagen "$dagen" --seed 1 --data "$work/d" >/dev/null
events=$("$zaak" log status --data "$work/d" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["laatstePositie"])')

# Wall time (s) and peak RSS (kB) of one run, from GNU time.
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1
  cat "$work/time"
}
read -r verify_s verify_kb < <(measure "$zaak" log verifieer --data "$work/d")
read -r rebuild_s rebuild_kb < <(measure "$zaak" projecties herbouw --data "$work/d")
grep -q "^Herbouwd: $events gebeurtenissen toegepast, 0 overgeslagen" "$work/out" || { cat "$work/out" >&2; exit 1; }

python3 - "$events" "$verify_s" "$verify_kb" "$rebuild_s" "$rebuild_kb" <<'PY' | tee benchmarks/rebuild-latest.txt
import sys, os, platform
events, vs, vkb, rs, rkb = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
rate = lambda s: events / s if s > 0 else float("inf")
print(f"rebuild benchmark ({platform.machine()}, {os.cpu_count()} cores): {events} events of generated utrecht traffic")
print(f"  baseline  zaak log verifieer    {vs:7.2f} s  {rate(vs):>10,.0f} events/s  peak RSS {vkb/1024:6.1f} MB")
print(f"  rebuild   zaak projecties herbouw {rs:5.2f} s  {rate(rs):>10,.0f} events/s  peak RSS {rkb/1024:6.1f} MB")
print(f"  rebuild / verify speed: {rate(rs)/rate(vs):.2f}x   (target: >= 250k events/s, < 256 MB RSS)")
print(f"  10M events at this speed: {10_000_000/rate(rs):.0f} s")
PY
