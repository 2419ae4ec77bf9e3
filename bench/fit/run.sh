#!/usr/bin/env bash
# bench/fit: time of the GMP distance fit on 10^4 eigenvalues (by hand; not run by CI).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .build/release/spectralkd ] || swift build -c release --product spectralkd
python3 bench/fit/compare.py "$@"
