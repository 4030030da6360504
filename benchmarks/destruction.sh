#!/usr/bin/env bash
# Destruction under the Archiefwet (issue 18, docs/avg.md) on a generated year: a past year of KCC
# traffic (`zaak genereer`, default the landelijk profile over 2024), then with the clock at
# ZAAK_NU the vernietigingslijst of everything due (`zaak archief lijst`), its approval, the
# destruction and the verklaring, the KPIs of the year before and after (they must be equal), a
# second list (it must be empty) and `zaak log verifieer` with the installation's key. The standard
# catalogue's shortest bewaartermijn is one year, so a zaak of 2024 with it is due in 2025.
# Reports the time and peak RSS of each step, and zaken destroyed per second.
# Usage: bash benchmarks/destruction.sh [PROFIEL] [DAGEN]   (default: landelijk 366)
# The report goes to benchmarks/destruction-latest.txt (replaced only by a run that completes).
set -euo pipefail
cd "$(dirname "$0")/.."
profiel="${1:-landelijk}"
dagen="${2:-366}"
bash tools/ensure-deps.sh
swift build -c release --product zaak --scratch-path .build-bench 2>&1 | grep -E "error|Compiling zaak" || true
zaak="$(swift build -c release --scratch-path .build-bench --show-bin-path)/zaak"
work=.bench-tmp/destruction-$$
mkdir -p "$work"
trap 'rm -rf "$work"; rm -f benchmarks/destruction-latest.txt.tmp' EXIT
export ZAAK_NU=2026-11-20T09:00:00+01:00 ZAAK_SLEUTELMAP="$work/sleutels"
data="$work/d"
tot=$(python3 -c "import datetime; print(datetime.date(2024,1,1)+datetime.timedelta(days=$dagen-1))")

# One run under GNU time: its output in $work/out, its wall time (s) and peak RSS (kB) in s and m.
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
  read -r s m < "$work/time"
}
row() { printf '| %-44s | %8s | %8s |\n' "$1" "$2" "$(( $3 / 1024 )) MB"; }

# Taken before the report's temporary file exists, which git status would count as a change.
source="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git status --porcelain 2>/dev/null | grep -q . && echo ' + uncommitted changes'); $(date -u +%Y-%m-%dT%H:%M:%SZ); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
{
  echo "command: bash benchmarks/destruction.sh $*"
  echo "source: $source; release build; clock ZAAK_NU=$ZAAK_NU"
  echo
  echo "| step | seconds | peak RSS |"
  echo "|---|---|---|"
  "$zaak" audit sleutel --data "$data" >/dev/null
  measure "$zaak" genereer --profiel "$profiel" --van 2024-01-01 --dagen "$dagen" --seed 1 --data "$data"
  row "genereer $profiel 2024-01-01 + $dagen days" "$s" "$m"
  events=$("$zaak" log status --data "$data" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["laatstePositie"])')
  "$zaak" kpi --van 2024-01-01 --tot "$tot" --json --data "$data" > "$work/kpi-voor.json"
  measure "$zaak" archief lijst --tot "${ZAAK_NU:0:10}" --json --data "$data"
  cp "$work/out" "$work/lijst.json"
  zaken=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["zaken"]))' "$work/lijst.json")
  row "archief lijst --tot ${ZAAK_NU:0:10} ($zaken zaken)" "$s" "$m"
  measure "$zaak" archief keur "$work/lijst.json" --door dia-03 --data "$data"
  row "archief keur" "$s" "$m"
  measure "$zaak" archief vernietig "$work/lijst.json" --medewerker dia-07 --data "$data"
  row "archief vernietig" "$s" "$m"
  vernietig_s=$s
  measure "$zaak" log verifieer --sleutel "$ZAAK_SLEUTELMAP/checkpoint-ed25519.pub" --data "$data"
  row "log verifieer --sleutel" "$s" "$m"
  "$zaak" kpi --van 2024-01-01 --tot "$tot" --json --data "$data" > "$work/kpi-na.json"
  later=$("$zaak" archief lijst --tot "${ZAAK_NU:0:10}" --json --data "$data" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["zaken"]))')
  verklaard=$(python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); print(len(v["zaken"]), v["checkpoint"]["checkpoint"]["treeSize"])' "$work/lijst.json.verklaring.json")
  echo
  echo "log: $events events before the destruction; $zaken zaken on the list, destroyed at $(python3 -c "print(round($zaken / max($vernietig_s, 0.01)))") zaken/s"
  echo "verklaring van vernietiging: zaken and the signed checkpoint's tree size: $verklaard"
  if cmp -s "$work/kpi-voor.json" "$work/kpi-na.json"; then echo "zaak kpi over the year: identical before and after"; else echo "zaak kpi over the year: DIFFERENT"; exit 1; fi
  echo "a second archief lijst --tot ${ZAAK_NU:0:10}: $later zaken"
  [[ "$later" == 0 ]] || exit 1
} | tee benchmarks/destruction-latest.txt.tmp
mv benchmarks/destruction-latest.txt.tmp benchmarks/destruction-latest.txt
