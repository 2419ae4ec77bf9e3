"""Weak scaling of `mpirun -n K spectralkd spectrum` on K shards (docs/theory.md §1.7).

Each rank gets one shard of --rows x --classes float32 logits, so the work grows with K. For each
K: one process on the K-shard list, `mpirun -n K` on it, and the numpy peer a competent user
writes for shards (a loop: softmax, class sums by np.add.at, no dense one-hot; then eigvalsh).
Whole processes, page cache warm (each command is run once before it is timed). On a 2-core
machine, K = 3 and 4 oversubscribe the cores: their times show the cost of more ranks than cores,
not scaling. Absolute times vary between machines; the ratios are the point.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from summary import record  # noqa: E402

NUMPY_PEER = r'''
import sys, numpy as np
shards = sys.argv[1:]
s = None
for ypath, zpath in zip(shards[0::2], shards[1::2]):
    y = np.load(ypath); z = np.load(zpath).astype(np.float64)
    z -= z.max(axis=1, keepdims=True); p = np.exp(z); p /= p.sum(axis=1, keepdims=True)
    if s is None:
        c = p.shape[1]; s = np.zeros((c, c)); counts = np.zeros(c); sums = np.zeros(c); n = 0
    np.add.at(s, y, p); counts += np.bincount(y, minlength=c); sums += p.sum(axis=0); n += len(y)
m = s / n - np.outer(counts / n, sums / n)
np.linalg.eigvalsh((m + m.T) / 2)
'''

MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none"]


def timed(command, repeats):
    subprocess.run(command, check=True, capture_output=True)  # warm the page cache
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        out = subprocess.run(command, capture_output=True, text=True)
        best = min(best, time.perf_counter() - start)
        if out.returncode != 0:
            sys.exit(f"failed: {' '.join(command)}\n{out.stderr[-2000:]}")
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50000, help="rows per shard (one shard per rank)")
    parser.add_argument("--classes", type=int, default=1000)
    parser.add_argument("--ranks", default="1,2,3,4")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    binary = os.path.abspath(".build/release/spectralkd")
    ranks = [int(k) for k in args.ranks.split(",")]
    rng = np.random.default_rng(0)
    print(f"weak scaling: one shard of {args.rows} x {args.classes} float32 logits per rank; "
          f"{os.cpu_count()} cores; best of {args.repeats}, whole processes (s)")
    print(f"{'ranks':>5} {'rows':>8} {'numpy loop':>11} {'1 process':>10} {'mpirun -n K':>12} {'numpy/mpi':>10} {'1 proc/mpi':>11} {'bits equal':>11}")
    with tempfile.TemporaryDirectory() as d:
        for k in range(max(ranks)):
            y = rng.integers(0, args.classes, args.rows)
            z = rng.normal(size=(args.rows, args.classes)).astype(np.float32)
            z[np.arange(args.rows), y] += 3
            np.save(os.path.join(d, f"y_{k}.npy"), y)
            np.save(os.path.join(d, f"z_{k}.npy"), z)
        peer = os.path.join(d, "peer.py")
        open(peer, "w").write(NUMPY_PEER)
        for k in ranks:
            names = ",".join
            labels = names(os.path.join(d, f"y_{i}.npy") for i in range(k))
            logits = names(os.path.join(d, f"z_{i}.npy") for i in range(k))
            base = ["spectrum", "--labels", labels, "--logits", logits]
            one = timed([binary] + base + ["--out", os.path.join(d, "one")], args.repeats)
            mpi = timed(MPIRUN + ["-n", str(k), binary] + base + ["--out", os.path.join(d, "mpi")], args.repeats)
            pairs = [p for i in range(k) for p in (os.path.join(d, f"y_{i}.npy"), os.path.join(d, f"z_{i}.npy"))]
            numpy_time = timed([sys.executable, peer] + pairs, args.repeats)
            same = open(os.path.join(d, "one", "eigenvalues.csv"), "rb").read() == open(os.path.join(d, "mpi", "eigenvalues.csv"), "rb").read()
            case = f"{k} ranks x {args.rows} x {args.classes}"
            record("mpi", case, mpi, "numpy loop over shards", numpy_time, "" if same else "bits differ")
            record("mpi", case, mpi, "spectralkd, 1 process", one)
            print(f"{k:>5} {k * args.rows:>8} {numpy_time:>11.2f} {one:>10.2f} {mpi:>12.2f} {numpy_time / mpi:>10.2f} {one / mpi:>11.2f} {str(same):>11}")


if __name__ == "__main__":
    main()
