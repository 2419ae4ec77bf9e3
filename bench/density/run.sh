#!/usr/bin/env bash
# bench/density: GMP density evaluation, spectralkd vs numpy closed form (by hand; not run by CI).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .build/release/spectralkd ] || swift build -c release --product spectralkd
python3 bench/density/compare.py "$@"
