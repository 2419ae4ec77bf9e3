#!/usr/bin/env bash
# `make bench`: every side-by-side benchmark in one run, then one table of ratios (bench/summary.py).
# Never run by CI. Each benchmark prints its own detailed table as it goes.
set -euo pipefail
cd "$(dirname "$0")/.."
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
export SPECTRALKD_BENCH_SUMMARY="$summary"
for b in spectrum density kde fit simulate matrixfree mpi; do
  echo "== bench/$b"
  "bench/$b/run.sh"
done
python3 bench/summary.py "$summary"
