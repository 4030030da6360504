#!/usr/bin/env bash
# What per-zaak encryption of personal data costs (docs/avg.md): generated Utrecht traffic (DAGEN,
# default 28) appended, rebuilt into fresh read models and verified, in plain text and encrypted, in
# the same run; the report gives both rates and their ratio. Usage: bash benchmarks/encryption.sh [DAGEN].
# The report is printed and kept in benchmarks/encryption-latest.txt (replaced only by a run that completes).
exec bash "$(dirname "$0")/release-report.sh" EncryptionBenchmark encryption "$@"
