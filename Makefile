# SpectralKD: `make demo` and `make test` install what is missing, build, and run.
SHELL := /bin/bash
DEBS := liblapacke-dev libopenblas-dev libfftw3-dev pkg-config zlib1g-dev libssl-dev libopenmpi-dev openmpi-bin
BIN := .build/release/spectralkd

.PHONY: docs bench-kernels deps pydeps build test demo notebooks check-render render-debug chromium fuzz bench bench-spectrum bench-kde bench-density bench-fit bench-simulate bench-matrixfree bench-mpi clean

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

## Every test: the experiment harness smoke test, the ecosystem fixtures (numpy, pandas,
## safetensors) checked against what those packages write now, then Swift Testing (unit, numpy reference
## fixtures, CLI end to end), then the rendered pictures when Chromium is installed.
test: deps pydeps
	python3 scripts/check_docs.py
	python3 experiments/check_quick_sweep.py
	cd Tests/ArrayIOTests/Fixtures/ecosystem && python3 make_fixtures.py --check
	@d=$$(mktemp -d) && cc -O2 -o $$d/rng_reference Tests/reference/rng_reference.c && $$d/rng_reference | diff - Tests/reference/rng_vectors.txt \
	  && echo "rng known-answer vectors: 1 passed, 0 failed"; status=$$?; rm -rf $$d; exit $$status
	SPECTRALKD_REQUIRE_MPI=1 SPECTRALKD_SLOW_TESTS=1 scripts/watchdog.sh 1800 swift test
	@if command -v chromium >/dev/null 2>&1; then $(MAKE) --no-print-directory render-debug; \
	else echo "check-render skipped: Chromium is not installed (make check-render installs it)"; fi

## numpy for the experiment harness; pandas and safetensors to check that the reader fixtures are
## what those packages write (each installed only when missing).
pydeps:
	@python3 -c "import numpy" 2>/dev/null || python3 -m pip install -q numpy
	@python3 -c "import pandas" 2>/dev/null || python3 -m pip install -q pandas
	@python3 -c "import safetensors" 2>/dev/null || python3 -m pip install -q safetensors

## The main job on the committed data in data/: spectrum, fit, kde, predict, evaluate, export,
## plots and the HTML report, all under out/demo/.
demo: build
	$(BIN) demo --data data --out out/demo

## Pictures checked as a person sees them: the demo's report and plots rendered in headless
## Chromium (Debian package `chromium`, installed when missing); fails on a blank or broken page.
check-render: chromium
	$(MAKE) --no-print-directory render-debug

render-debug:
	swift build --product spectralkd
	.build/debug/spectralkd demo --bootstrap 0 --out out/check-render >/dev/null
	python3 scripts/check_render.py out/check-render --keep out/check-render/screenshots

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian package: chromium"; sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium >/dev/null; }

## Fuzz the file readers (libFuzzer + ASan): FUZZ_SECONDS per target (default 300); fails on any
## crash, leak, slow input (> 1 s) or oversized allocation. See README "Fuzzing the readers".
FUZZ_SECONDS ?= 300
fuzz: deps
	python3 fuzz/run.py --seconds $(FUZZ_SECONDS)

## Re-execute the notebooks in notebooks-export/ on fresh exports of the demo and re-export
## their HTML (Python packages in notebooks-export/.venv).
NBVENV := notebooks-export/.venv
notebooks: demo
	@[ -x $(NBVENV)/bin/jupyter ] || { python3 -m venv $(NBVENV) && $(NBVENV)/bin/pip install -q -r notebooks-export/requirements.txt; }
	$(BIN) export --spectrum out/demo/spectrum --fit out/demo/fit --evaluate out/demo/evaluate-sweep \
	  --evaluate out/demo/evaluate-sweep-deep --evaluate out/demo/evaluate-published --out notebooks-export/data
	cd notebooks-export && for nb in spectrum_fit distillation_prediction; do \
	  .venv/bin/jupyter nbconvert --to notebook --execute --inplace $$nb.ipynb && \
	  .venv/bin/jupyter nbconvert --to html $$nb.ipynb || exit 1; done

## Side-by-side benchmarks (by hand, never in CI): numpy, scipy.sparse, KDEpy. `make bench` runs them
## all, one after another (each prints its own table), then one table of every ratio with the peer named.
bench: build
	bench/all.sh

## One benchmark at a time.
bench-spectrum: build
	bench/spectrum/run.sh
bench-kde: build
	bench/kde/run.sh
bench-density: build
	bench/density/run.sh
bench-fit: build
	bench/fit/run.sh
bench-simulate: build
	bench/simulate/run.sh
bench-matrixfree: build
	bench/matrixfree/run.sh
bench-mpi: build
	bench/mpi/run.sh

clean:
	rm -rf .build out spectrum-out $(NBVENV)

## Micro-benchmarks of the kernels (ordo-one/benchmark, in the Benchmarks/ sub-package; its
## first build takes about 6 minutes). Never in CI.
bench-kernels: deps
	cd Benchmarks && swift package benchmark --format markdown


## The documentation is Markdown in docs/ and the module READMEs, read on GitHub or in any
## viewer; this checks that every docs citation (file and § section) and every relative link resolves.
docs:
	python3 scripts/check_docs.py
