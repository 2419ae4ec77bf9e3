#!/usr/bin/env python3
"""Observed distillation runs for SpectralKD: a seeded numpy-only knowledge-distillation sweep.

Task (C = 100 classes): inputs x ~ N(0, I_64) (whitened Gaussian); the label of x is the argmax
of a fixed random tanh network 64-256-100 (the "ground truth"); 20% of the training labels are
replaced by uniformly random classes (label noise). 10000 training rows, 10000 clean test rows.

Models: one-hidden-layer ReLU MLPs trained with Adam (lr 2e-3, batch 256) written in numpy.
* teacher: 1024 hidden units, early-stopped after 6 epochs (trained longer it memorises the
  label noise and falls below the student);
* baseline students: 128 hidden units, 40 epochs, hard labels only, seeds 0..S-1;
* distilled students: same architecture and schedule, loss of docs/theory.md §5.1
      L = [CE(P_1 | Y) + alpha KL(P_T | Phat_T)] / (1 + alpha / T),
  alpha = alpha(T) = (1 - alpha_H) T^2 / alpha_H (Hinton's parametrisation: alpha_H weighs the
  hard-label cross-entropy, so ce_weight = alpha_H, kl_weight = 1 - alpha_H, KL times T^2);
  alpha_H = 0 is the soft-labels-only limit, L = T KL(P_T | Phat_T).
  Grid: T in {1, 2, 4, 8} x alpha_H in {0, 0.1, 0.5, 0.9} x seeds 0..S-1.

Outputs (under --out, default data/):
  runs/sweep.csv      one row per trained model
  example/labels.npy  test labels (int64)
  example/teacher_logits.npy, example/student_logits.npy (baseline seed 0),
  example/baseline_logits_seed{1..}.npy   test-set logits (float32)

A second, independent task (`--task deep`, used for `data/runs/sweep_deep.csv`): C = 40 classes,
32-dimensional inputs labelled by a fixed random two-hidden-layer ReLU network 32-128-128-40
(per-class offsets bring the class frequencies near 1/C),
30% label noise, teacher 512 hidden units (early-stopped after 5 epochs), students 32 hidden
units, 30 epochs; written with `--name sweep_deep` so the first sweep's files stay as they are:
    python3 experiments/distill_sweep.py --task deep --seed 4242 --name sweep_deep

Every random choice is drawn from numpy Generators seeded from --seed, so a rerun gives the same
files bit for bit on the same numpy/BLAS. `--quick` shrinks everything (a smoke test, < 1 minute).
"""
import argparse
import csv
import os
import sys
import time

import numpy as np

# The task's shape; `--task deep` changes them before anything is drawn.
CLASSES = 100
DIM = 64
TASKS = {
    # name: classes, input dimension, label noise, teacher hidden, teacher epochs, student hidden, student epochs
    "tanh": (100, 64, 0.2, 1024, 6, 128, 40),
    "deep": (40, 32, 0.3, 512, 5, 32, 30),
}


def make_task(rng, train_rows, test_rows, noise, task="tanh"):
    if task == "tanh":
        w1 = rng.standard_normal((DIM, 256)) / np.sqrt(DIM)
        w2 = rng.standard_normal((256, CLASSES)) / np.sqrt(256) * 3
        def truth(x):
            return np.argmax(np.tanh(x @ w1 * 2) @ w2, axis=1)
    else:
        v1 = rng.standard_normal((DIM, 128)) * np.sqrt(2 / DIM)
        v2 = rng.standard_normal((128, 128)) * np.sqrt(2 / 128)
        v3 = rng.standard_normal((128, CLASSES)) / np.sqrt(128)
        def scores(x):
            return np.maximum(np.maximum(x @ v1, 0) @ v2, 0) @ v3
        # A random ReLU network's argmax favours a few classes; per-class offsets, tuned on a
        # calibration sample, bring the class frequencies near 1/C (not exactly: labels stay unbalanced).
        calibration = scores(rng.standard_normal((20000, DIM)))
        offset = np.zeros(CLASSES)
        for _ in range(200):
            freq = np.bincount(np.argmax(calibration - offset, axis=1), minlength=CLASSES) / len(calibration)
            offset += 0.05 * calibration.std() * np.log((freq + 1e-3) * CLASSES)
        def truth(x):
            return np.argmax(scores(x) - offset, axis=1)
    x_train = rng.standard_normal((train_rows, DIM))
    y_train = truth(x_train)
    flip = rng.random(train_rows) < noise
    y_train[flip] = rng.integers(0, CLASSES, flip.sum())
    x_test = rng.standard_normal((test_rows, DIM))
    y_test = truth(x_test)
    return x_train, y_train, x_test, y_test


def softmax(z, t=1.0):
    z = z / t
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class MLP:
    """x -> relu(x W1 + b1) W2 + b2, He initialisation, Adam."""

    def __init__(self, rng, hidden, lr=2e-3):
        self.params = [rng.standard_normal((DIM, hidden)) * np.sqrt(2 / DIM), np.zeros(hidden),
                       rng.standard_normal((hidden, CLASSES)) * np.sqrt(1 / hidden), np.zeros(CLASSES)]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.step = 0
        self.lr = lr

    def logits(self, x):
        w1, b1, w2, b2 = self.params
        return np.maximum(x @ w1 + b1, 0) @ w2 + b2

    def train_step(self, x, grad_fn):
        """One Adam step; grad_fn(logits) returns dL/dlogits averaged over the batch."""
        w1, b1, w2, b2 = self.params
        pre = x @ w1 + b1
        h = np.maximum(pre, 0)
        z = h @ w2 + b2
        dz = grad_fn(z)
        dh = (dz @ w2.T) * (pre > 0)
        grads = [x.T @ dh, dh.sum(axis=0), h.T @ dz, dz.sum(axis=0)]
        self.step += 1
        b1c, b2c = 1 - 0.9 ** self.step, 1 - 0.999 ** self.step
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            p -= self.lr * (m / b1c) / (np.sqrt(v / b2c) + 1e-8)


def train(rng, hidden, epochs, x, grad_for_rows, batch=256):
    model = MLP(rng, hidden)
    n = len(x)
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch):
            rows = order[start:start + batch]
            model.train_step(x[rows], lambda z, rows=rows: grad_for_rows(z, rows))
    return model


def hard_gradient(y):
    def grad(z, rows):
        p = softmax(z)
        p[np.arange(len(rows)), y[rows]] -= 1
        return p / len(rows)
    return grad


def distill_gradient(y, teacher_logits, temperature, alpha_h):
    """Gradient of docs/theory.md §5.1's loss in the student logits, averaged over the batch:
    [ (P_1 - Y) + alpha (P_T - Phat_T) / T ] / (1 + alpha / T); alpha_H = 0 gives P_T - Phat_T."""
    q = softmax(teacher_logits, temperature)
    def grad(z, rows):
        soft = (softmax(z, temperature) - q[rows])
        if alpha_h == 0:
            return soft / len(rows)
        alpha = (1 - alpha_h) * temperature ** 2 / alpha_h
        hard = softmax(z)
        hard[np.arange(len(rows)), y[rows]] -= 1
        return (hard + alpha * soft / temperature) / (1 + alpha / temperature) / len(rows)
    return grad


def accuracy(model, x, y):
    return float((model.logits(x).argmax(axis=1) == y).mean())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "data"))
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--seeds", type=int, default=5, help="seeds per configuration")
    parser.add_argument("--quick", action="store_true", help="tiny smoke-test version (< 1 minute)")
    parser.add_argument("--task", choices=sorted(TASKS), default="tanh", help="which planted task (see the top of this file)")
    parser.add_argument("--name", default="sweep", help="runs/NAME.csv; the example logits go to example/ for "
                        "the default name and to example_NAME/ otherwise")
    args = parser.parse_args()
    global CLASSES, DIM
    CLASSES, DIM, noise, teacher_hidden, teacher_epochs_full, student_hidden, student_epochs_full = TASKS[args.task]

    if args.quick:
        train_rows, test_rows, teacher_epochs, student_epochs, seeds = 2000, 1000, 2, 3, 2
        temperatures, alphas = [1, 4], [0, 0.5]
    else:
        train_rows, test_rows, teacher_epochs, student_epochs, seeds = 10000, 10000, teacher_epochs_full, student_epochs_full, args.seeds
        temperatures, alphas = [1, 2, 4, 8], [0, 0.1, 0.5, 0.9]
    started = time.time()
    task_rng = np.random.default_rng([args.seed, 0])
    x_train, y_train, x_test, y_test = make_task(task_rng, train_rows, test_rows, noise=noise, task=args.task)

    rows = []
    def record(role, seed, temperature, alpha_h, acc):
        ce, kl = (alpha_h, 1 - alpha_h)
        rows.append({"role": role, "seed": seed, "temperature": temperature, "alpha_h": alpha_h,
                     "ce_weight": ce, "kl_weight": kl, "kl_times_t2": "true", "test_accuracy": f"{acc:.4f}",
                     "classes": CLASSES, "test_size": test_rows})
        print(f"[{time.time() - started:7.1f}s] {role:9s} seed {seed} T={temperature} alpha_H={alpha_h}: {acc:.4f}",
              file=sys.stderr, flush=True)

    teacher = train(np.random.default_rng([args.seed, 1]), teacher_hidden, teacher_epochs, x_train, hard_gradient(y_train))
    record("teacher", 0, 1, 1.0, accuracy(teacher, x_test, y_test))
    teacher_train_logits = teacher.logits(x_train)

    example = os.path.join(args.out, "example" if args.name == "sweep" else "example_" + args.name)
    os.makedirs(example, exist_ok=True)
    os.makedirs(os.path.join(args.out, "runs"), exist_ok=True)
    np.save(os.path.join(example, "labels.npy"), y_test.astype(np.int64))
    np.save(os.path.join(example, "teacher_logits.npy"), teacher.logits(x_test).astype(np.float32))

    for seed in range(seeds):
        model = train(np.random.default_rng([args.seed, 2, seed]), student_hidden, student_epochs, x_train, hard_gradient(y_train))
        record("baseline", seed, 1, 1.0, accuracy(model, x_test, y_test))
        name = "student_logits.npy" if seed == 0 else f"baseline_logits_seed{seed}.npy"
        np.save(os.path.join(example, name), model.logits(x_test).astype(np.float32))

    for temperature in temperatures:
        for alpha_h in alphas:
            for seed in range(seeds):
                grad = distill_gradient(y_train, teacher_train_logits, temperature, alpha_h)
                model = train(np.random.default_rng([args.seed, 2, seed]), student_hidden, student_epochs, x_train, grad)
                record("distilled", seed, temperature, alpha_h, accuracy(model, x_test, y_test))

    path = os.path.join(args.out, "runs", args.name + ".csv")
    temporary = path + ".tmp"
    with open(temporary, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)
    os.replace(temporary, path)
    print(f"wrote {len(rows)} runs to {path} in {time.time() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
