#!/usr/bin/env bash
# The whole test suite: unit, storage, crash and CLI tests (XCTest), plus the fuzz corpus and
# regression inputs replayed through the segment reader and line decoder, and schemathesis against
# the running HTTP API. Fails when a test fails or when no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure-deps.sh

swift build --build-tests 2>&1 | grep -E "error|warning: unre|Build complete" || true
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
executed=0
failures=0
status=0
# One run of the XCTest suite (extra arguments go to swift test); adds its counts, and fails when it ran no test.
xctest() {
  local summary ran failed run_status
  set +e
  swift test --skip-build --disable-swift-testing "$@" 2>&1 | tee "$log" | grep -E "error|failed|Executed|^(kill|group commit)"
  run_status=${PIPESTATUS[0]}
  set -e
  summary=$(grep -E "^\s*Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -n 1 || true)
  ran=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
  failed=$(sed -E 's/.*with ([0-9]+) failures?.*/\1/' <<<"$summary")
  if [ -z "$summary" ] || [ "${ran:-0}" -eq 0 ]; then
    echo "fout: er is geen enkele test uitgevoerd" >&2
    exit 1
  fi
  executed=$((executed + ran))
  failures=$((failures + failed))
  [ "$run_status" -eq 0 ] || status=$run_status
}

xctest
# The same suite again with the program's clock set far ahead (docs/clock.md): a test that reads
# today's date instead of setting the clock gives another verdict then, and fails here.
# Left out: the byte-level decoder and verifier tests and the storage-level concurrency tests, which
# read no clock, and the full-disk test, which sets the program's clock for every command it runs;
# they give the same verdict under any ZAAK_NU, and are a fifth of the suite's time.
echo "De tests opnieuw met ZAAK_NU=2031-07-15T10:30:00+02:00 (geen test mag van de echte datum afhangen):"
ZAAK_NU=2031-07-15T10:30:00+02:00 xctest --skip 'LogregelTests|VerifierAgreementTests|ConcurrencyCLITests|FullDiskCLITests\.'

# Every input that ever crashed the fuzzer, and the seed corpus, must be read without a crash.
fuzz_bin="$(swift build --show-bin-path)/LogFuzz"
replay_failed=0
dirs=()
for d in Tests/Fuzz/corpus Tests/Fuzz/regressions; do [ -d "$d" ] && dirs+=("$d"); done
if ((${#dirs[@]})); then
  "$fuzz_bin" "${dirs[@]}" || { replay_failed=1; status=1; }
fi

# Process mining (docs/process-mining.md): ten generated days of Utrecht traffic exported as OCEL 2.0
# in both forms and read by pm4py, against the log, `zaak kpi` and `zaak knelpunten`.
ocel_failed=0
if ! python3 -c "import pm4py" 2>/dev/null; then
  echo "zaaklog: installing pm4py (pip)" >&2
  python3 -m pip install -q pm4py >/dev/null
fi
ocel_dir="$(mktemp -d)"
zaak_bin="$(swift build --show-bin-path)/zaak"
if ! (export ZAAK_NU=2027-01-15T10:00:00+01:00 ZAAK_SLEUTELMAP="$ocel_dir/sleutels"
      "$zaak_bin" audit sleutel --data "$ocel_dir/data" >/dev/null \
        && "$zaak_bin" genereer --profiel utrecht --van 2026-11-01 --dagen 10 --data "$ocel_dir/data" >/dev/null \
        && "$zaak_bin" log checkpoint --data "$ocel_dir/data" >/dev/null \
        && python3 tools/ocel-pm4py-check.py "$zaak_bin" "$ocel_dir/data" 2026-11-01 2026-11-10 "$ocel_dir/export") >"$log" 2>&1; then
  ocel_failed=1
  status=1
fi
grep -E "^\[|ONJUIST|fout" "$log" | sed 's/^/ocel: /' || true
rm -rf "$ocel_dir"

# The backoffice pages in headless Chromium (tools/web-check.py): sign-in, queue, zaak, terugkoppeling,
# live updates, refusals, roles, axe-core accessibility and the screenshots in docs/screenshots/.
web_failed=0
web_dir="$(mktemp -d)"
python3 tools/web-check.py "$zaak_bin" "$web_dir" >"$log" 2>&1 || { web_failed=1; status=1; }
sed -n '/^\[ok\]/p; /^\[let op\]/p; /^ONJUIST/,$p' "$log" | sed 's/^/web: /' || true
rm -rf "$web_dir"

# The running server against its OpenAPI spec: any server error or undocumented answer fails.
schemathesis_failed=0
bash tools/schemathesis.sh "$(swift build --show-bin-path)/zaak" >"$log" 2>&1 || { schemathesis_failed=1; status=1; cat "$log"; }
grep -E "generated, .* passed|No issues found|failures" "$log" | sed 's/^/schemathesis: /' || true

echo "tests: $((executed - failures)) passed, $((failures + replay_failed + ocel_failed + web_failed + schemathesis_failed)) failed"
exit "$status"
