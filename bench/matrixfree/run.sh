#!/usr/bin/env bash
# bench/matrixfree: spectrum --matrix-free against the dense path and numpy's eigvalsh, time and
# peak memory, at growing class counts (by hand; not run by CI).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .build/release/spectralkd ] || swift build -c release --product spectralkd
python3 bench/matrixfree/compare.py "$@"
