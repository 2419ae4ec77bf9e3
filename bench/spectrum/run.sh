#!/usr/bin/env bash
# bench/spectrum: spectralkd spectrum vs numpy, side by side (by hand; not run by CI).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .build/release/spectralkd ] || swift build -c release --product spectralkd
python3 bench/spectrum/compare.py "$@"
