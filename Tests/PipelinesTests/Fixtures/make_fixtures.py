"""Writes the Pipelines test fixtures and their numpy reference values.

Run from this folder: python3 make_fixtures.py. The reference spectra are computed the plain
way (dense one-hot Y, centring, dY.T @ dP, numpy.linalg.eigvalsh), independently of SpectralKD.
Labels are deliberately unbalanced.
"""
import json
import numpy as np

rng = np.random.default_rng(20261123)
N, C = 300, 7
weights = np.arange(1, C + 1) / np.arange(1, C + 1).sum()
labels = rng.choice(C, size=N, p=weights).astype(np.int64)
signal = np.eye(C)[labels] * 1.5
logits = (signal + rng.normal(size=(N, C))).astype(np.float32)
teacher = signal * 1.3 + 0.7 * rng.normal(size=(N, C))


def softmax(z, t):
    z = z / t
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def h(a, b):
    da, db = a - a.mean(axis=0), b - b.mean(axis=0)
    return (da.T @ db + db.T @ da) / (2 * len(a))


def summary(p, y_onehot):
    H = h(p, y_onehot)
    return {
        "eigenvalues": np.linalg.eigvalsh(H).tolist(),
        "trace_h": float(np.trace(H)),
        "soft_accuracy": float((p * y_onehot).sum() / len(p)),
        "mean_term": float((y_onehot.mean(axis=0) * p.mean(axis=0)).sum()),
    }


Y = np.eye(C)[labels]
z64 = logits.astype(np.float64)
probs = softmax(z64, 1.0)
reference = {
    "logits_t1": summary(softmax(z64, 1.0), Y),
    "logits_t0.5": summary(softmax(z64, 0.5), Y),
    "probs_t2": summary(softmax(np.log(probs), 2.0), Y),
    "accuracy": float((logits.argmax(axis=1) == labels).mean()),
}
Ps, Pt = softmax(z64, 1.5), softmax(teacher, 3.0)
Hh = h(Ps, Pt)
reference["teacher"] = {
    "eigenvalues": np.linalg.eigvalsh(Hh).tolist(),
    "trace_hhat": float(np.trace(Hh)),
    "agreement": float((logits.argmax(axis=1) == teacher.argmax(axis=1)).mean()),
    "teacher_accuracy": float((teacher.argmax(axis=1) == labels).mean()),
}
np.save("labels.npy", labels)
np.save("logits_f32.npy", logits)
np.save("logits_f64_fortran.npy", np.asfortranarray(z64))
np.save("probs.npy", probs)
np.save("teacher_logits.npy", teacher)
with open("reference.json", "w") as f:
    json.dump(reference, f, indent=1)
