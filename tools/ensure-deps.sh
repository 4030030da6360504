#!/usr/bin/env bash
# Installs the system packages zaaklog builds and tests with, when missing (Debian/Ubuntu, as root
# or with sudo). Safe to run repeatedly: it installs nothing when everything is there.
set -euo pipefail

missing=()
pkg-config --exists liblz4 2>/dev/null || missing+=(liblz4-dev)
pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
command -v lz4 >/dev/null 2>&1 || missing+=(lz4)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v curl >/dev/null 2>&1 || missing+=(curl)
# The full-disk test makes a small ext4 image (Tests/ZaakCLITests/FullDiskCLITests.swift).
[ -x /sbin/mkfs.ext4 ] || missing+=(e2fsprogs)
# The backoffice pages are tested in a real browser (tools/web-check.py): Debian's Chromium, driven
# by Playwright, which cannot download its own browsers here.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)

if ((${#missing[@]})); then
  echo "zaaklog: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The event schemas are checked with a real JSON Schema validator (tools/check-event-schemas.py).
if command -v python3 >/dev/null 2>&1 && ! python3 -c "import jsonschema, referencing" 2>/dev/null; then
  echo "zaaklog: installing jsonschema (pip)" >&2
  python3 -m pip install -q "jsonschema>=4.18"
fi

# The independent verifier (tools/zaaklog-verify.py) reads LZ4 frames and Ed25519 signatures with
# these two, and nothing else outside the standard library.
if command -v python3 >/dev/null 2>&1 && ! python3 -c "import lz4.frame, cryptography" 2>/dev/null; then
  echo "zaaklog: installing lz4 and cryptography (pip)" >&2
  python3 -m pip install -q lz4 cryptography
fi

# The HTTP API is tested against schemas/openapi.yaml with schemathesis (tools/schemathesis.sh);
# it brings PyYAML, which the spec test in ServerTests also reads the spec with.
if command -v python3 >/dev/null 2>&1 && ! command -v schemathesis >/dev/null 2>&1; then
  echo "zaaklog: installing schemathesis (pip)" >&2
  python3 -m pip install -q "schemathesis>=4,<5"
fi

# Playwright drives that Chromium and axe-core checks each page's accessibility (tools/web-check.py).
if command -v python3 >/dev/null 2>&1 && ! python3 -c "import playwright.sync_api, axe_playwright_python.sync_playwright" 2>/dev/null; then
  echo "zaaklog: installing playwright and axe-playwright-python (pip)" >&2
  python3 -m pip install -q playwright axe-playwright-python
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "zaaklog: no Swift toolchain on PATH; install Swift 6.1 or newer (https://swift.org/install)" >&2
  exit 1
fi
