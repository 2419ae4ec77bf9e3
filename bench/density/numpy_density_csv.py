"""The whole-command peer of `spectralkd density`: one process that imports numpy, evaluates the
GMP density on the same evenly spaced grid (gmp_numpy.gmp_density) and writes the two columns
with `np.savetxt` (its default round-trip format, %.18e).

python3 numpy_density_csv.py Q C POINTS LO HI OUT
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gmp_numpy import gmp_density  # noqa: E402

q, c, points, lo, hi, out = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
x = np.linspace(lo, hi, points)
np.savetxt(out, np.column_stack([x, gmp_density(x, q, 1.0, c)]), delimiter=",", header="x,density", comments="")
