"""bench/fit: the distance fit of 10^4 pooled eigenvalues (10 Gaussian generalised Wisharts,
M = 1000, T = 10000, s2 = 1, c = 0.4, drawn with numpy), timed inside spectralkd (its `fit`
stage, SPECTRALKD_TIMINGS=1) and end to end; median of --repeats. No peer fits this law (scikit-rmt
has none), so there is no ratio: the time is reported in README.
"""
import argparse
import json
import os
import statistics
import subprocess
import time

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, ".build", "release", "spectralkd")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
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


if __name__ == "__main__":
    main()
