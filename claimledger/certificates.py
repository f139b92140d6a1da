"""Independent checkers of separability certificates, in exact arithmetic.

These never trust the implementation that produced a certificate: they re-verify the
defining (in)equalities with ``fractions.Fraction`` (single certificates) or with int64
matrix products on integer data (the Boolean census, where every entry stays far below
2^63).
"""
from __future__ import annotations

import itertools
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


def boolean_cube(n: int) -> np.ndarray:
    """The 2^n points of {0,1}^n in lexicographic order (x_1 most significant), int64.

    Recomputed here so that a census is checked against points the checker made, never
    against points handed over by the implementation under test."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 0 <= n <= 6:
        raise ValueError(f"boolean_cube: n must be an integer in 0..6, got {n!r}")
    return np.array(list(itertools.product((0, 1), repeat=int(n))),
                    dtype=np.int64).reshape(1 << int(n), int(n))


def _integer_table(name: str, a) -> np.ndarray:
    a = np.asarray(a)
    if not np.issubdtype(a.dtype, np.integer):
        raise TypeError(f"{name} must hold integers (an exact certificate), got dtype {a.dtype}")
    return a.astype(np.int64)


def census_certificates_valid(n: int, separable, weights, lam, codes=None) -> np.ndarray:
    """For every Boolean function code, whether its certificate is valid (int64, exact).

    Code c has label y_k = +1 iff bit k of c is set, p_k the k-th point of {0,1}^n
    (recomputed by :func:`boolean_cube`). ``codes`` defaults to 0..len(separable)-1 (the
    full table); otherwise it lists the codes (uint64 for n = 6). A separable code needs
    integer (w, b) with y_k (w . p_k + b) > 0 for all k; the others an integer Farkas
    vector lambda >= 0, lambda != 0, with sum_k lambda_k y_k (p_k, 1) = 0. Float tables
    are refused (TypeError): a rounded certificate proves nothing.
    """
    points = boolean_cube(n)
    K = points.shape[0]
    separable = np.asarray(separable)
    if separable.dtype != np.bool_:
        raise TypeError(f"separable must be a bool array, got dtype {separable.dtype}")
    weights = _integer_table("weights", weights)
    lam = _integer_table("lam", lam)
    F = separable.shape[0]
    if weights.shape != (F, n + 1) or lam.shape != (F, K):
        raise ValueError(f"certificate tables have shapes {weights.shape} and {lam.shape}, "
                         f"expected {(F, n + 1)} and {(F, K)}")
    if codes is None:
        codes = np.arange(F, dtype=np.uint64)
    codes = np.asarray(codes)
    if not np.issubdtype(codes.dtype, np.integer) or codes.shape != (F,):
        raise TypeError("codes must be an integer array with one code per verdict")
    codes = codes.astype(np.uint64)
    if np.abs(weights).max(initial=0) > 2**40 or np.abs(lam).max(initial=0) > 2**40:
        raise OverflowError("certificate entries too large for exact int64 checking")
    Xt = np.hstack([points, np.ones((K, 1), dtype=np.int64)])    # (K, n+1)
    out = np.zeros(F, dtype=bool)
    for lo in range(0, F, 1 << 16):  # chunks keep the (chunk, K) label table small
        sl = slice(lo, lo + (1 << 16))
        bits = (codes[sl, None] >> np.arange(K, dtype=np.uint64)) & np.uint64(1)
        Y = 2 * bits.astype(np.int64) - 1                         # (chunk, K)
        margins = Y * (weights[sl] @ Xt.T)
        ok_sep = np.all(margins > 0, axis=1)
        combo = (lam[sl] * Y) @ Xt
        ok_ins = (np.all(lam[sl] >= 0, axis=1) & np.any(lam[sl] > 0, axis=1)
                  & np.all(combo == 0, axis=1))
        out[sl] = np.where(separable[sl], ok_sep, ok_ins)
    return out


def comparable_pair_codes(prev_codes, n: int) -> np.ndarray:
    """Sorted codes f0 + 2^(2^(n-1)) f1 of n inputs over ordered pairs (f0, f1) of
    ``prev_codes`` (functions of n - 1 inputs) with f0 implies f1 or f1 implies f0.

    Written apart from the implementation: a pair is comparable iff f0 | f1 is one of
    them (f0 implies f1 iff f0 | f1 == f1)."""
    prev = np.unique(np.asarray(prev_codes).astype(np.uint64))
    half = np.uint64(1 << (n - 1))
    out = []
    for lo in range(0, prev.size, 512):
        f0 = prev[lo:lo + 512, None]
        union = f0 | prev[None, :]
        i, j = np.nonzero((union == f0) | (union == prev[None, :]))
        out.append(prev[lo + i] + (prev[j] << half))
    return np.sort(np.concatenate(out)) if out else np.zeros(0, dtype=np.uint64)


def cube_orbit_codes(code: int, n: int) -> np.ndarray:
    """Sorted codes of the orbit of the function ``code`` of n inputs under permuting and
    negating inputs and negating the output (computed here, apart from the implementation)."""
    cube = boolean_cube(n)
    K = cube.shape[0]
    powers = 1 << np.arange(n - 1, -1, -1)
    maps = np.array([((cube[:, list(perm)] ^ np.array(flip)) @ powers)
                     for perm in itertools.permutations(range(n))
                     for flip in itertools.product((0, 1), repeat=n)], dtype=np.int64)
    bits = ((np.uint64(code) >> np.arange(K, dtype=np.uint64)) & np.uint64(1)).astype(np.uint64)
    weights = np.uint64(1) << np.arange(K, dtype=np.uint64)
    images = [(bits[maps] * weights).sum(axis=1, dtype=np.uint64),
              ((np.uint64(1) - bits)[maps] * weights).sum(axis=1, dtype=np.uint64)]
    return np.unique(np.concatenate(images))


def class_pairs_count(n: int, prev_codes, reps, codes, rep_of, separable) -> tuple[int, list]:
    """Check a class-by-class census of n inputs and return (count, class sizes).

    ``prev_codes`` are the verified threshold functions of n - 1 inputs. Requires: the
    orbits of ``reps`` (under the n - 1 input group with output negation, computed here)
    partition ``prev_codes``; ``codes`` are exactly the pairs r + 2^(2^(n-1)) b with r a
    representative and b in ``prev_codes`` comparable with r, ``rep_of`` naming r. The
    certificates themselves are checked by :func:`census_certificates_valid`. The count is
    sum over separable pairs of the size of their representative's class."""
    prev = np.unique(np.asarray(prev_codes).astype(np.uint64))
    reps = np.asarray(reps).astype(np.uint64)
    sizes, seen = [], []
    for r in reps.tolist():
        orbit = cube_orbit_codes(r, n - 1)
        sizes.append(orbit.size)
        seen.append(orbit)
    union = np.concatenate(seen)
    if union.size != prev.size or not np.array_equal(np.sort(union), prev):
        raise AssertionError("the representatives' orbits do not partition the previous level")
    half = np.uint64(1 << (n - 1))
    low = np.uint64((1 << (1 << (n - 1))) - 1)
    expected = []
    for r in reps:
        union_rb = r | prev
        comp = (union_rb == prev) | (union_rb == r)
        expected.append(r + (prev[comp] << half))
    expected = np.sort(np.concatenate(expected))
    codes = np.asarray(codes).astype(np.uint64)
    if codes.size != expected.size or not np.array_equal(np.sort(codes), expected):
        raise AssertionError("the pairs are not exactly (representative, comparable function)")
    rep_of = np.asarray(rep_of)
    if not np.array_equal(codes & low, reps[rep_of]):
        raise AssertionError("rep_of does not name each pair's representative")
    sizes_arr = np.array(sizes, dtype=np.int64)
    return int(sizes_arr[rep_of[np.asarray(separable)]].sum()), sizes
