#!/usr/bin/env python3
"""Independent reference values of the GMP CDF (docs/theory.md §2.2-2.3) for LawsTests.

The density comes from numpy's companion-matrix roots of the cubic in g (not SpectralKD's
closed form in u = 1/g), picking the root with the largest |Im g|; the CDF is scipy's adaptive
quadrature (QUADPACK) of that density from the lower edge, with the edges found as the points
where the density vanishes (bisection on a fine scan). Run from this folder:
    python3 make_cdf_reference.py   (writes cdf_reference.json)
"""
import json

import numpy as np
from scipy.integrate import quad


def density(x, q, s2, c):
    a, b = s2 * (1 + c) / 2, s2 * (1 - c) / 2
    z = x + 0j
    coeffs = [-z * q * q * a * b, z * q * (b - a) - q * a * b * (2 - q), z - (a - b) * (1 - q), -1]
    if abs(coeffs[0]) < 1e-300:
        coeffs = coeffs[1:]
    roots = np.roots(coeffs)
    return max(abs(r.imag) for r in roots) / np.pi


def edges(q, s2, c):
    xs = np.linspace(-4 * s2 * (1 + q), 6 * s2 * (1 + q), 20001)
    inside = np.array([density(x, q, s2, c) > 1e-12 for x in xs])
    lo_i, hi_i = np.argmax(inside), len(inside) - 1 - np.argmax(inside[::-1])
    def refine(a, b):  # a outside, b inside
        for _ in range(80):
            m = (a + b) / 2
            if density(m, q, s2, c) > 1e-13: b = m
            else: a = m
        return (a + b) / 2
    return refine(xs[lo_i - 1], xs[lo_i]), refine(xs[hi_i + 1], xs[hi_i])


cases = []
for q, s2, c in [(0.25, 1.0, 0.5), (0.25, 1.0, 0.0), (1.5, 1.0, 0.3), (0.02, 1e-3, 0.4), (0.6, 2.0, -0.7)]:
    lo, hi = edges(q, s2, c)
    points = []
    for t in [0.001, 0.05, 0.2, 0.5, 0.8, 0.95, 0.999]:
        x = lo + t * (hi - lo)
        value, error = quad(density, lo, x, args=(q, s2, c), epsabs=1e-14, epsrel=1e-13, limit=400)
        points.append({"x": x, "cdf": value, "quad_error": error})
    cases.append({"q": q, "scale": s2, "correlation": c, "lower": lo, "upper": hi, "points": points})
with open("cdf_reference.json", "w") as f:
    json.dump(cases, f, indent=1)
print(json.dumps(cases[0], indent=1)[:600])
