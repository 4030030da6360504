#!/usr/bin/env bash
# Property-based tests of the running `zaak serve` against schemas/openapi.yaml: schemathesis
# generates requests from the spec (fixed seed and example count, so the run is repeatable and
# short) and fails on any server error or any answer the spec does not describe (status, content
# type, headers, body schema). The SSE feed never ends, so it is left to the Swift tests.
# Usage: tools/schemathesis.sh [path to the zaak binary]
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/serve-url.sh
zaak="${1:-$(swift build --show-bin-path)/zaak}"
data="$(mktemp -d)"
out="$data/serve.out"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

token=$("$zaak" token maak --data "$data" --rol beheer --omschrijving schemathesis --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
"$zaak" serve --data "$data" --poort 0 >"$out" 2>&1 &
pid=$!
url=$(serve_url "$out" "$pid")

# One zaak, so the routes on a zaak get past 404 with the spec's example number.
curl -sf -o /dev/null -X POST "$url/berichten" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"inwoner":"inw-4821","onderwerp":"afval.container-niet-geleegd","kanaal":"whatsapp","inhoud":"Niet geleegd"}'

schemathesis run schemas/openapi.yaml --url "$url" -H "Authorization: Bearer $token" \
  --exclude-path /gebeurtenissen \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing --max-examples 25 --seed 7 --request-timeout 10 \
  --suppress-health-check all --warnings off --no-color
