"""Side by side: `spectralkd kde` against KDEpy's FFTKDE, in one run (bench/kde/run.sh).

For n in 1e5, 1e6, 1e7 and grid 4096, with Silverman's and the ISJ bandwidth:
* end-to-end wall time of each tool as a user runs it (a process that loads the same .npy, builds
  the estimate on 4096 points and writes a CSV), median of --repeats, and the ratio;
* the estimate alone (spectralkd: SPECTRALKD_TIMINGS "estimate"; KDEpy: fit + evaluate);
* max |difference| of the densities on spectralkd's grid, relative to the peak, with KDEpy given
  spectralkd's bandwidth (so both estimate the same thing);
* ISJ bandwidths: spectralkd (2^14 grid), spectralkd on KDEpy's 1024-point grid, KDEpy as it is,
  and KDEpy rescaled by (grid span / data range), the factor its implementation omits
  (KDEpy issues #199, #201).
Data: a mixture 0.7 N(0, 1) + 0.3 N(3, 0.5^2), seeded.
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
DATA = os.path.join(ROOT, "bench", ".data", "kde")

PEER = r"""
import sys, time, numpy as np
from KDEpy import FFTKDE
x = np.load(sys.argv[1]); bw = sys.argv[2]; grid = int(sys.argv[3])
bw = float(bw) if bw not in ("silverman", "ISJ") else bw
t = time.perf_counter()
xs, ys = FFTKDE(kernel="gaussian", bw=bw).fit(x).evaluate(grid)
elapsed = time.perf_counter() - t
np.savetxt(sys.argv[4], np.column_stack([xs, ys]), delimiter=",", header="x,density", comments="")
print(elapsed)
"""


def wall(cmd, env=None):
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return time.perf_counter() - t, out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    args = parser.parse_args()
    from KDEpy import FFTKDE
    from KDEpy.bw_selection import improved_sheather_jones
    os.makedirs(DATA, exist_ok=True)
    peer_script = os.path.join(DATA, "kdepy_kde.py")
    with open(peer_script, "w") as f:
        f.write(PEER)
    print(f"{os.cpu_count()} cores; median of {args.repeats}; grid 4096; times in seconds")
    print("e2e: whole process (load .npy, estimate on 4096 points, write CSV); est: the estimate alone.")
    print("Both tools at the same bandwidth h (spectralkd's rule, passed to both as a number);")
    print("'skd+select' is spectralkd's end-to-end time when it also selects h.")
    print(f"{'n':>9} {'bw':>9} {'skd+select':>10} {'skd e2e':>8} {'KDEpy e2e':>9} {'ratio':>6} {'skd est':>8} {'KDEpy est':>9} {'ratio':>6} {'max|diff|/peak':>14}")
    isj_rows = []
    for n in map(int, args.sizes.split(",")):
        rng = np.random.default_rng(n)
        x = np.where(rng.random(n) < 0.7, rng.normal(0, 1, n), rng.normal(3, 0.5, n))
        path = os.path.join(DATA, f"x{n}.npy")
        np.save(path, x)
        for method in ("silverman", "isj"):
            ours_out = os.path.join(DATA, "ours.csv")
            cmd = [BIN, "kde", "--input", path, "--bandwidth", method, "--grid", "4096", "--out", ours_out, "--json"]
            env = dict(os.environ, SPECTRALKD_TIMINGS="1")
            selecting = []
            for _ in range(args.repeats):
                t, out = wall(cmd, env)
                selecting.append(t)
            summary = json.loads(out.stdout)
            h = summary["bandwidth"]
            grid = np.loadtxt(ours_out, delimiter=",", skiprows=1)
            fixed = [BIN, "kde", "--input", path, "--bandwidth", repr(h), "--grid", "4096", "--out", ours_out]
            ours, ours_est = [], []
            for _ in range(args.repeats):
                t, out = wall(fixed, env)
                ours.append(t)
                ours_est.append(float([w for w in out.stderr.split() if w.startswith("estimate=")][0].split("=")[1]))
            peer_out = os.path.join(DATA, "peer.csv")
            theirs, theirs_est = [], []
            for _ in range(args.repeats):
                t, out = wall([sys.executable, peer_script, path, repr(h), "4096", peer_out])
                theirs.append(t)
                theirs_est.append(float(out.stdout))
            # Densities on our grid, KDEpy at our bandwidth.
            kdepy_on_grid = FFTKDE(bw=h).fit(x).evaluate(grid[:, 0])
            diff = np.max(np.abs(kdepy_on_grid - grid[:, 1])) / grid[:, 1].max()
            e2e, est = statistics.median(ours), statistics.median(ours_est)
            pe2e, pest = statistics.median(theirs), statistics.median(theirs_est)
            record("kde", f"n {n} {method} whole command", e2e, "KDEpy FFTKDE", pe2e)
            print(f"{n:>9} {method:>9} {statistics.median(selecting):10.3f} {e2e:8.3f} {pe2e:9.3f} {pe2e / e2e:6.1f} {est:8.3f} {pest:9.3f} {pest / est:6.1f} {diff:14.2e}", flush=True)
            if method == "isj":
                small = json.loads(subprocess.run([BIN, "kde", "--input", path, "--bandwidth", "isj", "--isj-grid", "1024",
                                                   "--out", ours_out, "--json"], check=True, capture_output=True, text=True).stdout)
                kdepy = improved_sheather_jones(x.reshape(-1, 1))
                r = x.max() - x.min()
                span = r + 2 * max(0.5 * r, 6)
                isj_rows.append((n, h, small["bandwidth"], kdepy, kdepy * span / r))
    print()
    print("ISJ bandwidths (KDEpy's grid: 1024 points on [min - max(R/2, 6), max + max(R/2, 6)])")
    print(f"{'n':>9} {'skd 2^14':>10} {'skd 1024*':>10} {'KDEpy':>10} {'KDEpy x span/R':>15} {'skd/KDEpy-rescaled - 1':>23}")
    for n, ours, small, kdepy, rescaled in isj_rows:
        print(f"{n:>9} {ours:10.5f} {small:10.5f} {kdepy:10.5f} {rescaled:15.5f} {ours / rescaled - 1:23.2%}")
    print("* spectralkd with --isj-grid 1024 still pads by R/2 (no absolute 6), so its grid differs from KDEpy's when R < 12.")


if __name__ == "__main__":
    main()
