"""bench/density: 1e6 GMP density evaluations, spectralkd against the vectorised numpy
closed form in gmp_numpy.py, in one run. spectralkd's time is its `evaluate` stage
(SPECTRALKD_TIMINGS=1), numpy's the call of gmp_density; median of --repeats. Also prints the
largest difference between the two, relative to the peak density.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from gmp_numpy import gmp_density  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, ".build", "release", "spectralkd")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--points", type=int, default=1_000_000)
    args = parser.parse_args()
    out = os.path.join(ROOT, "bench", ".data", "density.csv")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    print(f"{os.cpu_count()} cores, numpy {np.__version__}; {args.points} points; median of {args.repeats}")
    print(f"{'q':>5} {'c':>5} {'spectralkd s':>12} {'numpy s':>8} {'ratio':>6} {'max|diff|/peak':>14}")
    for q, c in [(0.25, 0.5), (1.5, 0.3), (3.0, 0.3), (0.02, 0.4)]:
        cmd = [BIN, "density", "--q", str(q), "--scale", "1", "--correlation", str(c), "--points", str(args.points), "--out", out]
        ours = []
        for _ in range(args.repeats):
            err = subprocess.run(cmd, check=True, capture_output=True, text=True, env=dict(os.environ, SPECTRALKD_TIMINGS="1")).stderr
            ours.append(float([w for w in err.split() if w.startswith("evaluate=")][0].split("=")[1]))
        table = np.loadtxt(out, delimiter=",", skiprows=1)
        theirs = []
        for _ in range(args.repeats):
            t = time.perf_counter()
            values = gmp_density(table[:, 0], q, 1.0, c)
            theirs.append(time.perf_counter() - t)
        diff = np.max(np.abs(values - table[:, 1])) / table[:, 1].max()
        o, t = statistics.median(ours), statistics.median(theirs)
        print(f"{q:>5} {c:>5} {o:12.4f} {t:8.4f} {t / o:6.1f} {diff:14.2e}", flush=True)


if __name__ == "__main__":
    main()
