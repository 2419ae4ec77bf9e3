"""The strongest numpy pipeline a competent user writes instead of `spectralkd spectrum`.

python3 sparse_spectrum.py DIR [--teacher]
O(N C) without a teacher: softmax in the stored float32 (max subtracted, numpy's vectorised
exp), class sums S = Y^T P by a scipy.sparse one-hot product (no dense N x C one-hot), then
H = (M + M^T) / 2N with M = S - counts colsum^T / N, and eigvalsh. With --teacher also the
centred float32 product dQ^T dP (sgemm, both cores) for Hhat. Prints the eigenvalue sums.
"""
import sys

import numpy as np
import scipy.sparse as sp

folder = sys.argv[1]


def softmax(a):
    a -= a.max(axis=1, keepdims=True)
    np.exp(a, out=a)
    a /= a.sum(axis=1, keepdims=True, dtype=np.float64).astype(a.dtype)
    return a


p = softmax(np.load(f"{folder}/logits.npy"))
y = np.load(f"{folder}/labels.npy")
n, c = p.shape
onehot = sp.csr_matrix((np.ones(n, dtype=np.float32), (y, np.arange(n))), shape=(c, n))
S = np.asarray(onehot @ p, dtype=np.float64)
counts = np.bincount(y, minlength=c).astype(np.float64)
colsum = S.sum(axis=0)
M = S - np.outer(counts, colsum) / n
H = (M + M.T) / (2 * n)
out = [np.linalg.eigvalsh(H).sum()]
if "--teacher" in sys.argv:
    q = softmax(np.load(f"{folder}/teacher.npy"))
    p -= p.mean(axis=0, dtype=np.float64).astype(np.float32)
    q -= q.mean(axis=0, dtype=np.float64).astype(np.float32)
    G = (q.T @ p).astype(np.float64)
    out.append(np.linalg.eigvalsh((G + G.T) / (2 * n)).sum())
print(" ".join(repr(float(v)) for v in out))
