#!/usr/bin/env python3
"""Checks the event schemas in schemas/events/ and, optionally, event lines against them.

    python3 tools/check-event-schemas.py                   # the schemas, their examples, invalid/
    python3 tools/check-event-schemas.py regels.ndjson ... # ... and every line of these files

Without arguments it checks that every schema is valid JSON Schema (draft 2020-12, with its
`regex`/format checks), follows the conventions of this directory (file name, $id, type and
schemaversie constants, a description on every property, additionalProperties false on every
object), that every example validates and that there are enough of both kinds (import lines
without positie/vastgelegdOp, log lines with them), and that every file in invalid/ is rejected
by the schema of the type it claims (a line of an unknown type by every schema).

With file arguments it also validates each line (NDJSON, one event per line) against the schema
named by its `type` and `schemaversie`. Any failure is printed with file, line or example, and
the JSON path, and the exit status is 1; on success it prints one summary line.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

try:
    import jsonschema
    from referencing import Registry, Resource
except ImportError:  # pragma: no cover - depends on the machine
    print("fout: de Python-modules jsonschema en referencing ontbreken; installeer ze met `pip install jsonschema`",
          file=sys.stderr)
    sys.exit(2)

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "schemas" / "events"
INVALID = EVENTS / "invalid"
BASE = "https://zaaklog.example/schemas/events/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
TYPE_FILE = re.compile(r"^([A-Z][A-Za-z]+)\.v([1-9][0-9]*)\.schema\.json$")
LOG_FIELDS = ("positie", "vastgelegdOp")

# Where the schema must report the invalid lines of invalid/ (JSON path, and a word the message must
# contain), so a file is rejected for the reason its name gives, not by accident. A file not listed
# here only has to be rejected.
INVALID_EXPECTED: dict[str, tuple[str, str | None]] = {
    "onbekend-veld-in-data.json": ("$.data", "fotos"),
    "onbekend-veld-in-envelop.json": ("$", "opmerking"),
    "verplicht-veld-ontbreekt.json": ("$.data", "duurSeconden"),
    "kanaal-fax.json": ("$.data.kanaal", "fax"),
    "score-11.json": ("$.data.score", "11"),
    "zaaknummer-zonder-voorloopnullen.json": ("$.zaak", None),
    "tijdstip-zonder-milliseconden.json": ("$.plaatsgevondenOp", None),
    "schemaversie-2.json": ("$.schemaversie", None),
    "gesprek-via-whatsapp.json": ("$.data.kanaal", "whatsapp"),
    "vernietigen-zonder-bewaartermijn.json": ("$.data", "bewaartermijnJaren"),
    "inwoner-ref-met-spaties.json": ("$.data.inwoner.ref", None),
    "afwijking-regel-4.json": ("$.data.afwijking.regels[0]", "4"),
}

Validator = jsonschema.Draft202012Validator


class Failures:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}")

    def __bool__(self) -> bool:
        return bool(self.messages)


def rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def describe(error: jsonschema.ValidationError, root: dict | None = None) -> str:
    names = forbidden_properties(root, error) if root is not None else []
    if names:
        # A property a condition forbids ("bewaartermijnJaren": false): jsonschema says only "False
        # schema does not allow …" at the object's path, so name the property.
        return f"{error.json_path}: {' of '.join(names)} hoort hier niet (waarde {error.instance!r})"
    return f"{error.json_path}: {error.message}"


def forbidden_properties(root: dict, error: jsonschema.ValidationError) -> list[str]:
    """The properties declared `false` where `error` came from, if it came from one."""
    if error.schema is not False or not error.schema_path or error.schema_path[-1] != "properties":
        return []
    node = root
    for key in error.schema_path:
        if isinstance(node, dict) and key in node and key != "$ref":
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return []
    return [name for name, sub in node.items() if sub is False] if isinstance(node, dict) else []


def load_json(path: Path, failures: Failures):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        failures.add(rel(path), f"geen geldige JSON ({error})")
        return None


def check_conventions(where: str, node, failures: Failures, pointer: str = "#") -> None:
    """Every object schema (`"type": "object"`) closes itself and describes each property."""
    if isinstance(node, dict):
        if node.get("type") == "object":
            if node.get("additionalProperties") is not False:
                failures.add(where, f"{pointer}: een object-schema moet \"additionalProperties\": false hebben")
            for name, sub in node.get("properties", {}).items():
                if isinstance(sub, dict) and "description" not in sub:
                    failures.add(where, f"{pointer}/properties/{name}: \"description\" ontbreekt")
        for key, value in node.items():
            if key in ("examples", "const", "enum"):
                continue
            check_conventions(where, value, failures, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            check_conventions(where, value, failures, f"{pointer}/{index}")


def load_schemas(failures: Failures):
    """All schemas of schemas/events/, checked against the metaschema and the conventions."""
    schemas: dict[str, dict] = {}
    typed: dict[tuple[str, int], str] = {}
    meta = Validator(Validator.META_SCHEMA, format_checker=Validator.FORMAT_CHECKER)
    files = sorted(EVENTS.glob("*.schema.json"))
    if not files:
        failures.add(rel(EVENTS), "geen enkel *.schema.json gevonden")
    for path in files:
        where = rel(path)
        schema = load_json(path, failures)
        if schema is None:
            continue
        if not isinstance(schema, dict):
            failures.add(where, "een schema is een JSON-object")
            continue
        errors = sorted(meta.iter_errors(schema), key=lambda e: list(e.absolute_path))
        for error in errors:
            failures.add(where, f"geen geldig JSON Schema 2020-12: {describe(error)}")
        if errors:
            continue
        if schema.get("$schema") != DRAFT:
            failures.add(where, f"$schema moet {DRAFT} zijn")
        if schema.get("$id") != BASE + path.name:
            failures.add(where, f"$id moet {BASE + path.name} zijn, niet {schema.get('$id')!r}")
        if not isinstance(schema.get("title"), str) or not schema["title"].strip():
            failures.add(where, "title ontbreekt")
        check_conventions(where, schema, failures)
        schemas[path.name] = schema
        if path.name == "common.v1.schema.json":
            continue
        match = TYPE_FILE.match(path.name)
        if not match:
            failures.add(where, "de bestandsnaam heeft niet de vorm <Type>.v<schemaversie>.schema.json")
            continue
        type_name, version = match.group(1), int(match.group(2))
        properties = schema.get("properties", {})
        if properties.get("type", {}).get("const") != type_name:
            failures.add(where, f"properties.type moet {{\"const\": \"{type_name}\"}} zijn")
        if properties.get("schemaversie", {}).get("const") != version:
            failures.add(where, f"properties.schemaversie moet {{\"const\": {version}}} zijn")
        typed[(type_name, version)] = path.name
    if "common.v1.schema.json" not in schemas and not failures:
        failures.add(rel(EVENTS / "common.v1.schema.json"), "ontbreekt")
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values() if "$id" in schema
    )
    return schemas, typed, registry


class Catalogue:
    def __init__(self, schemas, typed, registry) -> None:
        self.typed = typed
        self.validators = {
            name: Validator(schemas[name], registry=registry, format_checker=Validator.FORMAT_CHECKER)
            for name in set(typed.values())
        }

    def errors(self, event) -> tuple[str | None, list[jsonschema.ValidationError] | list[str]]:
        """The schema an event line claims, and what is wrong with the line according to it."""
        if not isinstance(event, dict):
            return None, ["een gebeurtenis is een JSON-object"]
        type_name = event.get("type")
        versions = sorted(v for (t, v) in self.typed if t == type_name)
        if not versions:
            return None, [f"$.type: onbekend type {type_name!r}; bekend zijn {', '.join(sorted({t for t, _ in self.typed}))}"]
        version = event.get("schemaversie")
        # A schemaversie without a schema is checked against the newest, which reports it.
        name = self.typed.get((type_name, version)) if isinstance(version, int) and not isinstance(version, bool) else None
        name = name or self.typed[(type_name, versions[-1])]
        validator = self.validators[name]
        return name, sorted(validator.iter_errors(event), key=lambda e: (list(e.absolute_path), e.message))


def check_examples(schemas, catalogue: Catalogue, failures: Failures) -> int:
    count = 0
    for name in sorted(set(catalogue.typed.values())):
        where = rel(EVENTS / name)
        examples = schemas[name].get("examples")
        if not isinstance(examples, list):
            failures.add(where, "examples ontbreekt")
            continue
        imports = [e for e in examples if isinstance(e, dict) and not any(f in e for f in LOG_FIELDS)]
        logged = [e for e in examples if isinstance(e, dict) and all(f in e for f in LOG_FIELDS)]
        if len(imports) < 2:
            failures.add(where, "minstens 2 voorbeelden zonder positie en vastgelegdOp nodig (regels voor `zaak import`)")
        if len(logged) < 1:
            failures.add(where, "minstens 1 voorbeeld met positie en vastgelegdOp nodig (een regel uit het log)")
        validator = catalogue.validators[name]
        for index, example in enumerate(examples):
            count += 1
            for error in validator.iter_errors(example):
                failures.add(f"{where} examples[{index}]", describe(error, validator.schema))
    return count


def check_invalid(catalogue: Catalogue, failures: Failures) -> int:
    files = sorted(INVALID.glob("*.json"))
    if not files:
        failures.add(rel(INVALID), "geen enkele ongeldige voorbeeldregel gevonden")
    for path in files:
        where = rel(path)
        event = load_json(path, failures)
        if event is None:
            continue
        name, errors = catalogue.errors(event)
        if name is None:
            # Not a known type: every schema must turn it down.
            for other, validator in sorted(catalogue.validators.items()):
                if validator.is_valid(event):
                    failures.add(where, f"is geldig volgens {other}, maar zou door elk schema geweigerd moeten worden")
            continue
        if not errors:
            failures.add(where, f"is geldig volgens {name}, maar hoort geweigerd te worden")
            continue
        expected = INVALID_EXPECTED.get(path.name)
        if expected:
            json_path, word = expected
            if not any(e.json_path == json_path and (word is None or word in e.message) for e in errors):
                found = "; ".join(describe(e, catalogue.validators[name].schema) for e in errors)
                wanted = json_path + (f" (met '{word}')" if word else "")
                failures.add(where, f"geweigerd om een andere reden dan verwacht: verwacht een fout op {wanted}, kreeg {found}")
    return len(files)


def check_lines(paths: list[str], catalogue: Catalogue, failures: Failures) -> int:
    count = 0
    for argument in paths:
        path = Path(argument)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            failures.add(argument, f"niet te lezen ({error})")
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            count += 1
            where = f"{argument}:{number}"
            try:
                event = json.loads(line)
            except json.JSONDecodeError as error:
                failures.add(where, f"geen geldige JSON ({error})")
                continue
            name, errors = catalogue.errors(event)
            for error in errors:
                if isinstance(error, str):
                    failures.add(where, error)
                else:
                    failures.add(where, f"{describe(error, catalogue.validators[name].schema)} (volgens {name})")
    return count


def main(argv: list[str]) -> int:
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__.strip())
        return 0
    failures = Failures()
    schemas, typed, registry = load_schemas(failures)
    if failures:
        # The schemas themselves are wrong: validating events against them would mislead.
        for message in failures.messages:
            print(f"fout: {message}", file=sys.stderr)
        return 1
    catalogue = Catalogue(schemas, typed, registry)
    examples = check_examples(schemas, catalogue, failures)
    invalid = check_invalid(catalogue, failures)
    lines = check_lines(argv, catalogue, failures)
    if failures:
        for message in failures.messages:
            print(f"fout: {message}", file=sys.stderr)
        print(f"{len(failures.messages)} fout(en) gevonden", file=sys.stderr)
        return 1
    summary = (f"ok: {len(typed)} gebeurtenisschema's en common geldig, {examples} voorbeelden geldig, "
               f"{invalid} ongeldige regels geweigerd")
    if argv:
        summary += f", {lines} regels in {len(argv)} bestand(en) geldig"
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
