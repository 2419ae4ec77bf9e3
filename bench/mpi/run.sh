#!/usr/bin/env bash
# bench/mpi: weak scaling of the sharded spectrum over 1-4 MPI ranks against one process on the
# same shards and a numpy loop over them (by hand; not run by CI).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .build/release/spectralkd ] || swift build -c release --product spectralkd
python3 bench/mpi/scaling.py "$@"
