#!/usr/bin/env bash
# The main job: builds zaak (release) and runs the demo on a month of a mid-size municipality's KCC
# traffic: append, idempotent retry, read back, one zaak's timeline, seal, status, verify; then
# an agent's day with the real commands: a WhatsApp message, the same question on Facebook, a
# handoff, a closure the rules refuse, the afdeling's terugkoppeling, informing the inwoner, closing.
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
echo "▸ Een dag aan de KCC-balie, met de echte opdrachten (zaak --help):"
export ZAAK_MEDEWERKER=kcc-112
run() {  # shows the command as typed (quoted where needed), then runs it on the demo's data
  local shown="" arg
  for arg in "$@"; do [[ $arg == *" "* ]] && shown+=" \"$arg\"" || shown+=" $arg"; done
  echo "\$ zaak$shown"
  "$zaak" "$@" --data "$data"
}
first=$(run bericht --kanaal whatsapp --inwoner inw-demo-1 --onderwerp afval.container-niet-geleegd \
  --inhoud "Mijn groene container is dinsdag niet geleegd")
echo "$first"
nr=$(grep -o 'Z-[0-9]\{4\}-[0-9]\{6\}' <<<"$first" | head -1)
run bericht --kanaal sociale-media --inwoner inw-demo-1 --onderwerp afval.container-niet-geleegd \
  --inhoud "Heeft iemand mijn WhatsApp al gelezen? Container is nog steeds vol"
run doorverwijs "$nr" --soort warm --toelichting "Container staat sinds dinsdag vol; inwoner heeft twee keer contact gezocht"
set +e
run sluit "$nr" --resultaat opgelost
echo "  (exitcode $? — de afsluitregels weigeren: de terugkoppeling ontbreekt nog)"
set -e
run terugkoppeling "$nr" --doorverwijzing D1 --uitkomst opgelost --toelichting "Container vandaag alsnog geleegd"
run informeer "$nr" --kanaal whatsapp --toelichting "Laten weten dat de container is geleegd"
run sluit "$nr" --resultaat opgelost
run toon "$nr"
echo
echo "▸ Even later stuurt de inwoner weer een WhatsApp: niet echt opgelost, de controle heropent de zaak:"
run bericht --kanaal whatsapp --inwoner inw-demo-1 --onderwerp afval.container-niet-geleegd \
  --inhoud "De container is weer niet geleegd"
run toon "$nr" | sed -n '/^Echt opgelost/,$p'
run controle | sed -n 1,5p
echo "  … (zaak controle toont alles; de demo toont het begin)"
echo
echo "▸ De backoffice en de auditor (alles uit de leesmodellen, opgebouwd uit het log):"
run werkvoorraad --afdeling Stadsbeheer | sed -n 1,8p
run kpi --van 2026-11-01 --tot 2026-11-30 --per kanaal
run geschiedenis "$nr" | tail -6
run projecties vingerafdruk
echo
echo "Zelf verder kijken: $zaak toon --data $data $nr   |   $zaak zoek --data $data --inwoner inw-demo-1   |   $zaak audit replay --help"
