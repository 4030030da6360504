#!/usr/bin/env bash
# Fuzzes the segment reader and the event-line decoder with libFuzzer (docs/fuzzing.md).
#
#   bash tools/fuzz.sh [SECONDS [LIBFUZZER-FLAG...]]      SECONDS defaults to 60
#
# e.g. `bash tools/fuzz.sh 300`, or `bash tools/fuzz.sh 600 -max_len=70000` for larger inputs.
# Builds LogFuzz with -sanitize=fuzzer,address into .build-fuzz, then fuzzes for SECONDS starting
# from the committed seeds (Tests/Fuzz/corpus, Tests/Fuzz/regressions) and a git-ignored working
# corpus (.build-fuzz/corpus) that grows from run to run. Exits non-zero when libFuzzer finds a
# crash, leak, timeout or out-of-memory; the reproducer is then copied into Tests/Fuzz/regressions.
set -euo pipefail

seconds="${1:-60}"
case "$seconds" in '' | *[!0-9]*) echo "usage: $0 [SECONDS [LIBFUZZER-FLAG...]]" >&2; exit 2 ;; esac
extra=("${@:2}")

cd "$(dirname "$0")/.."
scratch=.build-fuzz
work="$scratch/corpus"
artifacts="$scratch/artifacts"
dict="$scratch/log.dict"
regressions=Tests/Fuzz/regressions
mkdir -p "$work" "$artifacts" "$regressions"
rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/slow-unit-*

echo "==> building LogFuzz with libFuzzer and AddressSanitizer ($scratch)"
# gold warns about every ASan check symbol it cannot export ("Cannot export local symbol"): noise.
swift build --product LogFuzz --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -O 2>&1 \
    | { grep -v "Cannot export local symbol" || true; }
binary="$scratch/debug/LogFuzz"

# Tokens of the format, so mutations produce envelope members, metadata records and frame magics.
cat >"$dict" <<'EOF'
"{\"positie\":"
",\"id\":\""
"\",\"zaak\":\""
"\",\"vastgelegdOp\":\""
"2026-11-22T09:00:00.000Z"
"2024-02-29T23:59:59.999Z"
"{\"type\":\"segment\",\"format\":1,\"firstPosition\":"
",\"frontier\":[]}"
"{\"type\":\"checkpoint\",\"treeSize\":"
",\"root\":\""
"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
"\",\"recordedAt\":\""
"\\u00e9"
"\\ud83d\\ude00"
"\xc3\xa9"
"\xf0\x9f\x98\x80"
"\x0a\x0a"
"\x0a\x0a#\x0a\x0a"
"#9223372036854775807"
"999999999999999999"
"1e400"
"-0.0E+0"
"[[[[[[[[[[[[[[[["
"{\"a\":{\"a\":{\"a\":{\"a\":"
"\x04\x22\x4d\x18"
"\x5a\x2a\x4d\x18"
"\x7c\x40"
"\x7c\x70"
"\x00\x00\x00\x80"
"\x00\x00\x00\x00"
EOF

echo "==> fuzzing for ${seconds}s (working corpus $work, seeds Tests/Fuzz/corpus and $regressions)"
status=0
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" "$binary" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -use_value_profile=1 \
    -dict="$dict" -artifact_prefix="$artifacts/" -print_final_stats=1 ${extra[@]+"${extra[@]}"} \
    "$work" Tests/Fuzz/corpus "$regressions" || status=$?

found=("$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*)
copied=0
for file in "${found[@]}"; do
    [[ -e "$file" ]] || continue
    cp "$file" "$regressions/"
    echo "==> reproducer saved: $regressions/$(basename "$file")"
    copied=$((copied + 1))
done

if [[ $status -ne 0 || $copied -ne 0 ]]; then
    echo "==> libFuzzer found a problem (exit status $status)." >&2
    if [[ $copied -ne 0 ]]; then
        echo "    Commit the file(s) above in $regressions as regression tests, then fix the bug:" >&2
        echo "    .build/debug/LogFuzz $regressions   (plain 'swift build') replays them and must not crash." >&2
        echo "    Reproduce under the fuzzer with: SWIFT_BACKTRACE=enable=no $binary FILE" >&2
    fi
    exit $((status != 0 ? status : 1))
fi
echo "==> no crash in ${seconds}s"
