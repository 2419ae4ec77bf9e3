"""Benchmark inputs: float32 logits of a planted classifier and int64 labels, N x C.

python3 make_inputs.py N C OUTDIR   (seeded; about 4 N C bytes per logits file)
"""
import sys
import numpy as np

n, c, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(n * 7 + c)
labels = rng.integers(0, c, size=n)
logits = rng.standard_normal((n, c), dtype=np.float32) * 2
logits[np.arange(n), labels] += 3
teacher = rng.standard_normal((n, c), dtype=np.float32) * 2
teacher[np.arange(n), labels] += 4
np.save(f"{out}/labels.npy", labels)
np.save(f"{out}/logits.npy", logits)
np.save(f"{out}/teacher.npy", teacher)
