"""Side-by-side: `spectralkd spectrum` against the plain numpy pipeline, in one run.

python3 bench/spectrum/compare.py [--repeats 3] [--sizes 50000x1000,200000x1000]
Prints median wall time, the ratio and peak RSS of each, with and without a teacher, and the
time of SpectralKD's Hhat product (dsyr2k) beside one dgemm of the same shape called on this
machine's OpenBLAS (the library spectralkd links) through ctypes.
"""
import argparse
import ctypes
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, ".build", "release", "spectralkd")
DATA = os.path.join(ROOT, "bench", ".data")


def run(cmd, env=None):
    """Wall time, peak RSS (MiB) and stderr of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode()
    if status != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024, err


def dgemm_seconds(n, c, repeats):
    """Median time of one C x C dgemm with inner dimension N on Debian's OpenBLAS (what
    spectralkd links), measured in a child process so this process stays small: a forked child
    inherits the parent's resident pages, which would inflate the RSS measured for the tools."""
    out = subprocess.check_output([sys.executable, __file__, "--dgemm", str(n), str(c), str(repeats)])
    return float(out)


def _dgemm_child(n, c, repeats):
    lib = ctypes.CDLL("libopenblas.so.0")
    a, b, out = np.random.rand(n, c), np.random.rand(n, c), np.zeros((c, c))
    ptr = ctypes.POINTER(ctypes.c_double)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        lib.cblas_dgemm(101, 112, 111, c, c, n, ctypes.c_double(1.0), a.ctypes.data_as(ptr), c,
                        b.ctypes.data_as(ptr), c, ctypes.c_double(0.0), out.ctypes.data_as(ptr), c)
        times.append(time.perf_counter() - t)
    print(statistics.median(times))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="50000x1000,200000x1000")
    parser.add_argument("--dgemm", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dgemm:
        _dgemm_child(*args.dgemm)
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, numpy {np.__version__}; median of {args.repeats}")
    print(f"{'N x C':>14} {'teacher':>7} {'spectralkd s':>12} {'numpy s':>8} {'ratio':>6} "
          f"{'RSS MiB':>8} {'numpy RSS':>9} {'syr2k s':>8} {'dgemm s':>8} {'syr2k/dgemm':>11}")
    for size in args.sizes.split(","):
        n, c = map(int, size.split("x"))
        folder = os.path.join(DATA, f"{n}x{c}")
        if not os.path.exists(os.path.join(folder, "teacher.npy")):
            os.makedirs(folder, exist_ok=True)
            subprocess.check_call([sys.executable, os.path.join(os.path.dirname(__file__), "make_inputs.py"), str(n), str(c), folder])
        dgemm = None
        for teacher in (False, True):
            ours, theirs, products = [], [], []
            cmd = [BIN, "spectrum", "--labels", f"{folder}/labels.npy", "--logits", f"{folder}/logits.npy",
                   "--out", os.path.join(DATA, "out")]
            peer = [sys.executable, os.path.join(os.path.dirname(__file__), "numpy_spectrum.py"), folder]
            if teacher:
                cmd += ["--teacher-logits", f"{folder}/teacher.npy"]
                peer.append("--teacher")
            env = dict(os.environ, SPECTRALKD_TIMINGS="1")
            for _ in range(args.repeats):
                wall, rss, err = run(cmd, env)
                ours.append((wall, rss))
                for item in err.split():
                    if item.startswith("teacher_product="):
                        products.append(float(item.split("=")[1]))
                theirs.append(run(peer)[:2])
            t_ours = statistics.median(w for w, _ in ours)
            t_peer = statistics.median(w for w, _ in theirs)
            rss_ours = max(r for _, r in ours)
            rss_peer = max(r for _, r in theirs)
            line = f"{size:>14} {str(teacher):>7} {t_ours:12.3f} {t_peer:8.3f} {t_peer / t_ours:6.1f} {rss_ours:8.0f} {rss_peer:9.0f}"
            if teacher:
                dgemm = dgemm_seconds(n, c, args.repeats)
                product = statistics.median(products)
                line += f" {product:8.3f} {dgemm:8.3f} {product / dgemm:11.2f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
