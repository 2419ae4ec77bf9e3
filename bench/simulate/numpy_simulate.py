"""The numpy script a user would write instead of `spectralkd simulate` (no teacher):
for each replica, uniform labels, planted student outputs (Gaussian logits with the largest moved
onto the planted top class: the label with probability ACC, else a random other class), softmax at
TAU, H = (dY^T dP + dP^T dY)/2N with a dense one-hot Y, eigvalsh, pooled.

python3 numpy_simulate.py C N ACC TAU REPLICAS SEED
"""
import sys

import numpy as np

c, n, acc, tau, replicas, seed = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
pooled = []
for r in range(replicas):
    rng = np.random.default_rng([seed, r])
    y = rng.integers(0, c, n)
    other = (y + rng.integers(1, c, n)) % c
    top = np.where(rng.random(n) < acc, y, other)
    z = rng.standard_normal((n, c))
    rows = np.arange(n)
    best = z.argmax(axis=1)
    zb, zt = z[rows, best].copy(), z[rows, top].copy()
    z[rows, best], z[rows, top] = zt, zb
    z = (z - z.max(axis=1, keepdims=True)) / tau
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    Y = np.zeros((n, c))
    Y[rows, y] = 1
    dP, dY = p - p.mean(axis=0), Y - Y.mean(axis=0)
    M = dY.T @ dP
    pooled.append(np.linalg.eigvalsh((M + M.T) / (2 * n)))
print(np.concatenate(pooled).mean())
