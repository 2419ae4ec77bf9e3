"""Matrix-free against dense spectra, whole processes, one table (docs/theory.md §1.6).

For N = 2000 random float32 logits at each C: spectralkd spectrum --matrix-free (t = 0.1), the
dense spectralkd spectrum, and numpy (softmax, H by a one-hot-free class-sum product, eigvalsh)
where the dense work fits (C <= --dense-max). Wall time and peak resident memory from
/usr/bin/time -v. Absolute times vary with the machine; the ratios are the point.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from summary import record  # noqa: E402

NUMPY_PEER = r'''
import sys, numpy as np
y = np.load(sys.argv[1]); z = np.load(sys.argv[2]).astype(np.float64)
z -= z.max(axis=1, keepdims=True); p = np.exp(z); p /= p.sum(axis=1, keepdims=True)
n, c = p.shape
s = np.zeros((c, c)); np.add.at(s, y, p)            # Y^T P without a dense one-hot
ybar = np.bincount(y, minlength=c) / n; pbar = p.mean(axis=0)
m = s / n - np.outer(ybar, pbar)
h = (m + m.T) / 2
np.linalg.eigvalsh(h)
'''


def timed(command):
    out = subprocess.run(["/usr/bin/time", "-v"] + command, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{out.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", out.stderr).group(1)
    parts = [float(x) for x in wall.split(":")]
    seconds = parts[-1] + 60 * (parts[-2] if len(parts) > 1 else 0)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1)) / 1024
    return seconds, rss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--classes", default="1000,2000,5000,20000")
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--dense-max", type=int, default=5000)
    args = parser.parse_args()
    binary = ".build/release/spectralkd"
    rng = np.random.default_rng(0)
    print(f"N = {args.rows}; matrix-free at --slq-tolerance 0.1; times are whole processes (s), memory peak RSS (MB)")
    print(f"{'C':>7} {'matrix-free':>14} {'dense':>14} {'numpy':>14} {'dense/free':>11}")
    with tempfile.TemporaryDirectory() as d:
        for c in [int(x) for x in args.classes.split(",")]:
            y = rng.integers(0, c, args.rows)
            z = rng.normal(size=(args.rows, c)).astype(np.float32)
            z[np.arange(args.rows), y] += 3
            yp, zp = os.path.join(d, "y.npy"), os.path.join(d, "z.npy")
            np.save(yp, y); np.save(zp, z)
            free = timed([binary, "spectrum", "--labels", yp, "--logits", zp, "--matrix-free", "--slq-tolerance", "0.1",
                          "--out", os.path.join(d, "mf")])
            dense = peer = None
            if c <= args.dense_max:
                dense = timed([binary, "spectrum", "--labels", yp, "--logits", zp, "--out", os.path.join(d, "dense")])
                script = os.path.join(d, "peer.py")
                open(script, "w").write(NUMPY_PEER)
                peer = timed([sys.executable, script, yp, zp])
            cell = lambda r: f"{r[0]:6.2f} / {r[1]:5.0f}" if r else f"{'(not run)':>14}"
            ratio = f"{dense[0] / free[0]:11.2f}" if dense else f"{'':>11}"
            if dense:
                record("matrixfree", f"C {c}, N {args.rows}", free[0], "spectralkd dense path", dense[0])
                record("matrixfree", f"C {c}, N {args.rows}", free[0], "numpy dense", peer[0])
            print(f"{c:>7} {cell(free):>14} {cell(dense):>14} {cell(peer):>14} {ratio}")


if __name__ == "__main__":
    main()
