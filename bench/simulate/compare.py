"""bench/simulate: `spectralkd simulate` against numpy_simulate.py, same sizes, in one run.

python3 bench/simulate/compare.py [--replicas 200]
Wall time of each (one run each: these are long), the ratio, and the mean pooled eigenvalue of each
as a sanity check (both include the structural zeros' absence/presence: spectralkd pools the bulk,
numpy all C eigenvalues, so the means differ by the factor (C-1)/C).
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from summary import record  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, ".build", "release", "spectralkd")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicas", type=int, default=200)
    parser.add_argument("--sizes", default="100x10000,1000x50000")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; {args.replicas} replicas; accuracy 0.4, temperature 1")
    print(f"{'C x N':>12} {'spectralkd s':>12} {'numpy s':>8} {'ratio':>6} {'skd mean eig':>13} {'numpy mean eig':>15}")
    for size in args.sizes.split(","):
        c, n = map(int, size.split("x"))
        out = os.path.join(ROOT, "bench", ".data", "simulate")
        t = time.perf_counter()
        run = subprocess.run([BIN, "simulate", "--classes", str(c), "--samples", str(n), "--accuracy", "0.4", "--temperature", "1",
                              "--replicas", str(args.replicas), "--seed", "1", "--out", out, "--json"],
                             check=True, capture_output=True, text=True)
        ours = time.perf_counter() - t
        ours_mean = json.loads(run.stdout)["bulk_mean"]
        print(f"{size:>12} {ours:12.1f}  (numpy running...)", file=sys.stderr, flush=True)
        t = time.perf_counter()
        peer = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "numpy_simulate.py"), str(c), str(n), "0.4", "1",
                               str(args.replicas), "1"], check=True, capture_output=True, text=True)
        theirs = time.perf_counter() - t
        record("simulate", f"C x N {size}, {args.replicas} replicas", ours, "numpy loop", theirs)
        print(f"{size:>12} {ours:12.1f} {theirs:8.1f} {theirs / ours:6.1f} {ours_mean:13.4e} {float(peer.stdout) * c / (c - 1):15.4e}", flush=True)


if __name__ == "__main__":
    main()
