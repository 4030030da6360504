#!/usr/bin/env bash
# End-to-end benchmark (issue 5, item 3): one year of Utrecht KCC traffic through zaaklog, and in the
# same run the same events, in the same batches, into a naive SQLite event table and into a
# PostgreSQL mt_events table (Marten's shape) on a throwaway server started from this machine's own
# PostgreSQL binaries. Import (events/s, bytes per event), full projection rebuild (events/s, peak
# RSS), verify, and the latency of `zaak toon` / `zaak werkvoorraad` beside the baselines' equivalent
# queries. benchmarks/README.md explains what is and is not equivalent.
# Usage: bash benchmarks/e2e.sh [--dagen N] [--batch N] [--runs N] [--import N]
#   --dagen  days of traffic (default 365; --dagen 20 for a quick run)
#   --batch  events per durable batch, the same for every system (default 100)
#   --runs   samples per latency figure (default 200; process latencies use a quarter of them)
#   --import give `zaak import` only the first N events (default all): it is the slow step, see README
# The report goes to benchmarks/e2e-latest.txt, replaced only by a run that completes.
set -euo pipefail
cd "$(dirname "$0")/.."
dagen=365 batch=100 runs=200 import_limit=0
while (($#)); do
  case $1 in
    --dagen) dagen=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --import) import_limit=$2; shift 2 ;;
    *) echo "e2e.sh: unknown option $1 (use --dagen N, --batch N, --runs N, --import N)" >&2; exit 2 ;;
  esac
done
started=$(date +%s)
say() { echo "▸ [$(($(date +%s) - started)) s] $*" >&2; }

# --- What the run needs: the project's libraries, sqlite3, and PostgreSQL (server, psql, libpq) ---
bash tools/ensure-deps.sh
pgbin=""
for dir in /usr/lib/postgresql/*/bin /usr/local/bin; do [[ -x $dir/initdb && -x $dir/pg_ctl ]] && { pgbin=$dir; break; }; done
missing=()
[[ -n $pgbin ]] || missing+=(postgresql)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
ldconfig -p | grep -q 'libpq\.so\.5 ' || missing+=(libpq5)
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  for dir in /usr/lib/postgresql/*/bin; do [[ -x $dir/initdb ]] && { pgbin=$dir; break; }; done
fi

work=$PWD/.bench-tmp/e2e-$$
mkdir -p "$work"
fs=$(stat -f -c %T "$work")
[[ $fs == tmpfs || $fs == ramfs ]] && { echo "e2e.sh: $work is on $fs, where fsync does nothing" >&2; exit 2; }

say "building the release binaries (scratch path .build-bench)"
for product in zaak E2EBenchmark; do
  swift build -c release --product "$product" --scratch-path .build-bench 2>&1 | grep -E "error|warning: unre" || true
done
bin=$(swift build -c release --scratch-path .build-bench --show-bin-path)
zaak=$bin/zaak bench=$bin/E2EBenchmark

# --- A throwaway PostgreSQL server: initdb refuses root, so the cluster belongs to `nobody` ---
pgsock=$(mktemp -d /tmp/zaak-e2e-pg.XXXXXX)
pguser=root
if [[ $(id -u) -eq 0 ]]; then pguser=nobody; chown nobody "$pgsock"; fi
as_pg() { if [[ $pguser == nobody ]]; then runuser -u nobody -- "$@"; else "$@"; fi; }
mkdir -p "$work/pg" && [[ $pguser == nobody ]] && chown nobody "$work/pg"
pgport=$((50000 + $$ % 10000))
cleanup() {
  as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work" "$pgsock" benchmarks/e2e-latest.txt.tmp
}
trap cleanup EXIT
say "starting PostgreSQL from $pgbin (as $pguser, socket only, defaults: fsync=on, synchronous_commit=on)"
as_pg "$pgbin/initdb" -D "$work/pg/data" -U "$pguser" --auth=trust -E UTF8 --no-locale >/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
  -o "-k $pgsock -p $pgport -c listen_addresses=''" start >/dev/null
conninfo="host=$pgsock port=$pgport user=$pguser dbname=postgres"
pgversion=$("$pgbin/postgres" --version)

# --- The input: one NDJSON file every system imports byte for byte ----------------------------------
events_file=$work/events.ndjson
produce_events() {  # $1: the NDJSON file to write
  # zaak genereer's Utrecht profile (made by the deciders): the same seed and period give the same
  # bytes, so the report's sha256 identifies the input. A past year: zaak import refuses the future.
  "$zaak" genereer --profiel utrecht --van 2025-01-06 --dagen "$dagen" --seed 1 --ndjson "$1" >/dev/null
}
say "producing the input ($dagen days of Utrecht traffic)"
produce_events "$events_file"
events=$(wc -l <"$events_file")
input_bytes=$(stat -c %s "$events_file")
input_sha=$(sha256sum "$events_file" | cut -c1-16)
say "input: $events events, $input_bytes bytes"

# Runs one command under GNU time: wall seconds and peak RSS (kB) go to $work/time, its output to
# $work/out. A failing command ends the run (set -e) after showing its output.
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; return 1; }
}

# --- 1. Import, in batches of $batch, each batch durable before the next ---------------------------
import_file=$events_file import_events=$events
if ((import_limit > 0 && import_limit < events)); then
  import_file=$work/import.ndjson import_events=$import_limit
  head -n "$import_limit" "$events_file" >"$import_file"
fi
say "1. zaak import of $import_events events (domain checks, durable batches of $batch, projections caught up)"
measure "$zaak" import "$import_file" --data "$work/ours" --batch "$batch"
read -r import_s import_kb <"$work/time"
tail -n 1 "$work/out" | grep -q "t/m positie $import_events " || { tail -n 3 "$work/out" >&2; exit 1; }
rm -rf "$work/ours"
# The log every later step reads: the same lines appended by EventLog.append in the same batches,
# then sealed, under a data directory (<data>/log) the `zaak` commands open.
say "1. EventLog.append of the same lines"
"$bench" import-raw "$events_file" "$work/data/log" "$batch" >"$work/raw.json"
data=$work/data
"$zaak" log status --data "$data" --json >"$work/status.json"
ours_index_bytes=$(($(stat -c %s "$data/log/index.sqlite") + $(stat -c %s "$data/log/index.sqlite-wal" 2>/dev/null || echo 0)))
say "1. naive SQLite"
"$bench" import-sqlite "$events_file" "$work/naive.sqlite" "$batch" >"$work/sqlite-import.json"
say "1. PostgreSQL mt_events"
"$bench" import-pg "$events_file" "$conninfo" "$batch" >"$work/pg-import.json"

# --- 2. Full projection rebuild ----------------------------------------------------------------------
say "2. rebuilds"
measure "$zaak" projecties herbouw --data "$data"
read -r rebuild_s rebuild_kb <"$work/time"
grep -q "^Herbouwd: $events gebeurtenissen toegepast, 0 overgeslagen" "$work/out" || { cat "$work/out" >&2; exit 1; }
measure "$bench" rebuild-sqlite "$work/naive.sqlite"
read -r _ sqlite_rebuild_kb <"$work/time"
cp "$work/out" "$work/sqlite-rebuild.json"
measure "$bench" rebuild-pg "$conninfo"
read -r _ pg_rebuild_kb <"$work/time"
cp "$work/out" "$work/pg-rebuild.json"

# --- 3. Verify -----------------------------------------------------------------------------------------
say "3. verify"
measure "$zaak" log verifieer --data "$data"
read -r verify_s verify_kb <"$work/time"
"$bench" integrity-sqlite "$work/naive.sqlite" "$events" >"$work/sqlite-integrity.json"

# --- 4. Latency ------------------------------------------------------------------------------------------
# A zaak with a history (the 90th percentile of events per zaak) and the afdeling with the longest queue.
read -r stream stream_events < <(python3 - "$events_file" <<'PY'
import json, sys, collections
counts = collections.Counter(json.loads(line)["zaak"] for line in open(sys.argv[1]))
ranked = sorted(counts.items(), key=lambda item: (item[1], item[0]))
print(*ranked[int(len(ranked) * 0.9)])
PY
)
afdeling=$(sqlite3 "$data/projecties.sqlite" \
  "SELECT afdeling FROM doorverwijzingen GROUP BY afdeling ORDER BY sum(status = 'te_verwerken') DESC, count(*) DESC, afdeling LIMIT 1")
say "4. latency: zaak $stream ($stream_events events), afdeling $afdeling"
"$bench" latency-ours "$data" "$stream" "$afdeling" "$runs" >"$work/ours-latency.json"
"$bench" latency-sqlite "$work/naive.sqlite" "$stream" "$afdeling" "$runs" >"$work/sqlite-latency.json"
"$bench" latency-pg "$conninfo" "$stream" "$afdeling" "$runs" >"$work/pg-latency.json"
queue_sql="SELECT d.zaak, d.id, d.afdeling, d.soort, d.terugbelverzoek, d.gevraagde_handeling, d.aangemaakt_op, d.uiterlijk_op, z.onderwerp, z.omschrijving, z.inwoner FROM doorverwijzingen d JOIN zaken z ON z.nummer = d.zaak WHERE d.afdeling = '$afdeling' AND d.status = 'te_verwerken' ORDER BY d.uiterlijk_op, d.aangemaakt_op, d.zaak, d.id"
stream_sql="SELECT data FROM events WHERE stream_id = '$stream' ORDER BY version"
pg_stream_sql="SELECT data FROM mt_events WHERE stream_id = '$stream' ORDER BY version"
psql_cmd=(psql -X -A -t -q -h "$pgsock" -p "$pgport" -U "$pguser" -d postgres -c)
python3 - "$((runs / 4))" >"$work/process-latency.json" <<PY
import json, subprocess, sys, time
runs = int(sys.argv[1])
def timing(command):
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)  # warm-up; also fails loudly
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append((time.perf_counter_ns() - start) / 1e6)
    samples.sort()
    return {"median": samples[(len(samples) - 1) // 2], "p99": samples[min(len(samples) - 1, -(-len(samples) * 99 // 100) - 1)]}
psql = $(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "${psql_cmd[@]}")
print(json.dumps({
    "true": timing(["/bin/true"]),
    "toon": timing(["$zaak", "toon", "$stream", "--data", "$data"]),
    "werkvoorraad": timing(["$zaak", "werkvoorraad", "--afdeling", "$afdeling", "--data", "$data"]),
    "sqlite3Stream": timing(["sqlite3", "$work/naive.sqlite", """$stream_sql"""]),
    "sqlite3Queue": timing(["sqlite3", "$work/naive.sqlite", """$queue_sql"""]),
    "psqlStream": timing(psql + ["""$pg_stream_sql"""]),
    "psqlQueue": timing(psql + ["""$queue_sql"""]),
}))
PY

# --- The report --------------------------------------------------------------------------------------------
say "report"
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- Sources Package.swift benchmarks/E2EBenchmark || commit="$commit + uncommitted changes"
python3 - "$work" <<PY | tee benchmarks/e2e-latest.txt.tmp
import json, sys
w = sys.argv[1]
load = lambda name: json.load(open(f"{w}/{name}.json"))
events, batch = $events, $batch
status, raw = load("status"), load("raw")
sq, pg = load("sqlite-import"), load("pg-import")
sqr, pgr = load("sqlite-rebuild"), load("pg-rebuild")
sqi = load("sqlite-integrity")
lo, ls, lp, proc = load("ours-latency"), load("sqlite-latency"), load("pg-latency"), load("process-latency")
rate = lambda s: events / s
x = lambda a, b: f"{a / b:.2f}×"
sealed = status["bytes"]
print(f"zaaklog end-to-end benchmark (benchmarks/e2e.sh --dagen $dagen --batch $batch --runs $runs), $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $commit")
print(f"  machine   nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(uname -sr); {'$fs'}; load at end $(cut -d' ' -f1-3 /proc/loadavg)")
print(f"  baselines SQLite $(sqlite3 --version | cut -d' ' -f1) (WAL, synchronous=FULL); $pgversion ({pg['settings']}, otherwise initdb defaults)")
print(f"  input     {events:,} events ($dagen days of Utrecht traffic), {$input_bytes / events:.0f} B per NDJSON line, sha256 $input_sha…; the same file for every system")
print(f"  run       $(($(date +%s) - started)) s in all")
print()
print(f"1. Import: batches of {batch} events, one transaction + fsync per batch, the same batches everywhere")
ours_rate, raw_rate = $import_events / $import_s, rate(raw["seconds"])
sq_rate, pg_rate = rate(sq["seconds"]), rate(pg["seconds"])
ours_bytes = sealed + $ours_index_bytes
limited = f" (first {$import_events:,})" if $import_events < events else ""
print(f"  {'system':44} {'events/s':>10}  {'bytes/event':>11}")
for name, r, b in [
    ("zaaklog: zaak import" + limited, ours_rate, None),
    ("zaaklog: EventLog.append, then sealed", raw_rate, ours_bytes),
    ("naive SQLite events table", sq_rate, sq["bytes"]),
    ("PostgreSQL mt_events (jsonb)", pg_rate, pg["bytes"]),
]:
    print(f"  {name:44} {r:>10,.0f}  {'' if b is None else f'{b / events:11.1f}':>11}")
print(f"  ratios (ours ÷ baseline)      vs naive SQLite   vs PostgreSQL")
print(f"    zaak import events/s        {x(ours_rate, sq_rate):>14}   {x(ours_rate, pg_rate):>11}")
print(f"    EventLog.append events/s    {x(raw_rate, sq_rate):>14}   {x(raw_rate, pg_rate):>11}")
print(f"    bytes per event             {x(ours_bytes, sq['bytes']):>14}   {x(ours_bytes, pg['bytes']):>11}")
print(f"  zaaklog bytes: sealed log {sealed / events:.1f} B/event ({sealed / status['jsonBytes']:.0%} of the JSON lines) + the log's derived")
print(f"    index.sqlite {$ours_index_bytes / events:.1f} (the baselines' id and stream indexes are counted too); read models not counted.")
print(f"    Sealing (roll + LZ4 HC recompression) took {raw['sealSeconds']:.1f} s, {events / raw['sealSeconds']:,.0f} events/s.")
print(f"  SQLite: file after wal_checkpoint(TRUNCATE) ({sq['bytesBeforeCheckpoint'] / events:.0f} B/event before). PostgreSQL: pg_total_relation_size")
print(f"    (heap+TOAST {pg['heapBytes'] / events:.0f} + indexes {pg['indexBytes'] / events:.0f} B/event; WAL not counted).")
print(f"  zaak import: peak RSS {$import_kb / 1024:.0f} MB; {raw_rate / ours_rate:.1f}× the time of EventLog.append for the same events.")
print(f"  CPU µs/event: EventLog.append {raw['cpu'] * 1e6 / events:.1f}, SQLite {sq['cpu'] * 1e6 / events:.1f}, PostgreSQL client {pg['cpu'] * 1e6 / events:.1f}")
print()
print("2. Full projection rebuild (every event read, decoded, folded per zaak with the domain's evolve, read models written)")
print(f"  {'system':44} {'events/s':>10} {'ours ÷ it':>10}  {'peak RSS':>9}")
ours_rb = rate($rebuild_s)
for name, r, kb in [("zaaklog: zaak projecties herbouw (4 tables)", ours_rb, $rebuild_kb),
                    ("naive SQLite → zaken + doorverwijzingen", rate(sqr["seconds"]), $sqlite_rebuild_kb),
                    ("PostgreSQL → zaken + doorverwijzingen", rate(pgr["seconds"]), $pg_rebuild_kb)]:
    print(f"  {name:44} {r:>10,.0f} {x(ours_rb, r):>10}  {kb / 1024:>6.0f} MB")
print("  (baseline RSS is the client process; PostgreSQL's server memory is not included)")
print()
print("3. Verify")
ours_v = rate($verify_s)
print(f"  zaaklog: zaak log verifieer (every line, hashes, Merkle root)   {ours_v:>10,.0f} events/s, peak RSS {$verify_kb / 1024:.0f} MB")
print(f"  SQLite PRAGMA integrity_check (B-trees only, no proof of history) {rate(sqi['seconds']):>10,.0f} events/s  ({x(ours_v, rate(sqi['seconds']))})")
print("  PostgreSQL: no equivalent (no hash chain over the rows)")
print()
print(f"4. Latency, ms: zaak {'$stream'} ({$stream_events} events), afdeling {'$afdeling'} ({lo['queueRows']} open doorverwijzingen)")
print(f"  in-process, median / p99 of {$runs}            {'zaaklog':>15} {'naive SQLite':>15} {'PostgreSQL':>15}  ours ÷ SQLite, ÷ PG (medians)")
for label, key in [("one zaak: read its events, decode, fold", "fold"), ("afdeling queue from the read models", "queue")]:
    cells = [f"{d[key + 'Median']:.3f} / {d[key + 'P99']:.3f}" for d in (lo, ls, lp)]
    print(f"  {label:44} {cells[0]:>15} {cells[1]:>15} {cells[2]:>15}  {x(lo[key + 'Median'], ls[key + 'Median'])}, {x(lo[key + 'Median'], lp[key + 'Median'])}")
print(f"  as a process, median / p99 of {$runs // 4} (start to exit)")
cell = lambda k: f"{proc[k]['median']:.1f} / {proc[k]['p99']:.1f}"
print(f"  {'/bin/true (process start)':44} {cell('true'):>15}")
print(f"  {'one zaak: zaak toon | sqlite3 | psql':44} {cell('toon'):>15} {cell('sqlite3Stream'):>15} {cell('psqlStream'):>15}  {x(proc['toon']['median'], proc['sqlite3Stream']['median'])}, {x(proc['toon']['median'], proc['psqlStream']['median'])}")
print(f"  {'afdeling queue: zaak werkvoorraad | CLIs':44} {cell('werkvoorraad'):>15} {cell('sqlite3Queue'):>15} {cell('psqlQueue'):>15}  {x(proc['werkvoorraad']['median'], proc['sqlite3Queue']['median'])}, {x(proc['werkvoorraad']['median'], proc['psqlQueue']['median'])}")
print("  zaak toon reads the zaak's row from the read models and prints its timeline and verdict; sqlite3/psql only")
print("  print the stream's raw events (no fold). zaak werkvoorraad and the CLIs run the same queue query; zaak also prints it.")
PY
mv benchmarks/e2e-latest.txt.tmp benchmarks/e2e-latest.txt
say "done"
