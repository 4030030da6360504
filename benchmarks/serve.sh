#!/usr/bin/env bash
# HTTP API figures with wrk on loopback, 16 connections, beside the CLI doing the same in the same
# run on the same data (two weeks of Utrecht's traffic from `zaak genereer`):
#  - reads: GET /zaken/{nummer} and GET /afdelingen/{afdeling}/werkvoorraad, requests/s and p99.
#    Each read also appends a durable record to the processing log (fsync, shared by group commit);
#  - appends: POST /berichten, each a new inwoner (a new zaak: numbering, conditional append, fsync,
#    projection catch-up), requests/s and p99, concurrent appends sharing the log's group commit;
#  - CLI: `zaak toon` and `zaak bericht` run back to back (process start, open, answer), per second;
#  - what an operator sees of it: the access log's line count and an excerpt of GET /metrics.
# Usage: bash benchmarks/serve.sh [DAGEN] [SECONDS]   (defaults 14 and 10)
# The report goes to benchmarks/serve-latest.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/serve-url.sh
dagen="${1:-14}"
seconds="${2:-10}"
bash tools/ensure-deps.sh
command -v wrk >/dev/null 2>&1 || {
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
}
swift build -c release --product zaak --scratch-path .build-bench 2>&1 | grep -E "error|Compiling zaak" || true
zaak="$(swift build -c release --scratch-path .build-bench --show-bin-path)/zaak"
work=.bench-tmp/serve-$$
mkdir -p "$work"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fs=$(stat -f -c %T "$work")
[[ $fs == tmpfs || $fs == ramfs ]] && { echo "serve.sh: $work is on $fs, where fsync does nothing" >&2; exit 2; }

echo "building $dagen days of Utrecht's traffic (zaak genereer)…" >&2
"$zaak" genereer --profiel utrecht --van 2025-01-06 --dagen "$dagen" --seed 1 --data "$work/data" >/dev/null
token=$("$zaak" token maak --data "$work/data" --rol kcc --omschrijving bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
events=$("$zaak" log status --data "$work/data" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["laatstePositie"])')
"$zaak" serve --data "$work/data" --poort 0 >"$work/serve.out" 2>&1 &
pid=$!
url=$(serve_url "$work/serve.out" "$pid")

cat >"$work/post.lua" <<'LUA'
-- Each request a new inwoner, so each opens its own zaak; threads number their own inwoners.
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local n = 0
function request()
  n = n + 1
  local body = string.format('{"inwoner":"inw-wrk-%d-%d","onderwerp":"afval.container-niet-geleegd","kanaal":"whatsapp","inhoud":"Container niet geleegd"}', tid, n)
  return wrk.format("POST", "/berichten", {["Content-Type"] = "application/json", ["Authorization"] = wrk.headers["Authorization"]}, body)
end
LUA

# wrk's "Requests/sec", the 99% latency, and the non-2xx count.
load() {  # label uri [script]
  local label="$1" uri="$2" script="${3:-}"
  local out
  out=$(wrk -t2 -c16 -d"${seconds}s" --latency -H "Authorization: Bearer $token" ${script:+-s "$script"} "$url$uri")
  local rps p99 bad
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  bad=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '%-44s %10s req/s   p99 %8s   non-2xx %s\n' "$label" "$rps" "$p99" "${bad:-0}"
}

median_ms() {  # runs "$@" N times, prints the median wall time in ms
  local runs="$1"; shift
  for _ in $(seq 1 "$runs"); do
    local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000 ))
  done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}
export ZAAK_MEDEWERKER=kcc-bench
cli_new() { "$zaak" bericht --data "$work/data" --kanaal whatsapp --inwoner "inw-cli-$RANDOM$RANDOM" --onderwerp afval.container-niet-geleegd --inhoud x; }

# Generated traffic lies in the past, its handoffs mostly answered: 100 webformulier meldingen go
# straight to Stadsbeheer, so the queue read returns a full page.
afdeling=Stadsbeheer
for i in $(seq 1 100); do
  curl -sf -o /dev/null -X POST "$url/meldingen" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"inwoner\":\"inw-queue-$i\",\"onderwerp\":\"openbare-ruimte.stoeptegel\",\"inhoud\":\"Losse stoeptegel\"}"
done
read -r queue nummer < <(curl -sf -H "Authorization: Bearer $token" "$url/afdelingen/$afdeling/werkvoorraad" \
  | python3 -c 'import json,sys; rows = json.load(sys.stdin); print(len(rows), rows[-1]["zaak"])')

echo "measuring…" >&2
{
  echo "zaak serve on loopback: wrk -t2 -c16 -d${seconds}s, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
  echo "data: zaak genereer --profiel utrecht --dagen $dagen ($events events); zaak $nummer, werkvoorraad $afdeling ($queue rows)"
  echo
  load "GET /zaken/$nummer" "/zaken/$nummer"
  load "GET /afdelingen/$afdeling/werkvoorraad" "/afdelingen/$afdeling/werkvoorraad"
  load "POST /berichten (new zaak each)" "/berichten" "$work/post.lua"
  echo
  toon=$(median_ms 30 "$zaak" toon "$nummer" --data "$work/data")
  werk=$(median_ms 30 "$zaak" werkvoorraad --data "$work/data" --afdeling "$afdeling" --json)
  new=$(median_ms 30 cli_new)
  awk -v a="$toon" -v b="$werk" -v c="$new" 'BEGIN {
    printf "CLI, one process after another (median of 30):\n"
    printf "%-44s %10.1f per s  (%s ms each)\n", "zaak toon", 1000 / a, a
    printf "%-44s %10.1f per s  (%s ms each)\n", "zaak werkvoorraad --json", 1000 / b, b
    printf "%-44s %10.1f per s  (%s ms each)\n", "zaak bericht (new zaak each)", 1000 / c, c
  }'
  verwerkingen=$(cat "$work"/data/verwerkingen/seg-*.lz4 | lz4 -dc | wc -l)
  echo
  echo "processing-log records written during the run: $verwerkingen"
  # What an operator sees of the same run: the access log on stderr and GET /metrics.
  echo
  echo "access log: $(grep -c ' verzoek$' "$work/serve.out" || true) lines, e.g.:"
  grep -m1 'route=/berichten' "$work/serve.out" | sed 's/^/  /'
  echo "GET /metrics (excerpt):"
  curl -sf "$url/metrics" | grep -E '^zaaklog_(http_requests_total|appended_events_total|fsyncs_total|processing_log_records_total|projection_lag_events|log_position_events)' \
    | grep -v 'status="4' | sed 's/^/  /'
} | tee benchmarks/serve-latest.txt
