"""bench/density: 1e6 GMP density evaluations, spectralkd against the vectorised numpy
closed form in gmp_numpy.py, in one run. `eval` columns: spectralkd's `evaluate` stage
(SPECTRALKD_TIMINGS=1) against the call of gmp_density; `whole` columns: the whole `spectralkd
density` process, CSV written, against one numpy process that evaluates the same grid and writes
it with np.savetxt (numpy_density_csv.py). Medians of --repeats, the tools alternating. Also
prints the largest difference between the two, relative to the peak density.
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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from summary import record  # noqa: E402

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
    print(f"{'q':>5} {'c':>5} {'skd eval s':>10} {'numpy s':>8} {'ratio':>6} {'skd whole s':>11} {'numpy+savetxt s':>15} "
          f"{'ratio':>6} {'max|diff|/peak':>14}")
    peer_out = os.path.join(ROOT, "bench", ".data", "density-numpy.csv")
    peer_script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "numpy_density_csv.py")
    for q, c in [(0.25, 0.5), (1.5, 0.3), (3.0, 0.3), (0.02, 0.4)]:
        cmd = [BIN, "density", "--q", str(q), "--scale", "1", "--correlation", str(c), "--points", str(args.points), "--out", out]
        ours, ours_whole, peer_whole = [], [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            err = subprocess.run(cmd, check=True, capture_output=True, text=True, env=dict(os.environ, SPECTRALKD_TIMINGS="1")).stderr
            ours_whole.append(time.perf_counter() - start)
            ours.append(float([w for w in err.split() if w.startswith("evaluate=")][0].split("=")[1]))
            if not peer_whole:
                table = np.loadtxt(out, delimiter=",", skiprows=1)
            start = time.perf_counter()
            subprocess.run([sys.executable, peer_script, str(q), str(c), str(args.points), repr(float(table[0, 0])), repr(float(table[-1, 0])), peer_out],
                           check=True)
            peer_whole.append(time.perf_counter() - start)
        theirs = []
        for _ in range(args.repeats):
            t = time.perf_counter()
            values = gmp_density(table[:, 0], q, 1.0, c)
            theirs.append(time.perf_counter() - t)
        diff = np.max(np.abs(values - table[:, 1])) / table[:, 1].max()
        o, t = statistics.median(ours), statistics.median(theirs)
        ow, tw = statistics.median(ours_whole), statistics.median(peer_whole)
        record("density", f"q {q} c {c}, {args.points} points, eval", o, "numpy closed form", t)
        record("density", f"q {q} c {c}, {args.points} points, whole", ow, "numpy + np.savetxt", tw)
        print(f"{q:>5} {c:>5} {o:10.4f} {t:8.4f} {t / o:6.1f} {ow:11.3f} {tw:15.3f} {tw / ow:6.1f} {diff:14.2e}", flush=True)


if __name__ == "__main__":
    main()
