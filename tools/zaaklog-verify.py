#!/usr/bin/env python3
"""An independent verifier for zaaklog: a whole log directory, a proof, or an audit bundle.

    python3 tools/zaaklog-verify.py log DIR [--sleutel PUB]... [--vingerafdruk HEX]... [--vertrouwd ARTEFACT]... [--zaaksleutels DB [--toon]]
    python3 tools/zaaklog-verify.py bewijs BESTAND [--sleutel PUB]... [--vingerafdruk HEX]... [--vertrouwd CHECKPOINT]
    python3 tools/zaaklog-verify.py bundel BESTAND [--sleutel PUB]... [--vingerafdruk HEX]... [--vertrouwd CHECKPOINT]

Written from schemas/log-format.md (revision 4) and schemas/audit-proofs.md alone, for auditors who
do not want to trust the software of the log they audit: it shares no code with zaaklog (Swift) and
needs only Python's standard library plus the PyPI packages `lz4` (LZ4 frames) and `cryptography`
(Ed25519).

`log` checks everything log-format §10 lists: frame structure and checksums, metadata records,
every line (layout, positions, vastgelegdOp, unique ids, well-formed JSON), leaf hashes, segment
headers, the placement, root and frontier of every checkpoint, the checkpoints that close segments
and follow sealed data frames, and signatures. `bewijs` checks a checkpoint file, an inclusion proof
or a consistency proof; `bundel` an audit bundle. Trusted keys come from the auditor only: --sleutel
(a public key file, repeatable) and --vingerafdruk (the SHA-256 of a key's 32 bytes, repeatable,
matched against the --sleutel files and the installation's .pub file). With trusted keys every
signature must verify and at least one checkpoint of the log must be signed; without, only their
form is checked and a log is "intact", never "geldig". --vertrouwd is an artefact kept from earlier:
for `log` the log must hold its lines with the same root; for `bewijs`/`bundel` every checkpoint of
the same size must have the same root. --json prints the outcome as one JSON object.

--zaaksleutels names a copy of the installation's key store (`zaaksleutels.sqlite`, log-format §3.1):
then every encrypted member (`versleuteld`) of every line must decrypt (AES-256-GCM, associated
data `<zaak>/<id>`) under its zaak's key, or belong to a zaak whose key was erased; with --toon the
lines are printed decrypted, as JSON Lines, the erased members left out.

The first problem in log order ends the check, named with file, byte offset and position (the
number of lines accepted before the failing frame, plus one). Exit status: 0 valid (or intact),
73 valid up to a torn tail (the log's last, open segment ends inside a frame), 76 damaged or not
valid, 65 unreadable input, 64 wrong use.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import sqlite3
import struct
import sys
import zlib

try:
    import lz4.frame
    from cryptography.exceptions import InvalidSignature, InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover - depends on the machine
    print("fout: de Python-pakketten lz4 en cryptography ontbreken; installeer ze met `pip install lz4 cryptography`",
          file=sys.stderr)
    sys.exit(65)

VALID, TORN, INVALID, UNREADABLE, USAGE = 0, 73, 76, 65, 64

DATA_MAGIC = 0x184D2204
METADATA_MAGIC = 0x184D2A5A
DATA_FLAGS = 0x7C  # version 01, block independence, block checksum, content size, content checksum
MAX_CONTENT = 64 << 20
MAX_METADATA = 64 << 10
SEGMENT_NAME = re.compile(r"^seg-([0-9]{20})\.(open|sealed)\.lz4$")
HASH = re.compile(r"^[0-9a-f]{64}$")
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
ENVELOPE = re.compile(
    rb'^\{"positie":([1-9][0-9]{0,17}),"id":"([A-Za-z0-9._:-]{1,128})","zaak":"([A-Za-z0-9._:-]{1,128})",'
    rb'"vastgelegdOp":"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z)"[,}]')
ENVELOPE_NAMES = ("positie", "id", "zaak", "vastgelegdOp")
EMPTY_ROOT = hashlib.sha256(b"").digest()


class Failure(Exception):
    """The check failed: where, and why (Dutch, for the auditor)."""

    def __init__(self, reason: str, file: str = "", offset: int = 0, position: int = 0, torn: dict | None = None):
        super().__init__(reason)
        self.reason, self.file, self.offset, self.position = reason, file, offset, position
        self.torn = torn  # a torn tail seen before the problem (reported beside it)

    def text(self) -> str:
        if self.file:
            return f"{self.file} op byte {self.offset} (positie {self.position}): {self.reason}"
        return self.reason


class Unreadable(Exception):
    """An input that is not what it should be at all (exit 65)."""


# --- Merkle tree (log-format §6, RFC 9162 §2.1) ---------------------------------------------------

def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class Frontier:
    """Roots of the perfect subtrees of a tree of `size` leaves, largest first."""

    def __init__(self, size: int = 0, hashes: list[bytes] | None = None):
        self.size, self.hashes = size, list(hashes or [])

    def append(self, leaf: bytes) -> None:
        self.hashes.append(leaf)
        bits = self.size
        while bits & 1:
            right = self.hashes.pop()
            left = self.hashes.pop()
            self.hashes.append(node_hash(left, right))
            bits >>= 1
        self.size += 1

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        root = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            root = node_hash(h, root)
        return root


def root_from_inclusion(leaf: bytes, index: int, size: int, path: list[bytes]) -> bytes | None:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def is_consistent(m: int, first: bytes, n: int, second: bytes, path: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2."""
    if not 1 <= m <= n:
        return False
    if m == n:
        return not path and first == second
    if not path:  # audit-proofs §3: also when m is a power of two
        return False
    if m & (m - 1) == 0:
        path = [first] + path
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first and sr == second and sn == 0


# --- Values -------------------------------------------------------------------------------------

def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def valid_timestamp(text: str) -> bool:
    """YYYY-MM-DDTHH:MM:SS.mmmZ, a real date and time (log-format §3). Such strings sort by time."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z", text):
        return False
    year, month, day = int(text[0:4]), int(text[5:7]), int(text[8:10])
    return 1 <= month <= 12 and 1 <= day <= days_in_month(year, month) and int(text[11:13]) < 24 \
        and int(text[14:16]) < 60 and int(text[17:19]) < 60


def parse_hash(value, what: str) -> bytes:
    if not isinstance(value, str) or not HASH.match(value):
        raise ValueError(f"{what} is geen hash van 64 kleine hexcijfers")
    return bytes.fromhex(value)


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def member_problem(value: dict, required: set[str], optional: set[str] = frozenset()) -> str | None:
    """Why `value` does not have exactly these members (audit-proofs: unlisted members are refused)."""
    unknown, missing = sorted(set(value) - required - optional), sorted(required - set(value))
    if unknown:
        return ("onbekend veld " if len(unknown) == 1 else "onbekende velden ") + ", ".join(f"'{n}'" for n in unknown)
    if missing:
        return ("ontbrekend veld " if len(missing) == 1 else "ontbrekende velden ") + ", ".join(f"'{n}'" for n in missing)
    return None


def signed_message(tree_size: int, root: bytes, recorded_at: str) -> bytes:
    """log-format §5.1: four lines, each ending in \\n."""
    return f"zaaklog-checkpoint-v1\n{tree_size}\n{root.hex()}\n{recorded_at}\n".encode()


class Key:
    def __init__(self, raw: bytes):
        self.raw = raw
        self.fingerprint = hashlib.sha256(raw).hexdigest()
        self.key_id = self.fingerprint[:16]
        self.key = Ed25519PublicKey.from_public_bytes(raw)

    def verifies(self, signature: bytes, message: bytes) -> bool:
        try:
            self.key.verify(signature, message)
            return True
        except InvalidSignature:
            return False


def read_key(path: str) -> Key:
    """A public key file (log-format §5.1)."""
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8"))
        raw = bytes.fromhex(data["publicKey"])
        if data.get("type") != "zaaklog-public-key" or data.get("algorithm") != "ed25519" or len(raw) != 32:
            raise ValueError("geen publieke ed25519-sleutel van zaaklog")
        key = Key(raw)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise Unreadable(f"{path} is geen bruikbare publieke sleutel: {error}")
    if data.get("keyId") != key.key_id:
        raise Unreadable(f"{path}: keyId {data.get('keyId')} hoort niet bij deze sleutel ({key.key_id})")
    return key


def trusted_keys(key_files: list[str], fingerprints: list[str], installation: str | None) -> list[Key]:
    """log-format §5.1: the --sleutel keys, and for each fingerprint the key with it among those and the
    installation's public key file (read only when a fingerprint asks, and trusted only by it)."""
    keys = [read_key(path) for path in key_files]
    missing = [f for f in dict.fromkeys(fingerprints) if all(k.fingerprint != f for k in keys)]
    if not missing:
        return keys
    found = read_key(installation) if installation and os.path.exists(installation) else None
    for fingerprint in missing:
        if found is None or found.fingerprint != fingerprint:
            places = ", ".join(key_files + ([installation] if installation else [])) or "geen --sleutel en geen $ZAAK_SLEUTELMAP"
            raise Unreadable(f"geen publieke sleutel met vingerafdruk {fingerprint} (gezocht in: {places})")
    return keys + [found]


def installation_key_file(log_directory: str | None) -> str | None:
    """Where the installation keeps its public key (log-format §5.1): $ZAAK_SLEUTELMAP, else sleutels/ beside the log."""
    if os.environ.get("ZAAK_SLEUTELMAP"):
        return os.path.join(os.environ["ZAAK_SLEUTELMAP"], "checkpoint-ed25519.pub")
    if log_directory is None:
        return None
    return os.path.normpath(os.path.join(log_directory, os.pardir, "sleutels", "checkpoint-ed25519.pub"))


class Checkpoint:
    def __init__(self, tree_size: int, root: bytes, recorded_at: str, signature: tuple[str, bytes] | None):
        self.tree_size, self.root, self.recorded_at, self.signature = tree_size, root, recorded_at, signature

    @staticmethod
    def from_json(value, with_frontier: bool = False) -> tuple["Checkpoint", list[bytes]]:
        """A checkpoint record (log-format §5) or an artefact's checkpoint (audit-proofs §1)."""
        if not isinstance(value, dict):
            raise ValueError("checkpoint is geen JSON-object")
        # A metadata record may carry members a later revision defines (log-format §5); an artefact may not.
        problem = None if with_frontier else member_problem(value, {"treeSize", "root", "recordedAt"}, {"signature"})
        if problem:
            raise ValueError(f"checkpoint: {problem}")
        size, recorded_at = value.get("treeSize"), value.get("recordedAt")
        if not is_int(size) or size < 1:
            raise ValueError("treeSize ontbreekt of is geen geheel getal ≥ 1")
        root = parse_hash(value.get("root"), "root")
        if not isinstance(recorded_at, str) or not valid_timestamp(recorded_at):
            raise ValueError("recordedAt ontbreekt of is geen tijdstip")
        frontier = []
        if with_frontier:
            hexes = value.get("frontier")
            if not isinstance(hexes, list):
                raise ValueError("frontier ontbreekt")
            frontier = [parse_hash(h, "frontier") for h in hexes]
            if len(frontier) != bin(size).count("1") or Frontier(size, frontier).root() != root:
                raise ValueError("frontier past niet bij treeSize en root")
        signature = None
        if "signature" in value:
            sig = value["signature"]
            if not isinstance(sig, dict):
                raise ValueError("signature is geen JSON-object")
            problem = member_problem(sig, {"keyId", "ed25519"})
            if problem:
                raise ValueError(f"signature: {problem}")
            if not isinstance(sig["keyId"], str) or not re.fullmatch(r"[0-9a-f]{16}", sig["keyId"]) \
                    or not isinstance(sig["ed25519"], str) or not re.fullmatch(r"[0-9a-f]{128}", sig["ed25519"]):
                raise ValueError("handtekening zonder geldige keyId (16 hexcijfers) of ed25519 (128 hexcijfers)")
            signature = (sig["keyId"], bytes.fromhex(sig["ed25519"]))
        return Checkpoint(size, root, recorded_at, signature), frontier

    def signature_problem(self, keys: list[Key]) -> str | None:
        """Why the signature does not hold against `keys`; None when it does (or no keys were given)."""
        if not keys:
            return None
        if self.signature is None:
            return f"het checkpoint van {self.tree_size} gebeurtenissen is niet ondertekend"
        key_id, signature = self.signature
        key = next((k for k in keys if k.key_id == key_id), None)
        if key is None:
            return f"het checkpoint van {self.tree_size} gebeurtenissen is ondertekend met onbekende sleutel {key_id}"
        if not key.verifies(signature, signed_message(self.tree_size, self.root, self.recorded_at)):
            return f"de handtekening van het checkpoint van {self.tree_size} gebeurtenissen klopt niet (sleutel {key_id})"
        return None


# --- Lines (log-format §3) ----------------------------------------------------------------------

def reject_constant(name: str):
    raise ValueError(f"{name} is geen JSON")


def top_level_names(text: str) -> list[str]:
    """The raw (undecoded) names of the top-level members of a JSON object already known valid."""
    names, depth, i, expect_name = [], 0, 0, False
    while i < len(text):
        c = text[i]
        if c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if depth == 1 and expect_name:
                names.append(text[i + 1:j])
                expect_name = False
            i = j + 1
            continue
        if c in "{[":
            depth += 1
            expect_name = c == "{" and depth == 1
        elif c in "}]":
            depth -= 1
        elif c == "," and depth == 1:
            expect_name = True
        i += 1
    return names


def check_line(line: bytes, expected: int, last_time: str | None) -> tuple[str, str]:
    """Checks one line; returns its id and vastgelegdOp. Raises ValueError with the reason."""
    if b"\r" in line:
        raise ValueError(f"regel voor positie {expected} bevat een regeleinde (0x0D)")
    match = ENVELOPE.match(line)
    if not match:
        raise ValueError(f"regel voor positie {expected} volgt de envelop van log-format §3 niet")
    position, event_id, _, recorded_at = int(match[1]), match[2].decode(), match[3], match[4].decode()
    if position != expected:
        raise ValueError(f"positie {position} gevonden waar {expected} verwacht werd")
    if not valid_timestamp(recorded_at):
        raise ValueError(f"vastgelegdOp van positie {expected} is geen bestaand tijdstip")
    if last_time is not None and recorded_at < last_time:
        raise ValueError(f"vastgelegdOp van positie {expected} ligt vóór die van de vorige regel")
    try:
        text = line.decode("utf-8")
        value = json.loads(text, parse_constant=reject_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"regel op positie {expected} is geen geldige JSON: {error}")
    if not isinstance(value, dict) or not text.endswith("}"):
        raise ValueError(f"regel op positie {expected} is niet precies één JSON-object")
    for name in top_level_names(text)[4:]:
        if "\\" in name or name in ENVELOPE_NAMES:
            raise ValueError(f"regel op positie {expected}: veldnaam '{name}' na de envelop is niet toegestaan")
    return event_id, recorded_at


# --- Frames (log-format §4–5) -------------------------------------------------------------------

def frame_at(data: bytes, offset: int) -> tuple[str, int, int]:
    """('metadata' | 'data', end, content size) of the frame at `offset`, from its headers.
    Raises Truncated when the bytes end inside it, ValueError when it is not a frame zaaklog writes."""
    available = len(data) - offset
    if available < 4:
        raise Truncated()
    magic = struct.unpack_from("<I", data, offset)[0]
    if magic == METADATA_MAGIC:
        if available < 8:
            raise Truncated()
        length = struct.unpack_from("<I", data, offset + 4)[0]
        if not 4 <= length <= MAX_METADATA:
            raise ValueError(f"metadataframe met ongeldige lengte {length}")
        if available < 8 + length:
            raise Truncated()
        return "metadata", offset + 8 + length, 0
    if magic & 0xFFFFFFF0 == 0x184D2A50:
        raise ValueError(f"onbekend overslaanbaar frame (magic {magic:x})")
    if magic != DATA_MAGIC:
        raise ValueError(f"geen LZ4-frame (magic {magic:x})")
    if available < 15:
        raise Truncated()
    if data[offset + 4] != DATA_FLAGS:
        raise ValueError(f"LZ4-frame met onverwachte vlaggen {data[offset + 4]}")
    descriptor = data[offset + 5]
    size_id = descriptor >> 4 & 7
    if descriptor & 0x8F or size_id < 4:
        raise ValueError("LZ4-frame met ongeldige blokgrootte")
    block_max = 1 << (8 + 2 * size_id)
    content_size = struct.unpack_from("<Q", data, offset + 6)[0]
    if not 0 < content_size <= MAX_CONTENT:
        raise ValueError(f"LZ4-frame met ongeldige inhoudsgrootte {content_size}")
    cursor = offset + 15
    while True:
        if len(data) - cursor < 4:
            raise Truncated()
        word = struct.unpack_from("<I", data, cursor)[0]
        cursor += 4
        if word == 0:
            break
        if word & 0x7FFFFFFF > block_max:
            raise ValueError("LZ4-blok groter dan de blokgrootte van het frame")
        cursor += (word & 0x7FFFFFFF) + 4
        if cursor > len(data):
            raise Truncated()
    cursor += 4
    if cursor > len(data):
        raise Truncated()
    if content_size > (cursor - offset) * 255:
        raise ValueError("LZ4-frame claimt meer inhoud dan het kan bevatten")
    return "data", cursor, content_size


class Truncated(Exception):
    """The file ends inside a frame."""


def metadata_record(frame: bytes) -> dict:
    payload = frame[12:]
    if struct.unpack_from("<I", frame, 8)[0] != zlib.crc32(payload):
        raise ValueError("CRC-32 van metadataframe klopt niet")
    try:
        record = json.loads(payload.decode("utf-8"), parse_constant=reject_constant)
    except (UnicodeDecodeError, ValueError):
        raise ValueError("metadataframe bevat geen geldig JSON-object")
    if not isinstance(record, dict) or not isinstance(record.get("type"), str):
        raise ValueError("metadataframe bevat geen JSON-object met type")
    return record


def segment_header(record: dict) -> tuple[int, list[bytes]]:
    first, hexes = record.get("firstPosition"), record.get("frontier")
    if record.get("format") != 1 or not is_int(record.get("format")):
        raise ValueError(f"onbekende formaatversie {record.get('format')}")
    if not is_int(first) or first < 1 or not isinstance(hexes, list):
        raise ValueError("segmentkop mist firstPosition of frontier")
    frontier = [parse_hash(h, "frontier") for h in hexes]
    if len(frontier) != bin(first - 1).count("1"):
        raise ValueError("segmentkop heeft een frontier die niet bij firstPosition past")
    return first, frontier


# --- Log directory (log-format §2, §10) ---------------------------------------------------------

def segments_of(directory: str) -> list[tuple[int, str]]:
    by_first: dict[int, str] = {}
    for name in os.listdir(directory):
        match = SEGMENT_NAME.match(name)
        if not match:
            continue
        first = int(match[1])
        if first >= 1 and (first not in by_first or match[2] == "sealed"):
            by_first[first] = name
    return sorted(by_first.items())


class ZaakKeys:
    """The key store (log-format §3.1): one 32-byte key per zaak, NULL once erased."""

    def __init__(self, path: str):
        if not os.path.exists(path):
            raise Unreadable(f"{path}: geen sleutelkluis")
        database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = database.execute("SELECT zaak, sleutel FROM sleutels").fetchall()
        except sqlite3.Error as error:
            raise Unreadable(f"{path}: geen sleutelkluis van zaaklog ({error})")
        finally:
            database.close()
        self.keys = {zaak: bytes.fromhex(key) if key else None for zaak, key in rows}
        self.opened = self.erased = 0

    def open_line(self, line: bytes) -> bytes:
        """The line with each encrypted member replaced by its members; erased ones left out."""
        if b'"versleuteld"' not in line:
            return line
        event = json.loads(line)
        zaak, event_id = event.get("zaak"), event.get("id")
        associated = f"{zaak}/{event_id}".encode()

        def open_object(value):
            if not isinstance(value, dict):
                return value
            result = {}
            for name, member in value.items():
                if name != "versleuteld":
                    result[name] = open_object(member)
                    continue
                if zaak not in self.keys:
                    raise ValueError(f"zaak {zaak} heeft versleutelde velden maar geen sleutel in de sleutelkluis")
                key = self.keys[zaak]
                if key is None:
                    self.erased += 1
                    continue
                sealed = base64.b64decode(member, validate=True)
                try:
                    plain = AESGCM(key).decrypt(sealed[:12], sealed[12:], associated)
                except InvalidTag:
                    raise ValueError(f"versleutelde velden van {event_id} (zaak {zaak}) zijn niet te ontsleutelen: gewijzigd of verplaatst")
                self.opened += 1
                result.update(json.loads(plain))
            return result

        event["data"] = open_object(event.get("data"))
        return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def verify_log(directory: str, keys: list[Key], trusted: list[tuple[Checkpoint, str]], zaak_keys: ZaakKeys | None = None,
               show=None) -> dict:
    """log-format §10 with `keys` (none: signatures' form only) and the auditor's `trusted` checkpoints
    (with the file each came from). Raises Failure at the first problem in log order; a torn tail
    (§8) is returned as `afgebrokenStaart`, being no problem when nothing else is."""
    if not os.path.isdir(directory):
        raise Unreadable(f"{directory} is geen map")
    segments = segments_of(directory)
    if not segments:
        raise Unreadable(f"{directory} bevat geen segmenten (seg-….lz4): geen log van zaaklog")
    trusted_at: dict[int, list[tuple[Checkpoint, str]]] = {}
    for checkpoint, source in trusted:
        trusted_at.setdefault(checkpoint.tree_size, []).append((checkpoint, source))
    tree = Frontier()
    last_time: str | None = None
    ids: set[str] = set()
    frames = checkpoints = signed = unsigned = 0
    last_signed: Checkpoint | None = None
    torn: dict | None = None
    for number, (first_in_name, name) in enumerate(segments):
        is_last, sealed = number == len(segments) - 1, name.endswith(".sealed.lz4")
        with open(os.path.join(directory, name), "rb") as handle:
            data = handle.read()

        def fail(reason: str, offset: int, position: int) -> Failure:
            return Failure(reason, name, offset, position)

        try:
            kind, header_end, _ = frame_at(data, 0)
            if kind != "metadata":
                raise ValueError("segment begint niet met een segmentkop")
            header = metadata_record(data[:header_end])
            if header["type"] != "segment":
                raise ValueError("segment begint niet met een segmentkop")
            first, frontier = segment_header(header)
        except ValueError as error:
            raise fail(f"ongeldige segmentkop: {error}", 0, tree.size + 1)
        except Truncated:  # segments are created whole (§8), so even the last one's header is never torn
            raise fail("ongeldige segmentkop: het bestand eindigt in de kop", 0, tree.size + 1)
        if first != first_in_name:
            raise fail(f"segmentkop noemt positie {first}, de bestandsnaam {first_in_name}", 0, tree.size + 1)
        if first != tree.size + 1:
            raise fail(f"segment begint bij positie {first}, verwacht {tree.size + 1} (ontbrekend of dubbel segment)", 0, tree.size + 1)
        if frontier != tree.hashes:
            raise fail("frontier in de segmentkop klopt niet met de herberekende Merkle-boom", 0, tree.size + 1)

        offset, previous, since_checkpoint, lines_before = header_end, "header", 0, tree.size
        while offset < len(data):
            position = tree.size + 1
            try:
                kind, end, content_size = frame_at(data, offset)
            except Truncated:
                # §8: only the end of the last, open segment may hold a write that never finished.
                if is_last and not sealed:
                    torn = {"bestand": name, "offset": offset, "bytes": len(data) - offset, "positie": position}
                    break
                raise fail("frame loopt door tot na het einde van het bestand", offset, position)
            except ValueError as error:
                raise fail(str(error), offset, position)
            frame = data[offset:end]
            if kind == "data":
                if sealed and previous == "data":
                    raise fail("in een verzegeld segment volgt op elk dataframe een checkpoint; hier staat een dataframe",
                               offset, position)
                try:
                    content = lz4.frame.decompress(frame)
                except RuntimeError as error:
                    raise fail(f"LZ4: {error}", offset, position)
                if len(content) != content_size:
                    raise fail(f"LZ4-frame onvolledig ({len(content)} van {content_size} bytes)", offset, position)
                if not content.endswith(b"\n"):
                    raise fail("frame-inhoud eindigt niet met een regeleinde", offset, position)
                lines = content[:-1].split(b"\n")
                # The whole frame is checked before its ids and its lines count (a commit is all or nothing).
                expected, time, new_ids = position, last_time, []
                for line in lines:
                    try:
                        event_id, time = check_line(line, expected, time)
                    except ValueError as error:
                        raise fail(str(error), offset, position)
                    new_ids.append((event_id, expected))
                    expected += 1
                for event_id, at in new_ids:
                    if event_id in ids:
                        raise fail(f"id '{event_id}' komt twee keer voor", offset, at)
                    ids.add(event_id)
                for line in lines:
                    if zaak_keys is not None:
                        try:
                            readable = zaak_keys.open_line(line)
                        except (ValueError, KeyError) as error:
                            raise fail(str(error), offset, tree.size + 1)
                        if show:
                            show(readable)
                    tree.append(leaf_hash(line))
                    for checkpoint, source in trusted_at.get(tree.size, ()):
                        if tree.root() != checkpoint.root:
                            raise fail(f"de wortel over posities 1–{tree.size} is {tree.root().hex()}; het vertrouwde checkpoint "
                                       f"({source}) zegt {checkpoint.root.hex()}: de geschiedenis is herschreven", offset, tree.size)
                last_time = time
                frames += 1
                since_checkpoint += len(lines)
                previous = "data"
            else:
                try:
                    record = metadata_record(frame)
                    if record["type"] == "segment":
                        raise ValueError("tweede segmentkop midden in een segment")
                    if record["type"] != "checkpoint":
                        raise ValueError(f"onbekend metadatatype '{record['type']}'")
                    checkpoint, frontier = Checkpoint.from_json(record, with_frontier=True)
                except ValueError as error:
                    raise fail(str(error), offset, position)
                if previous != "data":
                    raise fail("checkpoint staat niet direct na een dataframe", offset, position)
                if checkpoint.tree_size != tree.size:
                    raise fail(f"checkpoint voor boomgrootte {checkpoint.tree_size} staat na positie {tree.size}", offset, position)
                if checkpoint.recorded_at != last_time:
                    raise fail(f"checkpoint noemt recordedAt {checkpoint.recorded_at}, de regel ervoor vastgelegdOp {last_time}",
                               offset, position)
                if checkpoint.root != tree.root() or frontier != tree.hashes:
                    raise fail(f"checkpoint-wortel {checkpoint.root.hex()} klopt niet; herberekend: {tree.root().hex()}. "
                               f"Een regel op positie {position - since_checkpoint}–{tree.size} is gewijzigd, of het checkpoint zelf",
                               offset, position)
                if checkpoint.signature is None:
                    if last_signed is not None:
                        raise fail(f"checkpoint voor posities 1–{tree.size} is niet ondertekend, terwijl een eerder "
                                   "checkpoint dat wel is (handtekening verwijderd?)", offset, position)
                    unsigned += 1
                else:
                    problem = checkpoint.signature_problem(keys)
                    if problem:
                        raise fail(problem, offset, position)
                    signed += 1
                    last_signed = checkpoint
                checkpoints += 1
                since_checkpoint = 0
                previous = "checkpoint"
            offset = end
        # §10 item 5, at the end of the segment.
        if sealed and previous == "data":
            raise fail("het laatste dataframe van dit verzegelde segment wordt niet gevolgd door een checkpoint",
                       len(data), tree.size + 1)
        if not is_last and tree.size == lines_before:
            raise fail("segment zonder gebeurtenissen, terwijl er een volgend segment is", len(data), tree.size + 1)
        if not is_last and previous != "checkpoint":
            raise fail("segment eindigt niet met een checkpoint, terwijl er een volgend segment is", len(data), tree.size + 1)
    # Problems without a frame of their own stand at the end of the last segment (torn bytes included).
    for checkpoint, source in trusted:
        if checkpoint.tree_size > tree.size:
            raise Failure(f"het log heeft {tree.size} gebeurtenissen, het vertrouwde checkpoint ({source}) {checkpoint.tree_size}: "
                          "het log is ingekort", name, len(data), tree.size + 1, torn)
    if keys and last_signed is None:
        raise Failure("geen enkel checkpoint is ondertekend; met een vertrouwde sleutel verwacht de controle handtekeningen",
                      name, len(data), tree.size + 1, torn)
    return {"gebeurtenissen": tree.size, "segmenten": len(segments), "dataframes": frames, "checkpoints": checkpoints,
            "ondertekend": signed, "nietOndertekend": unsigned, "wortel": tree.root().hex(),
            "laatsteOndertekend": last_signed.tree_size if last_signed else None,
            "sleutels": [k.key_id for k in keys], "afgebrokenStaart": torn,
            **({"ontsleuteld": zaak_keys.opened, "gewist": zaak_keys.erased} if zaak_keys is not None else {})}


# --- Artefacts (audit-proofs.md) ----------------------------------------------------------------

def load_json(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            value = json.loads(handle.read().decode("utf-8"), parse_constant=reject_constant)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise Unreadable(f"{path} is geen leesbare JSON: {error}")
    if not isinstance(value, dict) or not is_int(value.get("version")) or value["version"] != 1 \
            or not isinstance(value.get("type"), str):
        raise Unreadable(f"{path} is geen artefact van zaaklog (type en version 1 ontbreken)")
    return value


def members(value: dict, required: set[str], path: str) -> None:
    problem = member_problem(value, required)
    if problem:
        raise Unreadable(f"{path}: {problem}")


def check_inclusion(line_text, position, leaf_hex, path_hexes, checkpoint: Checkpoint, where: str) -> None:
    """audit-proofs §2, steps 2–4."""
    if not isinstance(line_text, str) or not is_int(position) or not isinstance(path_hexes, list):
        raise Unreadable(f"{where}: line, position of path heeft het verkeerde type")
    if not 1 <= position <= checkpoint.tree_size:
        raise Failure(f"{where}: positie {position} ligt buiten het checkpoint van {checkpoint.tree_size} gebeurtenissen")
    leaf = line_text.encode("utf-8")
    if not leaf.startswith(b'{"positie":%d,' % position):
        raise Failure(f"{where}: de regel staat niet op positie {position}")
    try:
        hashes = [parse_hash(h, "path") for h in path_hexes]
        claimed = parse_hash(leaf_hex, "leafHash")
    except ValueError as error:
        raise Unreadable(f"{where}: {error}")
    if leaf_hash(leaf) != claimed:
        raise Failure(f"{where}: de regel van positie {position} heeft niet de bladhash {leaf_hex}")
    if root_from_inclusion(claimed, position - 1, checkpoint.tree_size, hashes) != checkpoint.root:
        raise Failure(f"{where}: het pad van positie {position} leidt niet naar de wortel van het checkpoint "
                      f"van {checkpoint.tree_size} gebeurtenissen")


def artefact_checkpoint(value, where: str) -> Checkpoint:
    try:
        return Checkpoint.from_json(value)[0]
    except ValueError as error:
        raise Unreadable(f"{where}: {error}")


def verify_artefact(path: str, expect_bundle: bool) -> tuple[str, list[Checkpoint]]:
    """Checks the hashes of a checkpoint, proof or bundle; returns what it shows and its checkpoints."""
    doc = load_json(path)
    kind = doc["type"]
    if expect_bundle != (kind == "zaaklog-audit-bundle"):
        raise Unreadable(f"{path} is een '{kind}'; gebruik `{'bewijs' if expect_bundle else 'bundel'}`")
    if kind == "zaaklog-checkpoint":
        members(doc, {"type", "version", "checkpoint"}, path)
        checkpoint = artefact_checkpoint(doc["checkpoint"], path)
        return f"checkpoint van {checkpoint.tree_size} gebeurtenissen, wortel {checkpoint.root.hex()}", [checkpoint]
    if kind == "zaaklog-inclusion-proof":
        members(doc, {"type", "version", "position", "leafIndex", "treeSize", "line", "leafHash", "path", "checkpoint"}, path)
        checkpoint = artefact_checkpoint(doc["checkpoint"], path)
        if not all(is_int(doc[name]) for name in ("position", "leafIndex", "treeSize")):
            raise Unreadable(f"{path}: position, leafIndex of treeSize is geen geheel getal")
        if doc["treeSize"] != checkpoint.tree_size or doc["leafIndex"] != doc["position"] - 1:
            raise Failure(f"{path}: treeSize of leafIndex past niet bij het checkpoint en de positie")
        check_inclusion(doc["line"], doc["position"], doc["leafHash"], doc["path"], checkpoint, path)
        return f"positie {doc['position']} zit in het log van {checkpoint.tree_size} gebeurtenissen", [checkpoint]
    if kind == "zaaklog-consistency-proof":
        members(doc, {"type", "version", "from", "to", "path"}, path)
        old, new = artefact_checkpoint(doc["from"], path), artefact_checkpoint(doc["to"], path)
        try:
            hashes = [parse_hash(h, "path") for h in doc["path"]] if isinstance(doc["path"], list) else None
        except ValueError as error:
            raise Unreadable(f"{path}: {error}")
        if hashes is None:
            raise Unreadable(f"{path}: path is geen lijst")
        if not is_consistent(old.tree_size, old.root, new.tree_size, new.root, hashes):
            raise Failure(f"{path}: het log van {new.tree_size} gebeurtenissen begint niet met dat van {old.tree_size}: "
                          "de geschiedenis is herschreven")
        return f"het log van {new.tree_size} gebeurtenissen is een voortzetting van dat van {old.tree_size}", [old, new]
    if kind == "zaaklog-audit-bundle":
        members(doc, {"type", "version", "selection", "checkpoint", "events"}, path)
        checkpoint = artefact_checkpoint(doc["checkpoint"], path)
        selection, events = doc["selection"], doc["events"]
        if not isinstance(selection, dict) or not isinstance(events, list) or not events:
            raise Unreadable(f"{path}: selection of events ontbreekt of is leeg")
        problem = member_problem(selection, set(), {"zaak", "from", "to"})
        if problem:
            raise Unreadable(f"{path}: selection: {problem}")
        if set(selection) not in ({"zaak"}, {"from", "to"}):
            raise Unreadable(f"{path}: selection is óf {{zaak}} óf {{from, to}}, niet {sorted(selection)}")
        if not all(isinstance(v, str) and (name == "zaak" or DAY.match(v)) for name, v in selection.items()):
            raise Unreadable(f"{path}: selection heeft geen zaaknummer of geen datums JJJJ-MM-DD")
        zaak = selection.get("zaak")
        previous = 0
        for number, event in enumerate(events):
            where = f"{path}, gebeurtenis {number + 1}"
            if not isinstance(event, dict):
                raise Unreadable(f"{where} is geen object")
            members(event, {"position", "line", "leafHash", "path"}, where)
            if not is_int(event["position"]) or event["position"] <= previous:
                raise Failure(f"{where}: de posities lopen niet op")
            previous = event["position"]
            check_inclusion(event["line"], event["position"], event["leafHash"], event["path"], checkpoint, where)
            if zaak is not None:
                match = ENVELOPE.match(event["line"].encode("utf-8"))
                if not match or match[3].decode() != zaak:
                    raise Failure(f"{where}: positie {event['position']} hoort niet bij zaak {zaak}")
        what = f"zaak {zaak}" if zaak else f"{selection.get('from')} t/m {selection.get('to')}"
        return f"alle {len(events)} gebeurtenissen van {what} zitten in het log van {checkpoint.tree_size} gebeurtenissen", [checkpoint]
    raise Unreadable(f"{path} is een '{kind}'; verwacht een checkpoint, bewijs of bundel van zaaklog")


def trusted_checkpoints(path: str) -> list[Checkpoint]:
    """The checkpoints of any artefact the auditor kept (its hashes are checked too)."""
    doc = load_json(path)
    return verify_artefact(path, doc["type"] == "zaaklog-audit-bundle")[1]


def kept_checkpoints(path: str, keys: list[Key]) -> list[Checkpoint]:
    """For `log --vertrouwd`: an artefact that does not hold is unusable input, not damage to the log."""
    try:
        checkpoints = trusted_checkpoints(path)
        for checkpoint in checkpoints:
            problem = checkpoint.signature_problem(keys)
            if problem:
                raise Failure(f"{path}: {problem}")
    except Failure as failure:
        raise Unreadable(f"{failure.text()} (--vertrouwd: geen bruikbaar vertrouwd checkpoint)")
    return checkpoints


def compare(checkpoints: list[Checkpoint], trusted: list[Checkpoint], path: str) -> None:
    matched = False
    for old in trusted:
        for checkpoint in checkpoints:
            if checkpoint.tree_size == old.tree_size:
                if checkpoint.root != old.root:
                    raise Failure(f"{path}: het checkpoint van {old.tree_size} gebeurtenissen heeft wortel {checkpoint.root.hex()}, "
                                  f"het vertrouwde {old.root.hex()}: de geschiedenis is herschreven")
                matched = True
    if not matched:
        sizes = ", ".join(str(c.tree_size) for c in trusted)
        raise Unreadable(f"geen checkpoint in {path} heeft de grootte van het vertrouwde ({sizes}); vraag een consistentiebewijs vanaf die grootte")


# --- Command line -------------------------------------------------------------------------------

class Parser(argparse.ArgumentParser):
    def error(self, message):  # wrong use: exit 64, in Dutch
        for english, dutch in (("the following arguments are required", "ontbrekende argumenten"),
                               ("unrecognized arguments", "onbekende argumenten"), ("invalid choice", "ongeldige keuze"),
                               ("expected one argument", "verwacht een waarde")):
            message = message.replace(english, dutch)
        print(f"fout: {message}\nZie `{self.prog} --help`.", file=sys.stderr)
        sys.exit(USAGE)


def fingerprint_argument(text: str) -> str:
    if not HASH.match(text):
        raise argparse.ArgumentTypeError("een vingerafdruk is 64 kleine hexcijfers (SHA-256 van de 32 sleutelbytes)")
    return text


def print_log_outcome(result: dict, keys: list[Key], trusted: list[tuple[Checkpoint, str]]) -> None:
    """The verdict in words; without trusted keys never plainly "geldig" (log-format §5.1, §10)."""
    word, torn = ("geldig" if keys else "intact"), result["afgebrokenStaart"]
    counts = f"{result['gebeurtenissen']} gebeurtenissen in {result['segmenten']} segmenten; Merkle-wortel {result['wortel']}."
    if torn:
        print(f"Log is {word} tot een afgebroken laatste frame: {torn['bestand']} vanaf byte {torn['offset']} "
              f"({torn['bytes']} bytes, nooit bevestigd); de volgende schrijfactie zet het in quarantaine en kapt het af.")
        print(f"Daarvóór: {counts}")
    else:
        print(f"Log is {word}: {counts}")
    checked = f"gecontroleerd met sleutel {', '.join(result['sleutels'])}" if keys else "alleen de vorm gecontroleerd"
    print(f"Checkpoints: {result['checkpoints']}, waarvan {result['ondertekend']} ondertekend ({checked}) "
          f"en {result['nietOndertekend']} niet ondertekend.")
    if not keys:
        print("Handtekeningen niet gecontroleerd (geen --sleutel of --vingerafdruk): wie deze map kan schrijven of de "
              "privésleutel van de installatie heeft, kan het log herschreven en opnieuw ondertekend hebben.")
    if trusted:
        sizes = sorted({checkpoint.tree_size for checkpoint, _ in trusted})
        print(f"Gelijk aan de vertrouwde checkpoints (--vertrouwd) van {', '.join(map(str, sizes))} gebeurtenissen.")
    if result["laatsteOndertekend"] is not None and result["laatsteOndertekend"] < result["gebeurtenissen"]:
        print(f"Posities {result['laatsteOndertekend'] + 1}–{result['gebeurtenissen']} vallen nog onder geen "
              "ondertekend checkpoint.")


def main(argv: list[str]) -> int:
    parser = Parser(prog="zaaklog-verify.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, what in (("log", "een logmap"), ("bewijs", "een checkpoint, inclusie- of consistentiebewijs"), ("bundel", "een auditbundel")):
        command = commands.add_parser(name, help=f"controleer {what}")
        command.add_argument("pad", help="de logmap" if name == "log" else "het bestand")
        command.add_argument("--sleutel", action="append", default=[], help="publiek sleutelbestand (herhaalbaar)")
        command.add_argument("--vingerafdruk", action="append", default=[], type=fingerprint_argument,
                             help="SHA-256 van een publieke sleutel, 64 hexcijfers (herhaalbaar); de sleutel komt uit --sleutel "
                                  "of uit het .pub-bestand van de installatie")
        if name == "log":
            command.add_argument("--zaaksleutels", help="een kopie van de sleutelkluis (zaaksleutels.sqlite): ontsleutel en controleer "
                                                        "elk versleuteld veld")
            command.add_argument("--toon", action="store_true", help="met --zaaksleutels: print de regels ontsleuteld")
            command.add_argument("--vertrouwd", action="append", default=[],
                                 help="een eerder bewaard checkpoint, bewijs of bundel (herhaalbaar): het log moet die "
                                      "regels met dezelfde wortel bevatten")
        else:
            command.add_argument("--vertrouwd", help="een eerder bewaard checkpoint om de wortels mee te vergelijken")
        command.add_argument("--json", action="store_true", help="uitkomst als JSON")
    args = parser.parse_args(argv)
    signatures = "gecontroleerd" if args.sleutel or args.vingerafdruk else "niet-gecontroleerd"

    def report(outcome: dict, status: int) -> int:
        if args.json:
            print(json.dumps(outcome, ensure_ascii=False, sort_keys=True))
        return status

    try:
        keys = trusted_keys(args.sleutel, args.vingerafdruk, installation_key_file(args.pad if args.command == "log" else None))
        if args.command == "log":
            trusted = [(checkpoint, path) for path in args.vertrouwd for checkpoint in kept_checkpoints(path, keys)]
            zaak_keys = ZaakKeys(args.zaaksleutels) if args.zaaksleutels else None
            show = (lambda line: print(line.decode("utf-8"))) if args.toon and zaak_keys else None
            result = verify_log(args.pad, keys, trusted, zaak_keys, show)
            if not args.json and not show:
                print_log_outcome(result, keys, trusted)
                if zaak_keys is not None:
                    print(f"Versleutelde velden: {result['ontsleuteld']} ontsleuteld en echt, {result['gewist']} van gewiste zaken.")
            verdict = ("geldig" if keys else "intact") + ("-met-afgebroken-staart" if result["afgebrokenStaart"] else "")
            return report({"oordeel": verdict, "handtekeningen": signatures, **result},
                          TORN if result["afgebrokenStaart"] else VALID)
        summary, checkpoints = verify_artefact(args.pad, expect_bundle=args.command == "bundel")
        if args.vertrouwd:
            compare(checkpoints, trusted_checkpoints(args.vertrouwd), args.pad)
        for checkpoint in checkpoints:
            problem = checkpoint.signature_problem(keys)
            if problem:
                raise Failure(f"{args.pad}: {problem}")
        if not args.json:
            print(f"Klopt: {summary}.")
            print("Handtekeningen " + (f"geldig (sleutel {', '.join(k.key_id for k in keys)})" if keys
                                       else "niet gecontroleerd (geen --sleutel of --vingerafdruk)")
                  + (f"; gelijk aan {args.vertrouwd}" if args.vertrouwd else "") + ".")
        return report({"geldig": True, "uitkomst": summary}, VALID)
    except Failure as failure:
        print(f"fout: {failure.text()}", file=sys.stderr)
        if args.command == "log":
            return report({"oordeel": "beschadigd", "handtekeningen": signatures, "afgebrokenStaart": failure.torn,
                           "bestand": failure.file, "offset": failure.offset, "positie": failure.position,
                           "fout": failure.reason}, INVALID)
        return report({"geldig": False, "bestand": failure.file or None, "offset": failure.offset if failure.file else None,
                       "positie": failure.position if failure.file else None, "fout": failure.reason}, INVALID)
    except (Unreadable, OSError) as error:
        print(f"fout: {error}", file=sys.stderr)
        return report({"fout": str(error)} if args.command == "log" else {"geldig": False, "fout": str(error)}, UNREADABLE)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
