#!/usr/bin/env python3
"""Smoke test run by `make test`: the --quick sweep runs, and its outputs parse and are sane.

Also checks the committed data/runs/*.csv and data/example/*.npy files the same way.
Prints 'N passed, N failed' and exits non-zero on any failure.
"""
import csv
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
results = []


def check(name, condition):
    results.append(bool(condition))
    if not condition:
        print(f"FAILED: {name}", file=sys.stderr)


def check_sweep(path, expect_rows=None):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    expected = ["role", "seed", "temperature", "alpha_h", "ce_weight", "kl_weight", "kl_times_t2",
                "test_accuracy", "classes", "test_size"]
    check(f"{path}: columns", list(rows[0].keys()) == expected)
    if expect_rows is not None:
        check(f"{path}: {len(rows)} rows, expected {expect_rows}", len(rows) == expect_rows)
    roles = [r["role"] for r in rows]
    check(f"{path}: one teacher", roles.count("teacher") == 1)
    check(f"{path}: baselines", roles.count("baseline") >= 2)
    for r in rows:
        acc, ah = float(r["test_accuracy"]), float(r["alpha_h"])
        check(f"{path}: accuracy in [0, 1]", 0 <= acc <= 1)
        check(f"{path}: alpha_h in [0, 1]", 0 <= ah <= 1)
        check(f"{path}: ce + kl weights", abs(float(r["ce_weight"]) + float(r["kl_weight"]) - 1) < 1e-12)
        check(f"{path}: above chance", acc > 1 / int(r["classes"]))
    return rows


def check_example(folder, test_size, classes=100):
    labels = np.load(os.path.join(folder, "labels.npy"))
    check("labels int64 vector", labels.dtype == np.int64 and labels.shape == (test_size,))
    check("labels in range", labels.min() >= 0 and labels.max() < classes)
    for name in ["teacher_logits.npy", "student_logits.npy"]:
        z = np.load(os.path.join(folder, name))
        check(f"{name} float32 N x {classes}", z.dtype == np.float32 and z.shape == (test_size, classes))
        check(f"{name} finite", np.isfinite(z).all())


with tempfile.TemporaryDirectory() as out:
    subprocess.run([sys.executable, os.path.join(HERE, "distill_sweep.py"), "--quick", "--out", out],
                   check=True, stderr=subprocess.DEVNULL)
    rows = check_sweep(os.path.join(out, "runs", "sweep.csv"), expect_rows=1 + 2 + 2 * 2 * 2)
    check_example(os.path.join(out, "example"), int(rows[0]["test_size"]))
    # Same seed, same bits.
    again = os.path.join(out, "again")
    subprocess.run([sys.executable, os.path.join(HERE, "distill_sweep.py"), "--quick", "--out", again],
                   check=True, stderr=subprocess.DEVNULL)
    with open(os.path.join(out, "runs", "sweep.csv")) as a, open(os.path.join(again, "runs", "sweep.csv")) as b:
        check("quick sweep is reproducible", a.read() == b.read())

committed = os.path.join(DATA, "runs", "sweep.csv")
if os.path.exists(committed):
    rows = check_sweep(committed, expect_rows=1 + 5 + 4 * 4 * 5)
    check_example(os.path.join(DATA, "example"), int(rows[0]["test_size"]))
    teacher = [float(r["test_accuracy"]) for r in rows if r["role"] == "teacher"][0]
    baseline = np.mean([float(r["test_accuracy"]) for r in rows if r["role"] == "baseline"])
    check("teacher clearly better than the baseline student", teacher > baseline + 0.02)
deep = os.path.join(DATA, "runs", "sweep_deep.csv")
if os.path.exists(deep):
    rows = check_sweep(deep, expect_rows=1 + 5 + 4 * 4 * 5)
    check("sweep_deep has 40 classes", all(r["classes"] == "40" for r in rows))
    check_example(os.path.join(DATA, "example_sweep_deep"), int(rows[0]["test_size"]), classes=40)
    labels = np.load(os.path.join(DATA, "example_sweep_deep", "labels.npy"))
    counts = np.bincount(labels, minlength=40)
    check("sweep_deep labels roughly balanced", counts.min() > 100 and counts.max() < 400)
    teacher = [float(r["test_accuracy"]) for r in rows if r["role"] == "teacher"][0]
    baseline = np.mean([float(r["test_accuracy"]) for r in rows if r["role"] == "baseline"])
    check("sweep_deep teacher better than the baseline student", teacher > baseline + 0.02)
# The deep task's quick version runs too (a different task and shapes).
with tempfile.TemporaryDirectory() as out:
    subprocess.run([sys.executable, os.path.join(HERE, "distill_sweep.py"), "--quick", "--task", "deep", "--name", "d", "--out", out],
                   check=True, stderr=subprocess.DEVNULL)
    rows = check_sweep(os.path.join(out, "runs", "d.csv"), expect_rows=1 + 2 + 2 * 2 * 2)
    check_example(os.path.join(out, "example_d"), int(rows[0]["test_size"]), classes=40)
published = os.path.join(DATA, "runs", "published_kd.csv")
with open(published, newline="") as f:
    for r in csv.DictReader(f):
        for key in ["teacher_acc", "student_acc", "kd_acc"]:
            check(f"published {key} is a fraction", 0 < float(r[key]) < 1)

passed, failed = sum(results), len(results) - sum(results)
print(f"experiments: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
