"""Independent checkers of separability certificates, in exact arithmetic.

These never trust the implementation that produced a certificate: they re-verify the
defining (in)equalities with ``fractions.Fraction`` (single certificates) or with int64
matrix products on integer data (the Boolean census, where every entry stays far below
2^63).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np


def _frac_points(points) -> list[list[Fraction]]:
    return [[Fraction(v) if not isinstance(v, float) else Fraction(v) for v in row]
            for row in (points.tolist() if isinstance(points, np.ndarray) else points)]


def hyperplane_separates(points, labels, w, b) -> bool:
    """Exact: y_i (w . x_i + b) > 0 for every i."""
    X = _frac_points(points)
    w = [Fraction(v) for v in w]
    b = Fraction(b)
    return all(int(y) * (sum(wi * xi for wi, xi in zip(w, x)) + b) > 0
               for x, y in zip(X, list(labels)))


def farkas_certifies_inseparable(points, labels, lam, *, homogeneous: bool = False) -> bool:
    """Exact: lam >= 0, lam != 0, sum lam_i y_i = 0 and sum lam_i y_i x_i = 0.

    Then for any (w, b): sum lam_i y_i (w . x_i + b) = 0, which is impossible if every
    term were > 0 - so no hyperplane separates the labelled set. With ``homogeneous``
    the condition sum lam_i y_i = 0 is dropped: it then rules out hyperplanes through
    the origin (b = 0) only.
    """
    X = _frac_points(points)
    lam = [Fraction(v) for v in lam]
    y = [int(v) for v in labels]
    if len(lam) != len(X) or any(v < 0 for v in lam) or not any(v > 0 for v in lam):
        return False
    if not homogeneous and sum(l * yi for l, yi in zip(lam, y)) != 0:
        return False
    n = len(X[0])
    return all(sum(l * yi * x[k] for l, yi, x in zip(lam, y, X)) == 0 for k in range(n))


def common_hull_point(points, labels, lam) -> tuple[Fraction, ...]:
    """The point sum_{y=+1} lam_i x_i / sum_{y=+1} lam_i, which a valid Farkas vector
    places in both classes' convex hulls."""
    X = _frac_points(points)
    pos = [(Fraction(l), x) for l, yi, x in zip(lam, labels, X) if int(yi) == 1 and l]
    tot = sum(l for l, _ in pos)
    return tuple(sum(l * x[k] for l, x in pos) / tot for k in range(len(X[0])))


def census_certificates_valid(points: np.ndarray, separable: np.ndarray, weights: np.ndarray,
                              lam: np.ndarray) -> np.ndarray:
    """For every Boolean function code c, whether its certificate is valid (int64, exact).

    points: (K, n) in {0,1}; code c has label y_k = +1 iff bit k of c is set.
    """
    K = points.shape[0]
    codes = np.arange(separable.shape[0], dtype=np.int64)
    Y = 2 * ((codes[:, None] >> np.arange(K)) & 1) - 1          # (F, K)
    Xt = np.hstack([points, np.ones((K, 1), dtype=np.int64)])    # (K, n+1)
    if np.abs(weights).max(initial=0) > 2**40 or np.abs(lam).max(initial=0) > 2**40:
        raise OverflowError("certificate entries too large for exact int64 checking")
    margins = Y * (weights @ Xt.T)                               # (F, K)
    ok_sep = np.all(margins > 0, axis=1)
    combo = (lam * Y) @ Xt                                       # (F, n+1)
    ok_ins = np.all(lam >= 0, axis=1) & np.any(lam > 0, axis=1) & np.all(combo == 0, axis=1)
    return np.where(separable, ok_sep, ok_ins)
