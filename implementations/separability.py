"""Exact linear separability: a hyperplane or a Farkas certificate, in rationals (§1.3).

For a finite labelled set ``{(x_i, y_i)}`` with ``x_i`` in Q^n and ``y_i`` in {-1, +1},
exactly one of the following holds (Gordan's alternative, with x~ = (x, 1)):

* **separable**: some (w, b) has ``y_i (w . x_i + b) >= 1`` for every i;
* **inseparable**: some lambda >= 0, not all zero, has ``sum_i lambda_i y_i x~_i = 0``,
  i.e. ``sum lambda_i y_i = 0`` and ``sum lambda_i y_i x_i = 0``; normalised, the point
  ``sum_{y=+1} lambda_i x_i / sum_{y=+1} lambda_i`` lies in both classes' convex hulls.

``separate`` finds which, by phase I of the simplex method on
``{lambda >= 0 : sum lambda_i y_i x~_i = 0, sum lambda_i = 1}`` in exact ``Fraction``
arithmetic with Bland's rule (so it terminates: no cycling). A zero optimum gives
lambda; a positive optimum t gives the dual vector u = (v, t) with
``v . (y_i x~_i) <= -t`` for every i, so ``w~ = -v / t`` separates with margin 1.
Certificates are returned scaled to integers.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import numpy as np

from ._validate import _is_real_number, float_array, show

__protocol__ = ["separate", "Separable", "Inseparable"]

#: a valid call of every protocol name (the bad-input fuzzer varies one argument at a time)
__examples__ = {
    "separate": [dict(points=np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0]]),
                      labels=np.array([-1, 1, 1]))],
    "Separable": [dict(w=(1, -2), b=3)],
    "Inseparable": [dict(lam=(1, 0, 2))],
}
#: arguments read exactly (as rationals): integers of any size are valid there
__exact_args__ = (("separate", "points"),)


@dataclass(frozen=True)
class Separable:
    """Integer (w, b) with y_i (w . x_i + b) > 0 for all i (margin >= 1 after scaling)."""

    w: tuple[int, ...]
    b: int

    def __post_init__(self):
        _int_tuple(self.w, "w")
        if not _is_int(self.b):
            raise ValueError(f"b must be an integer, got {show(self.b)}")


@dataclass(frozen=True)
class Inseparable:
    """Integer lambda >= 0, not all 0, with sum lambda_i y_i (x_i, 1) = 0."""

    lam: tuple[int, ...]

    def __post_init__(self):
        _int_tuple(self.lam, "lam")
        if any(v < 0 for v in self.lam) or not any(self.lam):
            raise ValueError(f"lam must be >= 0 and not all 0, got {show(self.lam)}")


def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _int_tuple(v, name: str) -> None:
    """A certificate's integer vector: a non-empty tuple of (exact, unbounded) integers."""
    if not isinstance(v, tuple) or not v or not all(_is_int(x) for x in v):
        raise ValueError(f"{name} must be a non-empty tuple of integers, got {show(v)}")


def _to_fraction(v) -> Fraction:
    if isinstance(v, Fraction):
        return v
    if isinstance(v, (bool, np.bool_)):
        raise ValueError("points must be numbers, not booleans")
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))  # exact, of any size
    if not _is_real_number(v):  # text would be parsed by float(), complex truncated
        raise ValueError(f"points must be real numbers, got {show(v)}")
    fv = float(v)
    if fv != fv or fv in (float("inf"), float("-inf")):
        raise ValueError("points contain NaN or infinite entries")
    return Fraction(fv)  # exact: every float is a dyadic rational


def _validated(points, labels) -> tuple[list[list[Fraction]], list[int]]:
    not_2d = "separate: points must be a 2-D array (samples x features)"
    if isinstance(points, np.ma.MaskedArray):
        raise ValueError("points is a masked array; pass plain values (the mask would be "
                         "dropped and the hidden values used)")
    if isinstance(points, np.ndarray):
        if points.ndim != 2:
            raise ValueError(not_2d)
        rows = points.tolist()
    else:
        try:  # a scalar, or a flat sequence of numbers, has no rows to list
            rows = [list(r) for r in points]
        except TypeError:
            raise ValueError(not_2d) from None
    if len(rows) == 0:
        raise ValueError("separate: points is empty (no samples)")
    dims = {len(r) for r in rows}
    if len(dims) != 1 or 0 in dims:
        raise ValueError(f"separate: points need one positive dimension for all, got {dims}")
    N, n = len(rows), len(rows[0])
    if (n + 2) * (N + n + 3) > MAX_TABLEAU:
        raise ValueError(f"separate: {N} points of dimension {n} need a simplex tableau of "
                         f"{(n + 2) * (N + n + 3)} exact fractions, above the cap "
                         f"{MAX_TABLEAU} (each pivot touches every entry: a cap on run time)")
    X = [[_to_fraction(v) for v in r] for r in rows]
    lab = float_array(labels, "labels").ravel().tolist()  # refuses text, bool, complex
    if len(lab) != len(X):
        raise ValueError(f"separate: {len(lab)} labels for {len(X)} points")
    y = []
    for v in lab:
        if v not in (1.0, -1.0):
            raise ValueError(f"separate: labels must be in {{-1, +1}}, found {v!r}")
        y.append(int(v))
    return X, y


#: entries of the exact simplex tableau, (n + 2)(N + n + 3): each pivot touches every one
MAX_TABLEAU = 200_000


def _integer(vec: list[Fraction]) -> tuple[int, ...]:
    den = lcm(*[f.denominator for f in vec]) if vec else 1
    ints = [int(f * den) for f in vec]
    from math import gcd

    g = 0
    for v in ints:
        g = gcd(g, v)
    return tuple(v // g for v in ints) if g > 1 else tuple(ints)


def separate(points, labels) -> Separable | Inseparable:
    """Decide linear separability exactly; returns a hyperplane or a Farkas certificate."""
    X, y = _validated(points, labels)
    N, n = len(X), len(X[0])
    m = n + 2  # rows: n coordinates, the bias coordinate, and sum(lambda) = 1
    # columns: N lambdas, then m artificials; last entry of each row is the rhs
    T = []
    for r in range(m):
        row = []
        for i in range(N):
            if r < n:
                row.append(y[i] * X[i][r])
            elif r == n:
                row.append(Fraction(y[i]))
            else:
                row.append(Fraction(1))
        row += [Fraction(int(r == k)) for k in range(m)]
        row.append(Fraction(int(r == m - 1)))
        T.append(row)
    basis = [N + r for r in range(m)]
    cost = [Fraction(0)] * N + [Fraction(1)] * m
    width = N + m
    for _ in range(10_000):  # Bland's rule terminates; the cap only guards against bugs
        # reduced costs: c_j - c_B . column_j
        entering = None
        for j in range(width):
            if j in basis:
                continue
            rc = cost[j] - sum(cost[basis[r]] * T[r][j] for r in range(m))
            if rc < 0:
                entering = j
                break
        if entering is None:
            break
        ratios = [(T[r][-1] / T[r][entering], basis[r], r) for r in range(m)
                  if T[r][entering] > 0]
        _, _, pivot = min(ratios)  # ties broken by smallest basic index (Bland)
        pv = T[pivot][entering]
        T[pivot] = [v / pv for v in T[pivot]]
        for r in range(m):
            if r != pivot and T[r][entering] != 0:
                f = T[r][entering]
                T[r] = [a - f * b for a, b in zip(T[r], T[pivot])]
        basis[pivot] = entering
    else:  # pragma: no cover
        raise RuntimeError("separate: simplex did not terminate")
    objective = sum(cost[basis[r]] * T[r][-1] for r in range(m))
    if objective == 0:
        lam = [Fraction(0)] * N
        for r in range(m):
            if basis[r] < N:
                lam[basis[r]] = T[r][-1]
        return Inseparable(_integer(lam))
    # dual u = c_B B^{-1}; B^{-1} sits in the artificial columns of the final tableau
    u = [sum(cost[basis[r]] * T[r][N + k] for r in range(m)) for k in range(m)]
    t = u[-1]
    w_tilde = [-u[k] / t for k in range(n + 1)]
    ints = _integer(w_tilde)
    return Separable(w=ints[:n], b=ints[n])
