#!/usr/bin/env bash
# The backoffice's HTML pages (issue 20) beside the JSON API's same reads, with wrk on loopback at 16
# and 64 connections, in one run on the same data and the same server:
#  - GET /werkvoorraad, signed in as afdeling:Stadsbeheer (a session cookie), beside
#    GET /afdelingen/Stadsbeheer/werkvoorraad with a Bearer token of that afdeling: ~900 open handoffs;
#  - GET /zaak/{nummer} beside GET /zaken/{nummer}/geschiedenis: one zaak of the queue with ~50 events
#    (those the generator wrote, then `zaak bericht --zaak` until there are 50).
# Per read: requests/s and p99 (wrk --latency), the server's CPU time per answer (from /proc and GET
# /metrics, so wrk's own CPU on the same two cores is not counted), the page's req/s as a share of the
# JSON's (the issue's bar: a page costs at most 2× the JSON, so page req/s ≥ 0.5× JSON req/s), and the
# bytes of each answer, with the style sheet and script a first visit also fetches. Every read, page
# and JSON alike, appends its processing-log records durably (fsync) before it answers: that is part
# of both figures.
# Usage: bash benchmarks/web.sh [SECONDS] [ROUNDS]   (defaults 10 and 3; ~5 minutes once the release build exists)
# The report goes to benchmarks/web-latest.txt (replaced only by a run that completes).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/serve-url.sh
seconds="${1:-10}"
rounds="${2:-3}"
started=$(date +%s)
bash tools/ensure-deps.sh
command -v wrk >/dev/null 2>&1 || {
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
}
# WEB_BENCH_ZAAK=path runs another binary (a debug build, while writing this script); the report says
# so, and is then not the one to keep.
if [ -n "${WEB_BENCH_ZAAK:-}" ]; then
  zaak="$WEB_BENCH_ZAAK"; build="NOT the release build: $zaak"
else
  swift build -c release --product zaak --scratch-path .build-bench 2>&1 | grep -E "error|Compiling zaak" || true
  zaak="$(swift build -c release --scratch-path .build-bench --show-bin-path)/zaak"
  build="release (swift build -c release --scratch-path .build-bench --product zaak)"
fi
work=.bench-tmp/web-$$
mkdir -p "$work"
report=benchmarks/web-latest.txt
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
  rm -f "$report.tmp"
}
trap cleanup EXIT
fs=$(stat -f -c %T "$work")
[[ $fs == tmpfs || $fs == ramfs ]] && { echo "web.sh: $work is on $fs, where fsync does nothing" >&2; exit 2; }
# Taken before the report's temporary file exists, which git status would count as a change.
source="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git status --porcelain 2>/dev/null | grep -q . && echo ' + uncommitted changes')"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# The program's clock stands still at this moment (docs/clock.md); the sessions' idle time is
# elapsed time and runs on, hence the long --sessieduur.
export ZAAK_NU=2026-11-20T09:00:00+01:00 ZAAK_SLEUTELMAP="$work/sleutels" ZAAK_MEDEWERKER=kcc-bench
data="$work/data"
afdeling=Stadsbeheer
rijen=900
events_wanted=50
van=2026-11-16 dagen=4
"$zaak" audit sleutel --data "$data" >/dev/null
echo "$(date +%T) building $dagen days of Utrecht's traffic up to $ZAAK_NU (zaak genereer)…" >&2
"$zaak" genereer --profiel utrecht --van "$van" --dagen "$dagen" --seed 1 --data "$data" >/dev/null
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
kcc=$("$zaak" token maak --data "$data" --rol kcc --omschrijving "web.sh kcc" --json | json 'd["token"]')
token=$("$zaak" token maak --data "$data" --rol "afdeling:$afdeling" --omschrijving "web.sh $afdeling" --json | json 'd["token"]')
wachtwoord="web-bench-$RANDOM$RANDOM-wachtwoord"
printf '%s\n' "$wachtwoord" | "$zaak" gebruiker maak --data "$data" --naam s.beheer --rol "afdeling:$afdeling" --wachtwoord-stdin >/dev/null
"$zaak" serve --data "$data" --poort 0 --sessieduur 43200 >"$work/serve.out" 2>&1 &
pid=$!
url=$(serve_url "$work/serve.out" "$pid")

# The queue: what the four days left open, topped up to $rijen with webformulier meldingen, which
# go straight to Stadsbeheer.
queue() { curl -sf -H "Authorization: Bearer $token" "$url/afdelingen/$afdeling/werkvoorraad"; }
generated=$(queue | json 'len(d)')
for i in $(seq 1 $((rijen - generated))); do
  curl -sf -o /dev/null -X POST "$url/meldingen" -H "Authorization: Bearer $kcc" -H 'Content-Type: application/json' \
    -d "{\"inwoner\":\"inw-web-$i\",\"onderwerp\":\"openbare-ruimte.stoeptegel\",\"inhoud\":\"Losse stoeptegel voor nummer $i\"}"
done
queue >"$work/werkvoorraad.json"
open=$(json 'len(d)' <"$work/werkvoorraad.json")

# The zaak: the queue's most urgent row (a generated zaak), given berichten until it has 50 events,
# with the CLI while the server runs (as a KCC medewerker's script would), on the morning of ZAAK_NU.
read -r nummer inwoner onderwerp < <(json 'd[0]["zaak"], d[0]["inwoner"], d[0]["onderwerp"]' <"$work/werkvoorraad.json")
geschiedenis() { curl -sf -H "Authorization: Bearer $token" "$url/zaken/$nummer/geschiedenis"; }
own=$(geschiedenis | json 'len(d)')
n=$own
kanalen=(whatsapp email chat sociale-media)
for i in $(seq 1 100); do
  [ "$n" -ge "$events_wanted" ] && break
  richting=inkomend; ((i % 3 == 0)) && richting=uitgaand
  "$zaak" bericht --data "$data" --zaak "$nummer" --inwoner "$inwoner" --onderwerp "$onderwerp" --kanaal "${kanalen[i % 4]}" \
    --richting "$richting" --inhoud "Bericht $i over deze zaak: nog steeds niet opgelost, graag een reactie." \
    --tijd "2026-11-20 $(printf '07:%02d' $((i % 60)))" >/dev/null
  n=$(geschiedenis | json 'len(d)')
done
[ "$n" -ge "$events_wanted" ] || { echo "web.sh: $nummer has $n events, not $events_wanted" >&2; exit 1; }

# Signing in as a person would: the form's _csrf equals the zaak_aanmelden cookie; the answer sets zaak_sessie.
jar="$work/cookies"
csrf=$(curl -sf -c "$jar" "$url/aanmelden" | sed -nE 's/.*name="_csrf" value="([^"]+)".*/\1/p' | head -1)
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" -X POST "$url/aanmelden" \
  --data-urlencode naam=s.beheer --data-urlencode "wachtwoord=$wachtwoord" --data-urlencode "_csrf=$csrf")
sessie=$(awk '$6 == "zaak_sessie" {print $7}' "$jar")
[ "$status" = 303 ] && [ -n "$sessie" ] || { echo "web.sh: signing in answered $status" >&2; exit 1; }
cookie="Cookie: zaak_sessie=$sessie"
bearer="Authorization: Bearer $token"

# Each answer once, checked and weighed (the body's bytes; gzip -6 for what a compressing proxy would send).
fetch() {  # name header path: body in $work/name, fails unless 200
  local code; code=$(curl -s -o "$work/$1" -w '%{http_code}' -H "$2" "$url$3")
  [ "$code" = 200 ] || { echo "web.sh: GET $3 answered $code" >&2; exit 1; }
}
fetch wv.html "$cookie" /werkvoorraad
fetch wv.json "$bearer" "/afdelingen/$afdeling/werkvoorraad"
fetch zaak.html "$cookie" "/zaak/$nummer"
fetch zaak.json "$bearer" "/zaken/$nummer/geschiedenis"
fetch css "$cookie" /static/zaaklog.css
fetch js "$cookie" /static/zaaklog.js
page_rows=$(grep -c '<tr data-zaak=' "$work/wv.html" || true)
page_events=$(grep -o '<li data-type=' "$work/zaak.html" | wc -l)
[ "$page_rows" = "$open" ] || { echo "web.sh: the page shows $page_rows rows, the JSON $open" >&2; exit 1; }
[ "$page_events" = "$n" ] || { echo "web.sh: the zaak page shows $page_events events, the JSON $n" >&2; exit 1; }
events=$("$zaak" log status --data "$data" --json | json 'd["laatstePositie"]')

# The server's CPU time (user + system, clock ticks) and what it counted of a route's 200 answers
# (GET /metrics), so a figure's cost per request is the server's own, whatever wrk and the rest of
# the machine used.
tick=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
answered() {  # route pattern as /metrics labels it
  curl -sf "$url/metrics" | awk -v r="route=\"$1\"" 'index($0, "zaaklog_http_requests_total{") == 1 && index($0, r) && index($0, "status=\"200\"") { n += $NF } END { print n + 0 }'
}
# Waits until the server has finished what the last run left in flight (up to 64 slow requests after
# wrk stops): its CPU time stops growing (under 5% of a core over half a second, at most 15 s).
settle() {
  local before after
  for _ in $(seq 1 30); do
    before=$(cpu); sleep 0.5; after=$(cpu)
    [ $((after - before)) -le $((tick / 40)) ] && return 0
  done
}
# One wrk run; prints "req/s p99-ms non-2xx errors" (p99 in ms whatever unit wrk chose).
run() {  # connections header path
  local out
  out=$(wrk -t2 -c"$1" -d"${seconds}s" --timeout 60s --latency -H "$2" "$url$3")
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $5 }
    /Socket errors/ { gsub(",", ""); errors = $4 + $6 + $8 + $10 }
    END { printf "%s %.2f %d %d\n", rps, p99, bad, errors }' <<<"$out"
}
# Best of the rounds per figure (load on this shared machine only ever slows a run down): the highest
# req/s with that round's p99, and separately the lowest CPU per request. Within a round each page
# runs next to its JSON, page first in odd rounds, JSON first in even ones.
declare -A best cost
measure() {  # key connections header path route
  settle
  local c0 n0 r c1 n1 ms
  c0=$(cpu); n0=$(answered "$5")
  r=$(run "$2" "$3" "$4")
  settle
  c1=$(cpu); n1=$(answered "$5")
  ms=$(awk -v t=$((c1 - c0)) -v n=$((n1 - n0)) -v hz="$tick" 'BEGIN { printf "%.1f", (n > 0 ? t * 1000 / hz / n : 0) }')
  echo "  $(date +%T) round $round, $1: req/s p99-ms non-2xx errors = $r; server CPU $ms ms per answer ($((n1 - n0)) answers)" >&2
  if [ -z "${best[$1]:-}" ] || awk -v a="${r%% *}" -v b="${best[$1]%% *}" 'BEGIN { exit !(a > b) }'; then best[$1]="$r"; fi
  if [ -z "${cost[$1]:-}" ] || awk -v a="$ms" -v b="${cost[$1]}" 'BEGIN { exit !(a < b) }'; then cost[$1]="$ms"; fi
}
echo "$(date +%T) measuring: $rounds round(s) of 8 wrk runs of ${seconds}s…" >&2
for round in $(seq 1 "$rounds"); do
  for c in 16 64; do
    for read in wv zaak; do
      if [ "$read" = wv ]; then
        page=(/werkvoorraad /werkvoorraad) api=("/afdelingen/$afdeling/werkvoorraad" "/afdelingen/{afdeling}/werkvoorraad")
      else
        page=("/zaak/$nummer" "/zaak/{nummer}") api=("/zaken/$nummer/geschiedenis" "/zaken/{nummer}/geschiedenis")
      fi
      if ((round % 2)); then
        measure "$read-page-$c" "$c" "$cookie" "${page[@]}"; measure "$read-json-$c" "$c" "$bearer" "${api[@]}"
      else
        measure "$read-json-$c" "$c" "$bearer" "${api[@]}"; measure "$read-page-$c" "$c" "$cookie" "${page[@]}"
      fi
    done
  done
done
verwerkingen=$(cat "$data"/verwerkingen/seg-*.lz4 | lz4 -dc | wc -l)
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(( $(date +%s) - started ))

bytes() { wc -c <"$work/$1" | tr -d ' '; }
gz() { gzip -6 -c "$work/$1" | wc -c | tr -d ' '; }
row() {  # label key
  read -r rps p99 bad errors <<<"${best[$2]}"
  printf '  %-60s %5s %9.1f %9.1f %9s %7s %6s' "$1" "${2##*-}" "$rps" "$p99" "${cost[$2]}" "$bad" "$errors"
}
ratio() {  # page-key json-key: page req/s ÷ JSON req/s (the bar: ≥ 0.5), and page CPU ÷ JSON CPU
  awk -v p="${best[$1]%% *}" -v j="${best[$2]%% *}" -v pc="${cost[$1]}" -v jc="${cost[$2]}" 'BEGIN {
    if (j <= 0 || jc <= 0) { print "   n/a"; exit }
    r = p / j; printf "   %5.2f×  %-3s  %5.2f×\n", r, (r >= 0.5 ? "yes" : "NO"), pc / jc }'
}
weight() { printf '  %-60s %10s %10s\n' "$1" "$2" "$3"; }
wv_js=$(grep -c 'src="/static/zaaklog.js"' "$work/wv.html" || true)
zaak_js=$(grep -c 'src="/static/zaaklog.js"' "$work/zaak.html" || true)
first_visit() {  # html-file uses-js: the HTML, the CSS and (when the page loads it) the JS
  local total=$(( $(bytes "$1") + $(bytes css) )) gzipped=$(( $(gz "$1") + $(gz css) ))
  [ "$2" -gt 0 ] && total=$(( total + $(bytes js) )) gzipped=$(( gzipped + $(gz js) ))
  echo "$total $gzipped"
}
{
  echo "zaaklog web pages beside the JSON API (benchmarks/web.sh), $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $source"
  echo "  command   bash benchmarks/web.sh $seconds $rounds"
  echo "  machine   nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(uname -sr); $fs; load $load_start at start, $load_end at end"
  echo "  binary    $build"
  echo "  data      zaak genereer --profiel utrecht --van $van --dagen $dagen --seed 1, ZAAK_NU=$ZAAK_NU: $events events;"
  echo "            werkvoorraad $afdeling: $open open handoffs ($generated generated + $((open - generated)) webformulier meldingen via POST /meldingen);"
  echo "            zaak $nummer (the queue's first row): $n events ($own generated + $((n - own)) from zaak bericht --zaak)"
  echo "  load      wrk -t2 -d${seconds}s --timeout 60s --latency on loopback, 16 and 64 connections; $rounds round(s), page and JSON side by side;"
  echo "            page: signed in as afdeling:$afdeling (-H \"Cookie: zaak_sessie=…\", --sessieduur 43200); JSON: a Bearer token of afdeling:$afdeling."
  echo "            Every read, page and JSON alike, appends its processing-log records durably (fsync) before it answers."
  echo "  figures   req/s: the best round, with its p99; CPU: the server's user + system time per answered request (/proc, GET /metrics),"
  echo "            the lowest of the rounds. The bar (issue 20): a page costs at most 2× its JSON, i.e. page req/s ≥ 0.5× JSON req/s."
  echo
  printf '  %-60s %5s %9s %9s %9s %7s %6s   %s\n' "read" "conns" "req/s" "p99 ms" "CPU ms" "non-2xx" "errors" "page÷JSON ≥0.5×  CPU page÷JSON"
  for c in 16 64; do
    row "werkvoorraad page  GET /werkvoorraad" "wv-page-$c"; ratio "wv-page-$c" "wv-json-$c"
    row "werkvoorraad JSON  GET /afdelingen/$afdeling/werkvoorraad" "wv-json-$c"; echo
    row "zaak page          GET /zaak/$nummer" "zaak-page-$c"; ratio "zaak-page-$c" "zaak-json-$c"
    row "zaak JSON          GET /zaken/$nummer/geschiedenis" "zaak-json-$c"; echo
    [ "$c" = 64 ] || echo
  done
  echo
  printf '  %-60s %10s %10s\n' "weight of one answer (body)" "bytes" "gzip -6"
  weight "werkvoorraad page, HTML ($page_rows rows)" "$(bytes wv.html)" "$(gz wv.html)"
  read -r t g < <(first_visit wv.html "$wv_js")
  weight "  + CSS$([ "$wv_js" -gt 0 ] && echo ' + JS'), a first visit" "$t" "$g"
  weight "werkvoorraad JSON ($open rows)" "$(bytes wv.json)" "$(gz wv.json)"
  weight "zaak page, HTML ($page_events events)" "$(bytes zaak.html)" "$(gz zaak.html)"
  read -r t g < <(first_visit zaak.html "$zaak_js")
  weight "  + CSS$([ "$zaak_js" -gt 0 ] && echo ' + JS'), a first visit" "$t" "$g"
  weight "geschiedenis JSON ($n events)" "$(bytes zaak.json)" "$(gz zaak.json)"
  weight "/static/zaaklog.css (Cache-Control: max-age=3600)" "$(bytes css)" "$(gz css)"
  weight "/static/zaaklog.js (werkvoorraad page only)" "$(bytes js)" "$(gz js)"
  echo "  the server sends every body uncompressed; gzip -6 is what a compressing proxy in front would send"
  echo
  echo "  processing-log records written during the run: $verwerkingen"
  echo "  whole script: ${elapsed}s (build check, set-up, $((rounds * 8)) wrk runs of ${seconds}s)"
} | tee "$report.tmp"
mv "$report.tmp" "$report"
