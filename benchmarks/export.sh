#!/usr/bin/env bash
# The OCEL 2.0 export (issue 21, docs/process-mining.md) of a year of generated Utrecht traffic, in
# both forms, beside a baseline from the same run on the same log: `zaak log verifieer`, which reads,
# decompresses, checks and hashes every line. Reports events/s and peak RSS of each; the export must
# stream (bounded memory), so its RSS is the figure to watch as the log grows.
# Usage: bash benchmarks/export.sh [DAGEN]   (default 365 days of the utrecht profile from `zaak genereer`)
# The report goes to benchmarks/export-latest.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
dagen="${1:-365}"
bash tools/ensure-deps.sh
swift build -c release --product zaak --scratch-path .build-bench 2>&1 | grep -E "error|Compiling zaak" || true
zaak="$(swift build -c release --scratch-path .build-bench --show-bin-path)/zaak"
work=.bench-tmp/export-$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
export ZAAK_NU=2026-06-01T12:00:00+02:00 ZAAK_SLEUTELMAP="$work/sleutels"

echo "building the log: $dagen days of utrecht traffic (zaak genereer)…" >&2
"$zaak" audit sleutel --data "$work/d" >/dev/null
"$zaak" genereer --profiel utrecht --van 2025-01-06 --dagen "$dagen" --seed 1 --data "$work/d" >/dev/null
"$zaak" log checkpoint --data "$work/d" >/dev/null
events=$("$zaak" log status --data "$work/d" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["laatstePositie"])')
tot=$(python3 -c "import datetime,sys; print(datetime.date(2025,1,6)+datetime.timedelta(days=$dagen-1))")

# Wall time (s) and peak RSS (kB) of one run, from GNU time.
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
  cat "$work/time"
}
read -r verify_s verify_kb < <(measure "$zaak" log verifieer --data "$work/d")
read -r sqlite_s sqlite_kb < <(measure "$zaak" export ocel --data "$work/d" --van 2025-01-06 --tot "$tot" --formaat sqlite --naar "$work/jaar.sqlite")
read -r json_s json_kb < <(measure "$zaak" export ocel --data "$work/d" --van 2025-01-06 --tot "$tot" --formaat json --naar "$work/jaar.json")
read -r check_s check_kb < <(measure "$zaak" export controleer "$work/jaar.sqlite" --data "$work/d")
exported=$(python3 -c 'import json,sys; print(sum(json.load(open(sys.argv[1]))["export"]["gebeurtenissen"].values()))' "$work/jaar.sqlite.zaaklog.json")
sizes="$(stat -c %s "$work/jaar.sqlite") $(stat -c %s "$work/jaar.json")"

python3 - "$events" "$exported" "$verify_s" "$verify_kb" "$sqlite_s" "$sqlite_kb" "$json_s" "$json_kb" "$check_s" "$check_kb" $sizes <<'PY' | tee benchmarks/export-latest.txt
import sys, os, platform
events, exported = int(sys.argv[1]), int(sys.argv[2])
vs, vkb, ss, skb, js, jkb, cs, ckb = (float(x) for x in sys.argv[3:11])
sqlite_bytes, json_bytes = int(sys.argv[11]), int(sys.argv[12])
rate = lambda s: exported / s if s > 0 else float("inf")
print(f"export benchmark ({platform.machine()}, {os.cpu_count()} cores): {events} events of generated utrecht traffic, {exported} exported")
print(f"  baseline  zaak log verifieer        {vs:7.2f} s  {events / vs:>10,.0f} events/s  peak RSS {vkb/1024:6.1f} MB")
print(f"  export    --formaat sqlite          {ss:7.2f} s  {rate(ss):>10,.0f} events/s  peak RSS {skb/1024:6.1f} MB  {sqlite_bytes/1e6:,.0f} MB")
print(f"  export    --formaat json            {js:7.2f} s  {rate(js):>10,.0f} events/s  peak RSS {jkb/1024:6.1f} MB  {json_bytes/1e6:,.0f} MB")
print(f"  check     zaak export controleer    {cs:7.2f} s  {rate(cs):>10,.0f} events/s  peak RSS {ckb/1024:6.1f} MB")
print(f"  export sqlite / verify speed: {rate(ss) / (events / vs):.2f}x")
PY
