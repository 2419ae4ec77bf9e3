"""Side-by-side: `spectralkd spectrum` against two numpy peers, in one run.

python3 bench/spectrum/compare.py [--repeats 3] [--sizes 50000x1000,200000x1000] [--teacher both|no|yes]
Peers: the plain script with a dense one-hot GEMM (numpy_spectrum.py), and the strongest one a
competent user writes (sparse_spectrum.py: float32 softmax, scipy.sparse one-hot product,
O(N C); float32 sgemm for the teacher). Each configuration alternates the tools, repeats times,
and prints medians, the ratios to both peers and peak RSS. SpectralKD runs twice: `cold` hashes
its inputs (digest cache off), `warm` finds the digests in a fresh cache primed by one run.
With a teacher, `double s` is SpectralKD's float64 path (--softmax-precision double
--teacher-precision double), what the teacher path was before the float32 one.
"""
import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from summary import record  # noqa: E402

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="50000x1000,200000x1000")
    parser.add_argument("--teacher", choices=["both", "no", "yes"], default="both",
                        help="configurations to run: without a teacher, with one, or both")
    args = parser.parse_args()
    teachers = {"both": (False, True), "no": (False,), "yes": (True,)}[args.teacher]
    here = os.path.dirname(__file__)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, numpy {np.__version__}; median of {args.repeats}; "
          "times vary from run to run on a shared machine, ratios less")
    print(f"{'N x C':>14} {'teacher':>7} {'cold s':>7} {'warm s':>7} {'dense s':>8} {'sparse s':>8} {'vs dense':>8} "
          f"{'vs sparse':>9} {'RSS MiB':>8} {'sparse RSS':>10} {'double s':>8} {'vs double':>9}")
    cache = tempfile.mkdtemp(prefix="spectralkd-bench-cache-")
    for size in args.sizes.split(","):
        n, c = map(int, size.split("x"))
        folder = os.path.join(DATA, f"{n}x{c}")
        if not os.path.exists(os.path.join(folder, "teacher.npy")):
            os.makedirs(folder, exist_ok=True)
            subprocess.check_call([sys.executable, os.path.join(here, "make_inputs.py"), str(n), str(c), folder])
            time.sleep(2.5)  # the digest cache stores files unchanged for 2 s
        for teacher in teachers:
            cmd = [BIN, "spectrum", "--labels", f"{folder}/labels.npy", "--logits", f"{folder}/logits.npy",
                   "--out", os.path.join(DATA, "out")]
            dense = [sys.executable, os.path.join(here, "numpy_spectrum.py"), folder]
            sparse = [sys.executable, os.path.join(here, "sparse_spectrum.py"), folder]
            if teacher:
                cmd += ["--teacher-logits", f"{folder}/teacher.npy"]
                dense.append("--teacher")
                sparse.append("--teacher")
            double = cmd + ["--softmax-precision", "double", "--teacher-precision", "double"]
            cold_env = dict(os.environ, SPECTRALKD_CACHE_DIR="off")
            warm_env = dict(os.environ, SPECTRALKD_CACHE_DIR=cache)
            run(cmd, warm_env)  # primes the digest cache
            times = {k: [] for k in ("cold", "warm", "dense", "sparse", "double")}
            rss = {k: [] for k in times}
            for _ in range(args.repeats):
                for key, command, env in (("cold", cmd, cold_env), ("warm", cmd, warm_env), ("dense", dense, None),
                                          ("sparse", sparse, None), ("double", double, warm_env)):
                    if key == "double" and not teacher:
                        continue
                    wall, peak, _ = run(command, env)
                    times[key].append(wall)
                    rss[key].append(peak)
            m = {k: statistics.median(v) if v else float("nan") for k, v in times.items()}
            line = (f"{size:>14} {str(teacher):>7} {m['cold']:7.3f} {m['warm']:7.3f} {m['dense']:8.3f} {m['sparse']:8.3f} "
                    f"{m['dense'] / m['warm']:8.1f} {m['sparse'] / m['warm']:9.2f} {max(rss['warm']):8.0f} {max(rss['sparse']):10.0f}")
            if teacher:
                line += f" {m['double']:8.3f} {m['double'] / m['warm']:9.2f}"
            print(line, flush=True)
            case = f"{size}" + (" teacher" if teacher else "") + " warm"
            record("spectrum", case, m["warm"], "numpy + scipy.sparse one-hot", m["sparse"])
            record("spectrum", case, m["warm"], "numpy dense one-hot GEMM", m["dense"])
            if teacher:
                record("spectrum", case, m["warm"], "spectralkd float64 path", m["double"])


if __name__ == "__main__":
    main()
