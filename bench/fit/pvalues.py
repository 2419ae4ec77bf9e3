"""The bootstrap p-value has one law under both replicate samplers (issue 15).

One spectrum (a numpy generalised Wishart: M x N Gaussians X, W with correlation c,
F = (X W^T + W X^T) / 2N), then `spectralkd fit --bootstrap B` with 200 seeds under
`--bootstrap-sampler bartlett` and `direct`. Given the data, each p-value is (1 + #exceed)/(B + 1)
for B replicates of the fitted law, so if the two samplers draw the same law the 200 p-values of
each have one distribution. Prints both summaries and a two-sample KS test (scipy). By hand; not
run by CI.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy import stats


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dimension", type=int, default=60)
    parser.add_argument("--samples", type=int, default=600)
    parser.add_argument("--correlation", type=float, default=0.4)
    parser.add_argument("--replicates", type=int, default=39)
    parser.add_argument("--seeds", type=int, default=200)
    args = parser.parse_args()
    binary = ".build/release/spectralkd"
    m, n, c = args.dimension, args.samples, args.correlation
    rng = np.random.default_rng(2026)
    x = rng.normal(size=(m, n))
    w = c * x + np.sqrt(1 - c * c) * rng.normal(size=(m, n))
    ev = np.linalg.eigvalsh((x @ w.T + w @ x.T) / (2 * n))
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "ev.csv")
        np.savetxt(path, ev, header="eigenvalue", comments="")
        values = {}
        for sampler in ["bartlett", "direct"]:
            start = time.perf_counter()
            ps = []
            for seed in range(1, args.seeds + 1):
                out = subprocess.run([binary, "fit", "--eigenvalues", path, "--q", repr(m / n), "--bootstrap", str(args.replicates),
                                      "--seed", str(seed), "--bootstrap-sampler", sampler, "--out", os.path.join(d, "fit"), "--json"],
                                     capture_output=True, text=True)
                if out.returncode != 0:
                    sys.exit(out.stderr)
                ps.append(json.loads(out.stdout)["p_value"])
            values[sampler] = np.array(ps)
            print(f"{sampler:>8}: {args.seeds} p-values, mean {values[sampler].mean():.4f}, sd {values[sampler].std(ddof=1):.4f}, "
                  f"median {np.median(values[sampler]):.4f}  ({time.perf_counter() - start:.1f} s)")
        ks = stats.ks_2samp(values["bartlett"], values["direct"])
        print(f"M = {m}, N = {n}, c = {c}, B = {args.replicates}: two-sample KS {ks.statistic:.4f}, p = {ks.pvalue:.3f}")


if __name__ == "__main__":
    main()
