#!/usr/bin/env bash
# bench/kde: spectralkd kde vs KDEpy FFTKDE, side by side (by hand; not run by CI).
# Installs KDEpy into bench/.venv on first use.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .build/release/spectralkd ] || swift build -c release --product spectralkd
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/python -c "import KDEpy" 2>/dev/null || bench/.venv/bin/pip install -q KDEpy numpy scipy
bench/.venv/bin/python bench/kde/compare.py "$@"
