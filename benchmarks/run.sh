#!/usr/bin/env bash
# Builds and runs the append-only log benchmark; benchmarks/README.md explains the figures.
# Arguments go to LogBenchmark, e.g. `bash benchmarks/run.sh --scale 0.1 --rounds 1` for a smoke run,
# or `--only archive,proofs` for verify and the proofs of a log grown to 10M events (docs/audit.md).
# The report is printed and kept in benchmarks/latest.txt (replaced only by a run that completes).
set -euo pipefail
cd "$(dirname "$0")/.."

# System libraries: the project's own script when there is one, else the two Debian packages.
if [[ -f tools/ensure-deps.sh ]]; then
    bash tools/ensure-deps.sh
elif ! pkg-config --exists liblz4 sqlite3 2>/dev/null; then
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq liblz4-dev libsqlite3-dev pkg-config
fi

# Refuse a memory file system before spending minutes on a build: fdatasync is a no-op there, so
# every durable-append figure would be fiction. (LogBenchmark checks again for direct runs.)
dir=.bench-tmp
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    if [[ ${args[i]} == --dir ]]; then dir=${args[i + 1]:-}; fi
done
probe=$dir
while [[ ! -d $probe ]]; do probe=$(dirname "$probe"); done
fs=$(stat -f -c %T "$probe")
if [[ $fs == tmpfs || $fs == ramfs ]]; then
    echo "run.sh: $dir is on $fs, where fdatasync does nothing; durable-append figures would be meaningless." >&2
    echo "run.sh: pass --dir PATH with PATH on a real disk (the default is ./.bench-tmp)." >&2
    exit 2
fi

# A scratch path of its own, so this build never contends with a developer's .build.
swift build -c release --product LogBenchmark --scratch-path .build-bench
bin=$(swift build -c release --scratch-path .build-bench --show-bin-path)

trap 'rm -f benchmarks/latest.txt.tmp' EXIT
"$bin/LogBenchmark" "$@" | tee benchmarks/latest.txt.tmp
mv benchmarks/latest.txt.tmp benchmarks/latest.txt
