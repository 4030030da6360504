#!/usr/bin/env bash
# The main job: builds zaak (release) and runs the demo on a month of a mid-size municipality's KCC
# traffic: append, idempotent retry, read back, one zaak's timeline, seal, status, verify.
# Usage: bash tools/demo.sh [extra `zaak demo` options, e.g. --zaken 3000]
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure-deps.sh

echo "▸ Bouwen (release)…"
swift build -c release --product zaak 2>&1 | grep -E "error|warning: unre|Compiling zaak|Build complete" || true
zaak="$(swift build -c release --show-bin-path)/zaak"
[ -x "$zaak" ] || { echo "bouwen mislukt" >&2; exit 1; }

# The demo's own data directory, fresh each run (the script owns it; your data is elsewhere).
data=".demo-data"
rm -rf "$data"
"$zaak" demo --data "$data" "$@"
echo
"$zaak" log status --data "$data"
"$zaak" log verifieer --data "$data"
echo
echo "Zelf verder kijken: $zaak log toon --data $data --zaak Z-2026-000042"
