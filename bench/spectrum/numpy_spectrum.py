"""The plain numpy pipeline a user would write instead of `spectralkd spectrum`.

python3 numpy_spectrum.py DIR [--teacher]
load, softmax (float64), centre, dY.T @ dP with a dense one-hot Y, symmetrise, eigvalsh;
with --teacher also dQ.T @ dP. Prints the sorted eigenvalues' sum as a checksum.
"""
import sys
import numpy as np

folder = sys.argv[1]
z = np.load(f"{folder}/logits.npy").astype(np.float64)
y = np.load(f"{folder}/labels.npy")
n, c = z.shape


def softmax(a):
    a = a - a.max(axis=1, keepdims=True)
    np.exp(a, out=a)
    a /= a.sum(axis=1, keepdims=True)
    return a


p = softmax(z)
del z
Y = np.zeros((n, c))
Y[np.arange(n), y] = 1
dP = p - p.mean(axis=0)
dY = Y - Y.mean(axis=0)
M = dY.T @ dP
H = (M + M.T) / (2 * n)
ev = np.linalg.eigvalsh(H)
out = [ev.sum()]
if "--teacher" in sys.argv:
    q = softmax(np.load(f"{folder}/teacher.npy").astype(np.float64))
    dQ = q - q.mean(axis=0)
    G = dQ.T @ dP
    Hh = (G + G.T) / (2 * n)
    out.append(np.linalg.eigvalsh(Hh).sum())
print(" ".join(repr(float(v)) for v in out))
