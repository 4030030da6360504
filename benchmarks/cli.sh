#!/usr/bin/env bash
# CLI-level figures of BRIEF §6, each beside a baseline from the same run:
#  - one `zaak log toevoegen` of one event, process start to exit, median of 40, on a log of N events,
#    beside `zaak --help` (process start alone) and /bin/true;
#  - recovery (`zaak log herstel` cutting a torn tail) on a small and on a large log: the ratio shows
#    whether recovery time depends on the log's size;
#  - the agent's commands on four weeks of Utrecht's traffic (`zaak genereer`, sealed): a WhatsApp message that
#    opens a zaak (register catch-up, numbering, conditional append), one on an existing zaak, and
#    `zaak toon`, beside the same `zaak --help`, and what each does to the files (strace: the writers'
#    lock, opens of the active segment, SQLite write transactions, syncs, threads).
# Usage: bash benchmarks/cli.sh [EVENTS] [DAGEN]   (defaults 1000000 and 28 days, ~50,000 zaken)
# The report goes to benchmarks/cli-latest.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-1000000}"
dagen="${2:-28}"
bash tools/ensure-deps.sh
command -v strace >/dev/null || { apt-get install -y -qq strace >/dev/null 2>&1 || sudo apt-get install -y -qq strace >/dev/null; }
swift build -c release --product zaak --scratch-path .build-bench 2>&1 | grep -E "error|Compiling zaak" || true
zaak="$(swift build -c release --scratch-path .build-bench --show-bin-path)/zaak"
work=.bench-tmp/cli-$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
fs=$(stat -f -c %T "$work")
[[ $fs == tmpfs || $fs == ramfs ]] && { echo "cli.sh: $work is on $fs, where fsync does nothing" >&2; exit 2; }

# NDJSON of realistic size (~330 bytes per logged line), unique ids.
ndjson() {  # first count prefix
  python3 - "$@" <<'PY'
import json, sys
first, count, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
out = sys.stdout
for i in range(first, first + count):
    out.write(json.dumps({"id": f"{prefix}-{i}", "zaak": f"Z-2026-{i % 200000:06d}", "type": "BerichtOntvangen", "versie": i % 9 + 1,
        "plaatsgevondenOp": "2026-11-03T09:12:44.120Z", "actor": {"soort": "systeem", "id": "whatsapp"},
        "data": {"kanaal": "whatsapp", "richting": "inkomend", "inhoudLengte": i % 700, "onderwerp": "afval.container-niet-geleegd"}},
        separators=(",", ":")) + "\n")
PY
}

median_ms() {  # runs "$@" 40 times (20 for slow ones), prints the median wall time in ms
  local runs="$1"; shift
  for _ in $(seq 1 "$runs"); do
    local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000 ))
  done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

echo "building a log of $events events…" >&2
ndjson 1 "$events" big | "$zaak" log toevoegen --data "$work/big" --batch 1000 >/dev/null
"$zaak" log verzegel --data "$work/big" >/dev/null
ndjson 1 10000 small | "$zaak" log toevoegen --data "$work/small" --batch 1000 >/dev/null

echo "building $dagen days of Utrecht's traffic…" >&2
"$zaak" genereer --profiel utrecht --van 2026-10-05 --dagen "$dagen" --seed 1 --data "$work/agent" >/dev/null
"$zaak" log verzegel --data "$work/agent" >/dev/null
export ZAAK_MEDEWERKER=kcc-bench
# The first command brings the zakenregister up to date with the whole log; agents pay that once.
"$zaak" bericht --data "$work/agent" --kanaal whatsapp --inwoner inw-warm --onderwerp afval.container-niet-geleegd --inhoud x >/dev/null
agent_events=$("$zaak" log status --data "$work/agent" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["laatstePositie"])')
new_zaak() {
  "$zaak" bericht --data "$work/agent" --kanaal whatsapp --inwoner "inw-b$RANDOM$RANDOM" \
    --onderwerp afval.container-niet-geleegd --inhoud "Container niet geleegd"
}
# A different zaak each run, so no zaak grows beyond what a real one has.
zaak_counter=100
on_zaak() {
  zaak_counter=$((zaak_counter + 1))
  "$zaak" informeer "2026-$zaak_counter" --data "$work/agent" --kanaal email --toelichting "Stand van zaken gegeven"
}
show_zaak() { zaak_counter=$((zaak_counter + 1)); "$zaak" toon "2026-$zaak_counter" --data "$work/agent"; }

counter=0
append_one() {
  counter=$((counter + 1))
  printf '{"id":"one-%s-%s","zaak":"Z-2026-000001","type":"GesprekGevoerd","data":{"kanaal":"telefoon"}}\n' "$$" "$RANDOM$RANDOM" \
    | "$zaak" log toevoegen --data "$work/big"
}
torn_recover() {  # half a frame at the end of the active segment, as a kill -9 mid-write leaves it
  local dir="$1" active
  active=$(ls "$dir"/log/seg-*.open.lz4 | tail -n 1)
  printf '\x04\x22\x4d\x18\x7c\x70\x10\x00' >> "$active"
  "$zaak" log herstel --data "$dir"
}

true_ms=$(median_ms 40 /bin/true)
help_ms=$(median_ms 40 "$zaak" --help)
append_ms=$(median_ms 40 append_one)
small_ms=$(median_ms 20 torn_recover "$work/small")
big_ms=$(median_ms 20 torn_recover "$work/big")
new_ms=$(median_ms 40 new_zaak)
on_ms=$(median_ms 40 on_zaak)
show_ms=$(median_ms 40 show_zaak)
"$zaak" log verifieer --data "$work/agent" >/dev/null
"$zaak" log verifieer --data "$work/big" >/dev/null

# What one command does to the files, from its system calls: how often it takes an exclusive
# flock (the log writers' LOCK, projecties.lock), opens the active segment, takes either SQLite
# file's WAL write lock (a write transaction, a checkpoint, or the recovery of an open), syncs,
# and starts a thread.
syscalls() {  # label, command…
  local label="$1"; shift
  strace -f -qq -e trace=openat,close,flock,fsync,fdatasync,fcntl,clone,clone3 -o "$work/trace" "$@" >/dev/null 2>&1 || true
  python3 - "$work/trace" "$label" <<'PY'
import re, sys
fds, counts = {}, dict(lock=0, segment=0, index_tx=0, projecties_tx=0, sync=0, threads=0)
for line in open(sys.argv[1]):
    call = line.split(None, 1)[1] if line[:1].isdigit() else line
    if m := re.match(r'openat\(\w+, "([^"]+)".*= (\d+)', call):
        fds[m.group(2)] = m.group(1)
        counts["segment"] += m.group(1).endswith(".open.lz4")
    elif m := re.match(r'close\((\d+)\)', call):
        fds.pop(m.group(1), None)
    elif m := re.match(r'flock\((\d+), LOCK_EX', call):
        counts["lock"] += 1
    elif m := re.match(r'fcntl\((\d+), F_SETLK, \{l_type=F_WRLCK, l_whence=SEEK_SET, l_start=120, l_len=1', call):
        path = fds.get(m.group(1), "")
        counts["index_tx"] += path.endswith("index.sqlite-shm")
        counts["projecties_tx"] += path.endswith("projecties.sqlite-shm")
    elif re.match(r'f(data)?sync\(', call):
        counts["sync"] += 1
    elif re.match(r'clone3?\(', call):
        counts["threads"] += 1
print(f"  {sys.argv[2]:<32} flock {counts['lock']}, active segment opened {counts['segment']}, "
      f"WAL write lock index {counts['index_tx']} / projecties {counts['projecties_tx']}, syncs {counts['sync']}, threads {counts['threads']}")
PY
}
trace_report=$( {
  syscalls "zaak bericht (new zaak)" "$zaak" bericht --data "$work/agent" --kanaal whatsapp --inwoner inw-trace \
    --onderwerp afval.container-niet-geleegd --inhoud "Container niet geleegd"
  syscalls "zaak informeer (existing zaak)" "$zaak" informeer 2026-99 --data "$work/agent" --kanaal email --toelichting "Stand van zaken"
  syscalls "zaak toon (read only)" "$zaak" toon 2026-98 --data "$work/agent"
} )

{
  echo "zaaklog CLI figures (benchmarks/cli.sh), $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD)"
  echo "  machine   nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(uname -sr); $fs; load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "  log       $events events (sealed) + appends; medians of 40 runs (20 for recovery), wall time from process start to exit"
  echo
  printf '  %-52s %8s ms\n' "/bin/true (process start of any program)" "$true_ms"
  printf '  %-52s %8s ms\n' "zaak --help (zaak's own start-up)" "$help_ms"
  printf '  %-52s %8s ms   target ≤ 20 ms; %s× zaak --help\n' "zaak log toevoegen, one event, durable" "$append_ms" \
    "$(awk -v a="$append_ms" -v b="$help_ms" 'BEGIN {printf "%.2f", a / b}')"
  printf '  %-52s %8s ms\n' "recovery of a torn tail, log of 10,000 events" "$small_ms"
  printf '  %-52s %8s ms   target < 1 s; %s× the small log\n' "recovery of a torn tail, log of $events events" "$big_ms" \
    "$(awk -v a="$big_ms" -v b="$small_ms" 'BEGIN {printf "%.2f", a / b}')"
  echo
  echo "  agent commands on $agent_events domain events ($dagen days of utrecht), durable, medians of 40:"
  for row in "zaak bericht, opens a new zaak:$new_ms" "zaak informeer, on an existing zaak:$on_ms" "zaak toon (read only):$show_ms"; do
    printf '  %-52s %8s ms   target ≤ 20 ms; %s× zaak --help\n' "${row%%:*}" "${row##*:}" \
      "$(awk -v a="${row##*:}" -v b="$help_ms" 'BEGIN {printf "%.2f", a / b}')"
  done
  echo
  echo "  per command, from strace (one run each):"
  echo "$trace_report"
} | tee benchmarks/cli-latest.txt
