#!/usr/bin/env bash
# What per-zaak encryption of personal data costs (docs/avg.md): generated Utrecht traffic (DAGEN,
# default 28) appended, rebuilt into fresh read models and verified, in plain text and encrypted, in
# the same run, in ROUNDS alternating rounds (default 3); the report gives the fastest round of each and
# their ratio. Usage: bash benchmarks/encryption.sh [DAGEN [ROUNDS]].
# The report is printed and kept in benchmarks/encryption-latest.txt (replaced only by a run that completes).
exec bash "$(dirname "$0")/release-report.sh" EncryptionBenchmark encryption "$@"
