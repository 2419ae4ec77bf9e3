#!/usr/bin/env bash
# bench/simulate: spectralkd simulate vs numpy, side by side (by hand; not run by CI; ~10 minutes).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .build/release/spectralkd ] || swift build -c release --product spectralkd
python3 bench/simulate/compare.py "$@"
