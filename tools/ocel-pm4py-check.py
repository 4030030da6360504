#!/usr/bin/env python3
"""Reads zaaklog's OCEL 2.0 exports of a period with pm4py and checks them against the log.

Usage: ocel-pm4py-check.py ZAAK DATA VAN TOT WORKDIR

Runs the real binary: `zaak export ocel` in both forms, `zaak log toon`, `zaak kpi`,
`zaak knelpunten` and `zaak export controleer`. Checks (docs/process-mining.md):
- the SQLite form passes pm4py's OCEL 2.0 relational validation;
- pm4py reads both forms; their events per type equal the log's events of the zaken opened in
  the period, objects per type equal the log's zaken (and `zaak kpi`), handoffs and contacts;
- an object-centric DFG is discovered, and flattening on zaak gives one case per zaak;
- the median waiting time doorverwijzing -> terugkoppeling per afdeling, computed by pm4py's
  business hours (Mon-Fri 08:00-17:00 local) on the export, equals `zaak knelpunten`;
- no value of a free-text, persoonsgegevens, location or inwoner field, and no medewerker id,
  appears in either export; the two exports have different pseudonyms and the same structure;
- `zaak export controleer` accepts both, and refuses one with a byte changed (exit 76).
Prints what it checked; exits 1 on the first failure.
"""
import collections
import json
import multiprocessing
import os
import re
import sqlite3
import subprocess
import sys
import time
import warnings
from datetime import date, datetime
from zoneinfo import ZoneInfo

warnings.filterwarnings("ignore")
zaak, data, van, tot, work = sys.argv[1:6]
os.makedirs(work, exist_ok=True)
amsterdam = ZoneInfo("Europe/Amsterdam")


began = time.monotonic()
builtin_print = print


def print(text):  # noqa: A001 (every line with the time it took so far)
    builtin_print(f"[{time.monotonic() - began:5.0f} s] {text}", flush=True)


def fail(message):
    builtin_print("ONJUIST: " + message, file=sys.stderr)
    sys.exit(1)


def start(*args):
    """Starts `zaak` in the background: the binary on one core while pm4py works on the other."""
    process = subprocess.Popen([zaak, *args, "--data", data], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.args_text = " ".join(args)
    return process


def finish(process, expect=0):
    out, err = process.communicate()
    if process.returncode != expect:
        fail(f"zaak {process.args_text}: exit {process.returncode}, verwacht {expect}\n{err}")
    return out


def run(*args, expect=0):
    return finish(start(*args), expect)


def local_date(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(amsterdam).date()


paths = {form: os.path.join(work, f"export.{form}") for form in ("sqlite", "json")}
for path in paths.values():
    for leftover in (path, path + ".zaaklog.json"):
        if os.path.exists(leftover):
            os.remove(leftover)
for process in [start("export", "ocel", "--van", van, "--tot", tot, "--formaat", form, "--naar", path) for form, path in paths.items()]:
    finish(process)
checks = [start("export", "controleer", path) for path in paths.values()]
knelpunten = start("knelpunten", "--van", van, "--tot", tot, "--per", "afdeling", "--json")

# The log's own view of the same selection, from `zaak log toon`.
first, last = date.fromisoformat(van), date.fromisoformat(tot)
selected, event_types, personal, medewerkers = set(), collections.Counter(), set(), set()
handoffs, contacts = 0, 0
outcome_field = {"GesprekGevoerd": "uitkomst", "TerugkoppelingOntvangen": "uitkomst", "ZaakAfgesloten": "resultaat", "ZaakHeropend": "aanleiding"}


def collect_personal(value):
    if isinstance(value, dict):
        for item in value.values():
            collect_personal(item)
    elif isinstance(value, str) and len(value) >= 4:
        personal.add(value)


for line in run("log", "toon").splitlines():
    event = json.loads(line)
    if event["type"] == "ZaakGeopend" and first <= local_date(event["plaatsgevondenOp"]) <= last:
        selected.add(event["zaak"])
    if event["zaak"] not in selected:
        continue
    payload = event["data"]
    name = event["type"] + (":" + payload[outcome_field[event["type"]]] if event["type"] in outcome_field else "")
    event_types[name] += 1
    handoffs += event["type"] in ("Doorverwezen", "TerugbelverzoekAangemaakt")
    contacts += event["type"] in ("MeldingOntvangen", "GesprekGevoerd", "BerichtOntvangen", "BerichtVerstuurd")
    for field in ("inhoud", "toelichting", "samenvatting", "omschrijving", "reden", "gevraagdeHandeling", "locatie",
                  "persoonsgegevens", "externeId", "inwoner", "afwijking"):
        if field in payload:
            collect_personal(payload[field])
    if payload.get("toegewezenAanMedewerker"):
        medewerkers.add(payload["toegewezenAanMedewerker"])
    if event["actor"]["soort"] == "medewerker":
        medewerkers.add(event["actor"]["id"])
print(f"log: {len(selected)} zaken geopend {van} t/m {tot}, {sum(event_types.values())} gebeurtenissen, "
      f"{len(personal)} persoonlijke waarden, {len(medewerkers)} medewerkers")

import pm4py  # noqa: E402 (after the binary's work: pm4py prints a banner on import)
from pm4py.objects.ocel.validation import ocel20_rel_validation  # noqa: E402
from pm4py.util.business_hours import BusinessHours  # noqa: E402

satisfied, unsatisfied = ocel20_rel_validation.apply(paths["sqlite"])
if unsatisfied:
    fail(f"de SQLite-vorm voldoet niet aan OCEL 2.0: {sorted(unsatisfied)}")
print(f"SQLite-vorm: alle {len(satisfied)} relationele OCEL 2.0-regels van pm4py kloppen")

kpi = json.loads(run("kpi", "--van", van, "--tot", tot, "--json"))
zaken_kpi = next(row["zaken"] for row in kpi if row["groep"] == "totaal")
logs = {"sqlite": pm4py.read_ocel2_sqlite(paths["sqlite"])}


def check_counts(form, ocel):
    activities = collections.Counter(ocel.events["ocel:activity"])
    if activities != event_types:
        fail(f"{form}: gebeurtenissen per type {dict(activities)} != log {dict(event_types)}")
    objects = collections.Counter(ocel.objects["ocel:type"])
    expected = {"zaak": len(selected), "doorverwijzing": handoffs, "klantcontact": contacts}
    if any(objects[type] != count for type, count in expected.items()) or objects["zaak"] != zaken_kpi:
        fail(f"{form}: objecten {dict(objects)}, verwacht {expected} en zaak = zaak kpi {zaken_kpi}")
    print(f"{form}: pm4py leest {len(ocel.events)} gebeurtenissen, {len(ocel.objects)} objecten, {len(ocel.relations)} relaties, "
          f"{len(ocel.o2o)} object-objectrelaties; per type gelijk aan het log, {objects['zaak']} zaken = zaak kpi")


check_counts("sqlite", logs["sqlite"])


# The object-centric DFG and flattening on zaak, on one form (the other has the same shape, below).
# The DFG is the slowest step: computed in a forked process while the rest goes on.
def zaak_couples():
    return sorted(pm4py.discover_ocdfg(logs["sqlite"])["edges"]["event_couples"].get("zaak", {}))


flat = pm4py.ocel_flattening(logs["sqlite"], "zaak")
if flat["case:concept:name"].nunique() != len(selected):
    fail(f"plat gemaakt op zaak {flat['case:concept:name'].nunique()} cases, verwacht {len(selected)}")
print(f"plat gemaakt op zaak: {len(selected)} cases, één per zaak")
dfg_pool = multiprocessing.get_context("fork").Pool(1)
dfg_result = dfg_pool.apply_async(zaak_couples)
logs["json"] = pm4py.read_ocel2_json(paths["json"])
check_counts("json", logs["json"])

# Doorverwijzing -> terugkoppeling in office hours, per afdeling, from the export alone: each
# doorverwijzing's first handoff event and first terugkoppeling, through its event-to-object relations.
ocel = logs["sqlite"]
slots = [(day * 86400 + 8 * 3600, day * 86400 + 17 * 3600) for day in range(5)]
afdeling = ocel.objects.set_index("ocel:oid")["afdeling"].to_dict()
handoff_relations = ocel.relations[ocel.relations["ocel:type"] == "doorverwijzing"]
starts = handoff_relations[handoff_relations["ocel:activity"].isin(["Doorverwezen", "TerugbelverzoekAangemaakt"])].groupby("ocel:oid")["ocel:timestamp"].min()
answers = handoff_relations[handoff_relations["ocel:activity"].str.startswith("TerugkoppelingOntvangen")].groupby("ocel:oid")["ocel:timestamp"].min()
waits = collections.defaultdict(list)
for oid, answered in answers.items():
    handed, answer = (t.tz_convert(amsterdam).to_pydatetime() for t in (starts[oid], answered))
    if first <= handed.date() <= last:
        waits[afdeling[oid]].append(BusinessHours(handed, answer, business_hour_slots=slots).get_seconds() / 3600)
import numpy  # noqa: E402 (pandas brings it)

rows = json.loads(finish(knelpunten))
compared = 0
for row in rows:
    if row["hop"] != "doorverwijzing-terugkoppeling" or "groep" not in row:
        continue
    mine = waits.get(row["groep"], [])
    if len(mine) != row["aantal"] or abs(numpy.median(mine) - row["mediaanWerkuren"]) > 0.02:
        fail(f"afdeling {row['groep']}: pm4py {len(mine)} wachttijden, mediaan {numpy.median(mine):.3f} u; "
             f"zaak knelpunten {row['aantal']}, {row['mediaanWerkuren']:.3f} u")
    compared += 1
if compared == 0 or compared != len(waits):
    fail(f"knelpunten per afdeling: {compared} vergeleken, pm4py heeft er {len(waits)}")
print(f"mediaan doorverwijzing → terugkoppeling in kantooruren: gelijk aan zaak knelpunten voor alle {compared} afdelingen")


def exported_values(form):
    """Every string value in an export (SQLite: every text cell; JSON: every string token), and the
    pseudonyms of inwoners and medewerkers among them."""
    values = set()
    if form == "sqlite":
        db = sqlite3.connect(paths[form])
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            for row in db.execute(f'SELECT * FROM "{table}"'):
                values.update(v for v in row if isinstance(v, str))
    else:
        with open(paths[form], "rb") as file:
            tokens = set(re.findall(rb'"((?:[^"\\]|\\.)*)"', file.read()))
        values = {json.loads(b'"' + token + b'"') for token in tokens}
    pseudonyms = {v for v in values if v.startswith(("inwoner:", "medewerker:"))}
    return values, pseudonyms


structure = {}
for form in paths:
    values, pseudonyms = exported_values(form)
    leaked = personal & values
    leaked |= {m for m in medewerkers if "medewerker:" + m in values}
    if leaked:
        fail(f"{form}: persoonlijke waarden in de export: {sorted(leaked)[:5]}")
    # Free text could hide inside a longer value: every long exported value is checked for it too.
    long_personal = [p for p in personal if len(p) >= 8]
    for value in (v for v in values if len(v) >= 8 and not v[:4].isdigit() and not v.startswith(("Z-", "inwoner:", "medewerker:"))):
        if any(p in value for p in long_personal if len(p) <= len(value)):
            fail(f"{form}: een persoonlijke tekst staat in de waarde {value!r}")
    structure[form] = pseudonyms
    with open(paths[form], "rb") as file:
        raw = file.read()
    for word in sorted(personal, key=len, reverse=True)[:50]:
        if word.encode() in raw:
            fail(f"{form}: de tekst {word!r} staat in het bestand")
if structure["sqlite"] & structure["json"]:
    fail(f"dezelfde pseudoniemen in twee exports: {sorted(structure['sqlite'] & structure['json'])[:3]}")


def shape(ocel):
    """The export up to renaming pseudonyms: events with their relations to non-pseudonymous objects,
    and how many relations each event has."""
    rel = ocel.relations
    kept = rel[~rel["ocel:oid"].str.startswith(("inwoner:", "medewerker:"))]
    return (sorted(map(tuple, kept[["ocel:eid", "ocel:oid", "ocel:qualifier"]].values.tolist())),
            sorted(collections.Counter(rel["ocel:eid"]).items()),
            sorted(collections.Counter(ocel.objects["ocel:type"]).items()))


if shape(logs["sqlite"]) != shape(logs["json"]):
    fail("de twee exports hebben niet dezelfde structuur")
print(f"geen persoonlijke waarde in de exports; pseudoniemen verschillen per export "
      f"({len(structure['sqlite'])} en {len(structure['json'])}), de structuur is gelijk")

couples = set(dfg_result.get())
dfg_pool.close()
if not {("ZaakGeopend", "MeldingOntvangen"), ("MeldingOntvangen", "Doorverwezen")} <= couples:
    fail(f"de OC-DFG van zaak mist ZaakGeopend → MeldingOntvangen → Doorverwezen: {sorted(couples)[:8]}")
if any(target == "ZaakGeopend" for _, target in couples):
    fail(f"in de OC-DFG van zaak gaat iets vooraf aan ZaakGeopend: {[c for c in couples if c[1] == 'ZaakGeopend']}")
print(f"OC-DFG: {len(couples)} pijlen voor zaak, ZaakGeopend steeds eerst")

for check in checks:
    out = finish(check)
    if "Volledig" not in out:
        fail(f"zaak {check.args_text}: {out}")
with open(paths["json"], "r+b") as file:
    file.seek(100)
    byte = file.read(1)
    file.seek(100)
    file.write(bytes([byte[0] ^ 1]))
run("export", "controleer", paths["json"], expect=76)
print("zaak export controleer: beide volledig en onaangeroerd; één gewijzigde byte geeft exitcode 76")
