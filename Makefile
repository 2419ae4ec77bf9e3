# SpectralKD: `make demo` and `make test` install what is missing, build, and run.
SHELL := /bin/bash
DEBS := liblapacke-dev libopenblas-dev libfftw3-dev pkg-config zlib1g-dev
BIN := .build/release/spectralkd

.PHONY: deps pydeps build test demo bench-spectrum bench-kde bench-density bench-fit clean

## Install the Debian packages that are missing (only those).
deps:
	@missing=""; \
	for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	fi

## Release build of the `spectralkd` command.
build: deps
	swift build -c release --product spectralkd

## Every test: the experiment harness smoke test, then Swift Testing (unit, numpy reference
## fixtures, CLI end to end).
test: deps pydeps
	python3 experiments/check_quick_sweep.py
	swift test

## numpy for the experiment harness (installed only when missing).
pydeps:
	@python3 -c "import numpy" 2>/dev/null || python3 -m pip install -q numpy

## The main job on the committed data in data/.
demo: build
	$(BIN) spectrum --labels data/example/labels.npy --logits data/example/student_logits.npy \
	  --teacher-logits data/example/teacher_logits.npy --out out/demo/spectrum
	$(BIN) fit --spectrum out/demo/spectrum --bootstrap 39 --seed 1 --out out/demo/fit
	$(BIN) kde --input out/demo/spectrum --bandwidth isj --out out/demo/kde.csv

## Side-by-side benchmarks (by hand, never in CI): numpy, KDEpy.
bench-spectrum: build
	bench/spectrum/run.sh
bench-kde: build
	bench/kde/run.sh
bench-density: build
	bench/density/run.sh
bench-fit: build
	bench/fit/run.sh

clean:
	rm -rf .build out spectrum-out
