# SpectralKD: `make demo` and `make test` install what is missing, build, and run.
SHELL := /bin/bash
DEBS := liblapacke-dev libopenblas-dev libfftw3-dev pkg-config zlib1g-dev
BIN := .build/release/spectralkd

.PHONY: deps pydeps build test demo bench-spectrum clean

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

## Side-by-side benchmark against numpy (by hand, not in CI): see bench/spectrum/README.md.
bench-spectrum: build
	bench/spectrum/run.sh

clean:
	rm -rf .build out spectrum-out
