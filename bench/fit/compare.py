"""bench/fit: the distance fit of 10^4 pooled eigenvalues (10 Gaussian generalised Wisharts,
M = 1000, T = 10000, s2 = 1, c = 0.4, drawn with numpy), timed inside spectralkd (its `fit`
stage, SPECTRALKD_TIMINGS=1) and end to end; median of --repeats. No peer fits this law (scikit-rmt
has none), so there is no ratio: the time is reported in README.

Then the parametric bootstrap (`--bootstrap 99`, one spectrum of M = 300 at q = 0.25) with one
worker thread and with all cores (SPECTRALKD_THREADS), and their ratio: replicates run in parallel
and must give the same p-value.

Then issue 15's size: `fit --bootstrap 99` of one generalised Wishart spectrum with M = 999 and
N = 400000 (drawn once by `spectralkd sample wishart`, s2 = 1e-3, c = 0.3), Bartlett replicates
(O(M^3) each) against the direct M x N sampler (O(M^2 N) each), which is timed on 2 replicates
and scaled to 99 (`--large no` skips this part).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from summary import record  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, ".build", "release", "spectralkd")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--large", choices=["yes", "no"], default="yes", help="the M = 999, N = 400000 bootstrap")
    args = parser.parse_args()
    folder = os.path.join(ROOT, "bench", ".data", "fit")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "eigenvalues.csv")
    if not os.path.exists(path):
        rng = np.random.default_rng(1)
        m, t, c = 1000, 10000, 0.4
        values = []
        for _ in range(10):
            z1, z2 = rng.standard_normal((m, t)), rng.standard_normal((m, t))
            x, w = z1, c * z1 + np.sqrt(1 - c * c) * z2
            values.append(np.linalg.eigvalsh((x @ w.T + w @ x.T) / (2 * t)))
        np.savetxt(path, np.sort(np.concatenate(values)), header="eigenvalue", comments="")
    for method in ("distance", "moments"):
        cmd = [BIN, "fit", "--eigenvalues", path, "--q", "0.1", "--method", method, "--out", os.path.join(folder, "out"), "--json"]
        inside, outside = [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            run = subprocess.run(cmd, check=True, capture_output=True, text=True, env=dict(os.environ, SPECTRALKD_TIMINGS="1"))
            outside.append(time.perf_counter() - start)
            inside.append(float([w for w in run.stderr.split() if w.startswith("fit=")][0].split("=")[1]))
        s = json.loads(run.stdout)
        print(f"{method:>9}: n {s['n']}, fit {statistics.median(inside):.3f} s, end to end {statistics.median(outside):.3f} s; "
              f"s2 {s['scale']:.4f} (true 1), c {s['correlation']:.4f} (true 0.4), KS {s['ks']:.4f}, adequate {s['adequate']}")

    bootstrap(folder, args.repeats)
    if args.large == "yes":
        bootstrap_large(folder)


def bootstrap(folder, repeats):
    path = os.path.join(folder, "one_spectrum.csv")
    if not os.path.exists(path):
        rng = np.random.default_rng(2)
        m, t, c = 300, 1200, 0.4
        z1, z2 = rng.standard_normal((m, t)), rng.standard_normal((m, t))
        x, w = z1, c * z1 + np.sqrt(1 - c * c) * z2
        np.savetxt(path, np.linalg.eigvalsh((x @ w.T + w @ x.T) / (2 * t)), header="eigenvalue", comments="")
    cmd = [BIN, "fit", "--eigenvalues", path, "--q", "0.25", "--bootstrap", "99", "--seed", "1",
           "--out", os.path.join(folder, "out-bootstrap"), "--json"]
    times, p = {}, {}
    for threads in ("1", str(os.cpu_count())):
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            run = subprocess.run(cmd, check=True, capture_output=True, text=True, env=dict(os.environ, SPECTRALKD_THREADS=threads))
            runs.append(time.perf_counter() - start)
        times[threads], p[threads] = statistics.median(runs), json.loads(run.stdout)["p_value"]
    one, many = times["1"], times[str(os.cpu_count())]
    print(f"bootstrap 99 (M = 300): 1 thread {one:.2f} s, {os.cpu_count()} threads {many:.2f} s, speed-up {one / many:.2f}x; "
          f"p-value {p['1']} and {p[str(os.cpu_count())]} (must be equal)")

    record("fit", "bootstrap 99, M = 300, q = 0.25", many, "spectralkd, 1 worker thread", one)


def bootstrap_large(folder):
    m, n = 999, 400000
    path = os.path.join(folder, f"gmp_{m}x{n}.csv")
    if not os.path.exists(path):
        subprocess.run([BIN, "sample", "wishart", "--kind", "generalized", "--dimension", str(m), "--samples", str(n),
                        "--correlation", "0.3", "--scale", "1e-3", "--seed", "1", "--out", path], check=True, capture_output=True)
    base = [BIN, "fit", "--eigenvalues", path, "--q", repr(m / n), "--seed", "1", "--json"]
    start = time.perf_counter()
    run = subprocess.run(base + ["--bootstrap", "99", "--out", os.path.join(folder, "out-large")], check=True, capture_output=True, text=True)
    bartlett = time.perf_counter() - start
    s = json.loads(run.stdout)
    start = time.perf_counter()
    subprocess.run(base + ["--bootstrap", "2", "--bootstrap-sampler", "direct", "--out", os.path.join(folder, "out-large-direct")],
                   check=True, capture_output=True, text=True)
    direct2 = time.perf_counter() - start
    print(f"bootstrap 99 (M = {m}, N = {n}): Bartlett {bartlett:.1f} s, p-value {s['p_value']}, s2 {s['scale']:.4e} (true 1e-3), "
          f"c {s['correlation']:.4f} (true 0.3); direct sampler 2 replicates {direct2:.1f} s, so about {direct2 * 99 / 2:.0f} s for 99")
    record("fit", f"bootstrap 99, M = {m}, N = {n}", bartlett, "direct M x N sampler (2 reps x 49.5)", direct2 * 99 / 2)


if __name__ == "__main__":
    main()
