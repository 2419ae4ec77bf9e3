"""Example inputs for `spectralkd linear --data` and `spectralkd wide --gram` (numpy only).

Writes data/example_companions/:
  linear_X.npy   1000 x 20 float64: Gaussian inputs with an anisotropic covariance whose leading
                 direction is tilted towards the teacher (the data are aligned with w*, the
                 case where Phuong & Lampert's bound is informative)
  linear_w.npy   the teacher w*, length 20
  wide_inputs.npy 500 x 4: points uniform on the sphere S^2 with a bias coordinate, (x, 1)
  wide_gram.npy  500 x 500: the two-layer ReLU NTK of those inputs, computed here independently
                 of the Swift code (arc-cosine kernels of Cho & Saul)
  wide_targets.npy 500: a smooth teacher logit (a sum of three Gaussian bumps), centred

Run: python3 experiments/companion_examples.py [--out data/example_companions]
"""
import argparse
import os

import numpy as np


def relu_ntk(x):
    norms = np.linalg.norm(x, axis=1)
    dots = x @ x.T
    unit = x / norms[:, None]
    # The angle as 2 atan2(|a - b|, |a + b|) of the unit vectors (Kahan): arccos of the cosine
    # loses half the digits for nearly parallel inputs (about 1e-8 on the diagonal).
    minus = np.linalg.norm(unit[:, None, :] - unit[None, :, :], axis=2)
    plus = np.linalg.norm(unit[:, None, :] + unit[None, :, :], axis=2)
    u = 2 * np.arctan2(minus, plus)
    cos = np.cos(u)
    outer = np.outer(norms, norms) * (np.sin(u) + (np.pi - u) * cos) / (2 * np.pi)
    hidden = dots * (np.pi - u) / (2 * np.pi)
    return outer + hidden


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="data/example_companions")
    parser.add_argument("--seed", type=int, default=20261202)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out, exist_ok=True)

    d = 20
    w = rng.normal(size=d)
    direction = w / np.linalg.norm(w)
    # Covariance I + 8 v v^T with v halfway between a random direction and w*.
    v = direction + rng.normal(size=d) / np.sqrt(d)
    v /= np.linalg.norm(v)
    cov = np.eye(d) + 8.0 * np.outer(v, v)
    x = rng.multivariate_normal(np.zeros(d), cov, size=1000)
    np.save(os.path.join(args.out, "linear_X.npy"), x)
    np.save(os.path.join(args.out, "linear_w.npy"), w)

    p = 500
    s = rng.normal(size=(p, 3))
    s /= np.linalg.norm(s, axis=1, keepdims=True)
    inputs = np.hstack([s, np.ones((p, 1))])
    centres = rng.normal(size=(3, 3))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    amplitudes = 3.0 * rng.normal(size=3)
    widths = 0.3 + 0.5 * rng.random(3)
    z = sum(a * np.exp(-np.sum((s - c) ** 2, axis=1) / wd ** 2) for a, c, wd in zip(amplitudes, centres, widths))
    z -= np.median(z)
    np.save(os.path.join(args.out, "wide_inputs.npy"), inputs)
    np.save(os.path.join(args.out, "wide_gram.npy"), relu_ntk(inputs))
    np.save(os.path.join(args.out, "wide_targets.npy"), z)


if __name__ == "__main__":
    main()
