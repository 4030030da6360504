#!/usr/bin/env bash
# The main job: builds zaak (release), generates the last four weeks of a municipality's KCC traffic
# with `zaak genereer` (every event made by the domain's deciders), then shows with the real commands
# an afdeling's queue, one reopened zaak's timeline, the closure check, the KPI table, the log's status
# and a full verification; then an agent's day: a WhatsApp message, the same question on Facebook, a
# handoff, a closure the rules refuse, the afdeling's terugkoppeling, informing the inwoner, closing;
# and, at the inwoner's request, erasing their data with the proofs and KPIs intact. On the way, the
# afdeling's werkvoorraad as the backoffice's page, signed in as a medewerker.
# Usage: bash tools/demo.sh [PROFIEL]   (assen, the default, takes well under a minute; utrecht a few)
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/serve-url.sh
profiel="${1:-assen}"
bash tools/ensure-deps.sh

echo "▸ Bouwen (release)…"
swift build -c release --product zaak 2>&1 | grep -E "error|warning: unre|Compiling zaak|Build complete" || true
zaak="$(swift build -c release --show-bin-path)/zaak"
[ -x "$zaak" ] || { echo "bouwen mislukt" >&2; exit 1; }

# The demo's own data directory, fresh each run (the script owns it; your data is elsewhere).
data=".demo-data"
rm -rf "$data"
export ZAAK_MEDEWERKER=kcc-112
run() {  # shows the command as typed (quoted where needed), then runs it on the demo's data
  local shown="" arg
  for arg in "$@"; do [[ $arg == *" "* ]] && shown+=" \"$arg\"" || shown+=" $arg"; done
  echo "\$ zaak$shown"
  "$zaak" "$@" --data "$data"
}
# The last four whole weeks (Monday to Sunday), so the queues below are today's. Today is the
# program's clock: ZAAK_NU when set (docs/clock.md), else the real date, in Dutch time.
today=$(TZ=Europe/Amsterdam date -d "${ZAAK_NU:-now}" +%F)
weekday=$(date -d "$today" +%u)
van=$(date -d "$today -$((weekday - 1 + 28)) days" +%F)
tot=$(date -d "$today -$weekday days" +%F)

# The installation's key signs every checkpoint; the auditor receives the public key once and keeps
# it away from the installation (here beside the data, in real life in the auditor's own files).
run audit sleutel
mkdir -p "$data/auditor"
cp "$data/sleutels/checkpoint-ed25519.pub" "$data/auditor/"
run genereer --profiel "$profiel" --van "$van" --dagen 28
echo
echo "▸ De backoffice: de werkvoorraad van Stadsbeheer (open doorverwijzingen, de oudste eerst):"
run werkvoorraad --afdeling Stadsbeheer | sed -n 1,8p
echo "  …"
echo
echo "▸ De afsluitcontrole: zaken die als opgelost gesloten waren en toch terugkwamen:"
run controle | sed -n 1,7p
echo "  … (zaak controle toont alles; de demo toont het begin)"
# A zaak the resident came back on (rule 4): its timeline shows the handoff, the closing and the reopening.
reopened=$("$zaak" controle --data "$data" | grep -B1 "regel 4" | grep -o 'Z-[0-9]\{4\}-[0-9]\{6\}' | sed -n 1p)
echo
echo "▸ De tijdlijn van één van die zaken:"
run geschiedenis "$reopened"
run toon "$reopened" | sed -n '/^Echt opgelost/,$p'
echo
echo "▸ De kerncijfers van de vier weken (telefoon: vergelijk met \`zaak genereer --profielen\`):"
run kpi --van "$van" --tot "$tot" --per kanaal
echo
echo "▸ Het log: verzegelen, status en een volledige verificatie met de sleutel van de auditor:"
run log verzegel
run log status
run log verifieer --sleutel "$data/auditor/checkpoint-ed25519.pub"
echo
echo "▸ De backoffice in de browser (docs/web.md): een account voor Stadsbeheer, zaak serve, en de werkvoorraad als pagina:"
printf '%s\n' "demo-wachtwoord-stadsbeheer" | run gebruiker maak --naam sb-demo --rol afdeling:Stadsbeheer --wachtwoord-stdin
"$zaak" serve --data "$data" --poort 0 >"$data/serve.out" 2>/dev/null &
serve_pid=$!
base=$(serve_url "$data/serve.out" "$serve_pid")
jar="$data/koekjes"
csrf=$(curl -s -c "$jar" "$base/aanmelden" | grep -o 'name="_csrf" value="[0-9a-f]*"' | sed 's/.*value="//;s/"//')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode naam=sb-demo --data-urlencode wachtwoord=demo-wachtwoord-stadsbeheer \
  --data-urlencode "_csrf=$csrf" "$base/aanmelden"
page=$(curl -s -b "$jar" "$base/werkvoorraad")
echo "  GET $base/werkvoorraad als sb-demo: \"$(grep -o '<title>[^<]*' <<<"$page" | sed 's/<title>//')\", $(grep -o '<span id="aantal">[0-9]*' <<<"$page" | grep -o '[0-9]*$') open doorverwijzingen, $(wc -c <<<"$page") bytes HTML"
kill "$serve_pid"
wait "$serve_pid" 2>/dev/null || true
echo "  (zelf kijken: $zaak serve --data $data, open http://127.0.0.1:8080/ en meld u aan als sb-demo, wachtwoord demo-wachtwoord-stadsbeheer)"
echo
echo "▸ Een dag aan de KCC-balie, met de echte opdrachten (zaak --help):"
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
echo "▸ De auditor (uit de leesmodellen, opgebouwd uit het log):"
run geschiedenis "$nr" | tail -6
run projecties vingerafdruk
echo
echo "▸ De inwoner vraagt om wissing (AVG art. 17): de sleutel van de zaak verdwijnt, het log en zijn bewijzen blijven:"
run avg wis --inwoner inw-demo-1 --reden "verzoek van de inwoner, kenmerk DEMO-1" --medewerker fg-01
run toon "$nr" | sed -n 1,4p
run log verifieer --sleutel "$data/auditor/checkpoint-ed25519.pub" | sed -n 1,2p
run kpi --van "$van" --tot "$tot" | sed -n 1,4p
echo
echo "Zelf verder kijken: $zaak toon --data $data $nr   |   $zaak log toon --data $data --zaak $nr   |   $zaak audit replay --help"
