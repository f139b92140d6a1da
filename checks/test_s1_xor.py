"""Evidence for §1.3: XOR, convex hulls, exact separability and the Boolean census."""
from __future__ import annotations

import time
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given

from checks.support import strategies as S
from claimledger.certificates import (census_certificates_valid, common_hull_point,
                                         farkas_certifies_inseparable, hyperplane_separates)
from claimledger.symbolic import linear as _linear

claim = pytest.mark.claim

XOR_POINTS = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_LABELS = [-1, 1, 1, -1]  # output 1 -> +1 (score >= 0), output 0 -> -1 (score < 0)


def _motzkin_infeasible(rows, strict, lam) -> bool:
    """Exact: lam >= 0, sum lam_k c_k = 0, sum over strict rows lam_k > 0. Then the
    system {c_k . theta > 0 (strict) / >= 0} has no solution theta (Motzkin)."""
    lam = [Fraction(v) for v in lam]
    if any(v < 0 for v in lam):
        return False
    combo = [sum(l * Fraction(r[j]) for l, r in zip(lam, rows)) for j in range(len(rows[0]))]
    return all(c == 0 for c in combo) and sum(l for l, s in zip(lam, strict) if s) > 0


@claim("xor-sign-constraints-infeasible", kind="exact")
def test_xor_system_has_motzkin_certificate(evidence):
    # theta = (w1, w2, b); rows c_k with c_k . theta > 0 or >= 0, as in the article
    rows = [(0, 0, -1),    # b < 0                 from (0,0) -> 0
            (0, 1, 1),     # w2 + b >= 0           from (0,1) -> 1
            (1, 0, 1),     # w1 + b >= 0           from (1,0) -> 1
            (-1, -1, -1)]  # w1 + w2 + b < 0       from (1,1) -> 0
    strict = [True, False, False, True]
    lam = [1, 1, 1, 1]
    assert _motzkin_infeasible(rows, strict, lam), "(1,1,1,1) must certify infeasibility"
    assert not _motzkin_infeasible(rows, strict, [1, 1, 1, 0]), "checker must be able to fail"
    evidence.note("exact Motzkin certificate lambda = (1,1,1,1): the four constraint rows sum "
                  "to 0 with positive weight on the strict ones, so 0 > 0 would follow")


@claim("xor-sign-constraints-infeasible", kind="exact")
def test_decision_procedure_certifies_xor(impl, evidence):
    cert = impl.separate(XOR_POINTS, XOR_LABELS)
    assert hasattr(cert, "lam"), f"XOR reported separable: {cert}"
    assert farkas_certifies_inseparable(XOR_POINTS, XOR_LABELS, cert.lam)
    evidence.note(f"separate(XOR) -> Farkas lambda = {tuple(cert.lam)}, verified exactly")


@claim("xor-inequality-sums", kind="symbolic")
def test_xor_inequality_sums_symbolic(evidence):
    w1, w2, b = sp.symbols("w1 w2 b", real=True)
    assert sp.expand((w2 + b) + (w1 + b) - (w1 + w2 + 2 * b)) == 0
    assert sp.expand(b + (w1 + w2 + b) - (w1 + w2 + 2 * b)) == 0
    # S = w1 + w2 + 2b would lie in [0, oo) and in (-oo, 0): an empty intersection
    both = sp.Intersection(sp.Interval(0, sp.oo), sp.Interval.open(-sp.oo, 0))
    assert both == sp.EmptySet, f"intersection is {both}"
    evidence.note("sympy: (2)+(3) = w1+w2+2b >= 0 and (1)+(4) = w1+w2+2b < 0; "
                  "[0, oo) and (-oo, 0) are disjoint")


@claim("xor-hull-diagonals-meet-at-center", kind="exact")
def test_xor_diagonals_meet_at_center(evidence):
    half = Fraction(1, 2)
    p = tuple(half * a + half * c for a, c in zip((0, 0), (1, 1)))
    q = tuple(half * a + half * c for a, c in zip((0, 1), (1, 0)))
    assert p == q == (half, half)
    cert_point = common_hull_point(XOR_POINTS, XOR_LABELS, [1, 1, 1, 1])
    assert cert_point == (half, half)
    evidence.note("exact: (0,0)/2 + (1,1)/2 = (0,1)/2 + (1,0)/2 = (1/2, 1/2), the point the "
                  "Farkas vector (1,1,1,1) exhibits in both hulls")


def _assert_certificate(X, y, cert):
    if hasattr(cert, "lam"):
        assert farkas_certifies_inseparable(X, y, cert.lam), f"invalid Farkas vector {cert}"
        p = common_hull_point(X, y, cert.lam)
        neg = [(Fraction(l), x) for l, yi, x in zip(cert.lam, y, X.tolist()) if yi == -1 and l]
        tot = sum(l for l, _ in neg)
        assert tuple(sum(l * x[k] for l, x in neg) / tot for k in range(X.shape[1])) == p, \
            "the certificate's point is not in the negative class's hull"
        return "inseparable"
    assert hyperplane_separates(X, y, cert.w, cert.b), f"invalid hyperplane {cert}"
    return "separable"


@claim("separable-iff-hulls-disjoint", kind="exact", scope="instance")
@given(data=S.labelled_point_sets(dim=2, max_size=9), dim3=S.labelled_point_sets(dim=3))
def test_every_set_gets_a_verified_certificate(impl, evidence, data, dim3):
    for X, y in (data, dim3):
        kind = _assert_certificate(X, y, impl.separate(X, y))
        evidence.count(f"{kind} sets certified exactly")


# -- symbolic dimension n and symbolic class sizes m, k -------------------------------
N_DIM = sp.Symbol("n", integer=True, positive=True)
I_, J_ = sp.symbols("i j", integer=True, positive=True)  # coordinate, point


def _dot(f, c):
    return sp.Sum(sp.sympify(f) * sp.sympify(c), (I_, 1, N_DIM))


@claim("separable-iff-hulls-disjoint", kind="symbolic")
def test_common_hull_point_forbids_separation_symbolic(evidence):
    """Intersecting hulls => no separating hyperplane, for any n and class sizes m, k.
    p = sum_j lam_j a_j (lam >= 0, sum lam = 1) has w . p + b = sum_j lam_j (w . a_j + b):
    a convex combination of the positive class's scores, so > 0 when each score >= r > 0;
    the same p as a convex combination of the negative class gives w . p + b < 0."""
    m = sp.Symbol("m", integer=True, positive=True)
    w, a = sp.IndexedBase("w", real=True), sp.IndexedBase("a", real=True)
    lam, e = sp.IndexedBase("lam", nonnegative=True), sp.IndexedBase("e", nonnegative=True)
    b, r = sp.Symbol("b", real=True), sp.Symbol("r", positive=True)
    # w . p with p_i = sum_j lam_j a_{j,i}: exchange the two finite sums
    w_dot_p = sp.Sum(w[I_] * lam[J_] * a[J_, I_], (J_, 1, m), (I_, 1, N_DIM))
    by_point = w_dot_p.reorder((0, 1))
    assert by_point == sp.Sum(w[I_] * lam[J_] * a[J_, I_], (I_, 1, N_DIM), (J_, 1, m))
    sum_lam = sp.Sum(lam[J_], (J_, 1, m))
    scores = sp.Sum(lam[J_] * (sp.Sum(w[I_] * a[J_, I_], (I_, 1, N_DIM)) + b), (J_, 1, m))
    # the combination of scores minus (w . p + b sum lam): 0 by linearity (lam_j is free
    # of the coordinate index i, so it moves inside the inner sum over i)
    split = _linear(scores)
    inner = split.replace(
        lambda z: isinstance(z, sp.Sum) and isinstance(z.function, sp.Mul)
        and any(isinstance(f, sp.Sum) for f in z.function.args),
        lambda z: sp.Sum(*[sp.Mul(*[f for f in z.function.args if not isinstance(f, sp.Sum)])
                           * f.function for f in z.function.args if isinstance(f, sp.Sum)],
                         *[f.limits[0] for f in z.function.args if isinstance(f, sp.Sum)],
                         *z.limits))
    assert sp.expand(inner - (by_point + b * sum_lam)) == 0, inner
    # every positive score is r + e_j with e_j >= 0: sum_j lam_j (r + e_j) = r sum lam + ...
    combo = _linear(sp.Sum(lam[J_] * (r + e[J_]), (J_, 1, m)))
    assert sp.expand(combo - (r * sum_lam + sp.Sum(lam[J_] * e[J_], (J_, 1, m)))) == 0
    assert (combo.subs(sum_lam, 1)).is_positive, "w . p + b > 0 for p in the positive hull"
    # the negative class's scores are -(r' + e'_l): the same p then has w . p + b < 0
    neg = _linear(sp.Sum(lam[J_] * (-(r + e[J_])), (J_, 1, m))).subs(sum_lam, 1)
    assert neg.is_negative, "w . p + b < 0 for p in the negative hull"
    evidence.note("sympy, symbolic n and class size m: w . (sum lam_j a_j) + b = sum lam_j "
                  "(w . a_j + b) (sum exchange + linearity, sum lam = 1); a convex combination "
                  "of scores >= r > 0 is > 0, of scores <= -r < 0 is < 0: one point cannot be both")


@claim("separable-iff-hulls-disjoint", kind="symbolic")
def test_disjoint_hulls_give_separating_hyperplane_symbolic(evidence):
    """Disjoint hulls => a strictly separating hyperplane, for any n. Let p, q be a nearest
    pair of points of the two hulls (they exist: the distance is continuous on the product
    of two compact sets, Weierstrass; this is the one step not done in sympy), p != q.
    Every a in the positive hull has (a - p) . (p - q) >= 0: otherwise, with g = (a-p).(p-q)
    < 0 and A = ||a - p||^2, the point p + s (a - p), s = min(1, -g/A), lies in the hull
    and is closer to q. Then w = p - q, b = (||q||^2 - ||p||^2)/2 separates strictly."""
    a, p, q = (sp.IndexedBase(v, real=True) for v in ("a", "p", "q"))
    s = sp.Symbol("s", positive=True)
    G, D = sp.symbols("G D", positive=True)  # g = -G < 0; D = ||p - q||^2 > 0 (p != q)
    s7 = sp.Symbol("s7", nonnegative=True)
    i = I_
    # ||p + s (a - p) - q||^2 = ||p - q||^2 + 2 s (a - p).(p - q) + s^2 ||a - p||^2
    moved = _dot(p[i] + s * (a[i] - p[i]) - q[i], p[i] + s * (a[i] - p[i]) - q[i])
    expansion = (_dot(p[i] - q[i], p[i] - q[i]) + 2 * s * _dot(a[i] - p[i], p[i] - q[i])
                 + s**2 * _dot(a[i] - p[i], a[i] - p[i]))
    assert _linear(moved - expansion) == 0, "expansion of the moved distance"
    # with g = -G and s A = G - s7 (s <= -g/A, s7 >= 0) the distance falls by s G + s s7 > 0
    change = sp.expand(2 * s * (-G) + s * (G - s7))  # 2 s g + s^2 A with s^2 A = s (s A)
    assert sp.expand(change - (-s * G - s * s7)) == 0 and change.is_negative
    # the hyperplane: w . a + b = (a - p) . (p - q) + ||p - q||^2 / 2 for every a
    w_dot = _dot(p[i] - q[i], a[i])
    b = (_dot(q[i], q[i]) - _dot(p[i], p[i])) / 2
    assert _linear(w_dot + b - (_dot(a[i] - p[i], p[i] - q[i])
                                + _dot(p[i] - q[i], p[i] - q[i]) / 2)) == 0
    # and for c in the negative hull: w . c + b = -((c - q) . (q - p) + ||p - q||^2 / 2)
    c = sp.IndexedBase("c", real=True)
    assert _linear(_dot(p[i] - q[i], c[i]) + b + (_dot(c[i] - q[i], q[i] - p[i])
                                                   + _dot(p[i] - q[i], p[i] - q[i]) / 2)) == 0
    v = sp.Symbol("v", nonnegative=True)  # the variational inequality's value, >= 0
    assert (v + D / 2).is_positive and (-(v + D / 2)).is_negative
    evidence.note("sympy, symbolic n: the moved-distance expansion, the decrease -s G - s s7 < 0 "
                  "that rules out (a - p).(p - q) < 0, and w . a + b = (a - p).(p - q) + "
                  "||p - q||^2/2 > 0, w . c + b = -((c - q).(q - p) + ||p - q||^2/2) < 0 with "
                  "w = p - q, b = (||q||^2 - ||p||^2)/2; a nearest pair exists by compactness")


@claim("non-convex-region-defeats-single-layer", kind="symbolic")
def test_single_layer_regions_are_convex_symbolic(evidence):
    """A single layer's two decision regions {w . x + b >= 0} and {w . x + b < 0} are
    convex, for any n: at z = l a + (1 - l) c, w . z + b = l (w . a + b) + (1 - l)
    (w . c + b), a convex combination of two scores of one sign. So when every region
    that classifies the data is non-convex, no single layer classifies it."""
    w, a, c = (sp.IndexedBase(v, real=True) for v in ("w", "a", "c"))
    b = sp.Symbol("b", real=True)
    lam = sp.Symbol("l", nonnegative=True)
    i = I_
    z_score = _dot(w[i], lam * a[i] + (1 - lam) * c[i]) + b
    combo = lam * (_dot(w[i], a[i]) + b) + (1 - lam) * (_dot(w[i], c[i]) + b)
    assert _linear(z_score - combo) == 0, "the score is affine along the segment"
    # with l in [0, 1]: two scores >= 0 give >= 0 (weights l, 1 - l both >= 0) ...
    sa, sc = sp.symbols("score_a score_c", nonnegative=True)
    one_minus = sp.Symbol("one_minus_l", nonnegative=True)  # 1 - l >= 0
    assert (lam * sa + one_minus * sc).is_nonnegative
    # ... and two scores < 0 give < 0: l and 1 - l sum to 1, so one of them is > 0
    na, nc = sp.symbols("neg_a neg_c", positive=True)
    lam_pos = sp.Symbol("l_pos", positive=True)
    assert (-(lam_pos * na + one_minus * nc)).is_negative          # case l > 0
    assert (-(lam * na + (1 - lam) * nc)).subs(lam, 0).is_negative  # case l = 0
    evidence.note("sympy, symbolic n: w.(l a + (1-l) c) + b = l (w.a + b) + (1-l) (w.c + b); "
                  "both decision regions of a single layer are convex")


@claim("non-convex-region-defeats-single-layer", kind="exact", scope="instance")
def test_ring_around_centre_needs_nonconvex_region(impl, evidence):
    # a centre point of class -1 inside the hull of a ring of class +1: every region that
    # contains the ring and excludes the centre is non-convex, and no single layer works
    ring = [[2, 0], [-2, 0], [0, 2], [0, -2], [0, 0]]
    labels = [1, 1, 1, 1, -1]
    cert = impl.separate(ring, labels)
    assert hasattr(cert, "lam"), f"the ring sample reported separable: {cert}"
    assert farkas_certifies_inseparable(ring, labels, cert.lam)
    assert common_hull_point(ring, labels, cert.lam) == (0, 0)
    # the contrast: a sample of a non-convex 'true' region need not need one
    X, y = [[0, 0], [0, 3], [Fraction(3, 2), 0]], [-1, -1, 1]
    sep = impl.separate([[float(v) for v in pt] for pt in X], y)
    assert hyperplane_separates(X, y, sep.w, sep.b), "three points off the annulus: separable"
    evidence.note(f"ring of four +1 points around a -1 centre: Farkas lambda = {cert.lam}, "
                  "the centre (0, 0) lies in the ring's hull, so the needed region is "
                  "non-convex and no single layer separates it; a three-point sample of an "
                  "annulus is separable, since it needs no non-convex region")


CENSUS = {1: 4, 2: 14, 3: 104, 4: 1882}
# classes of Boolean functions under input permutation/negation and output negation
# (NPN classes): the number of exact LPs the symmetry reduction needs
NPN_CLASSES = {1: 2, 2: 4, 3: 14, 4: 222}


@claim("separable-boolean-census", kind="exact")
def test_boolean_census_table(impl, evidence):
    rows = []
    for n in (1, 2, 3, 4):
        t0 = time.perf_counter()
        census = impl.boolean_census(n)
        valid = census_certificates_valid(n, census.separable,
                                          census.weights, census.lam)
        assert valid.all(), f"n={n}: {(~valid).sum()} invalid certificates"
        assert census.separable.size == 2 ** (2 ** n) and census.n == n
        if hasattr(census, "orbits"):
            assert census.orbits == NPN_CLASSES[n], f"n={n}: {census.orbits} orbits"
        assert census.count == CENSUS[n], f"n={n}: {census.count} separable, not {CENSUS[n]}"
        if n == 2:  # codes 6 and 9: XOR and XNOR (bit k = f(k-th point, lexicographic))
            assert sorted(np.flatnonzero(~census.separable).tolist()) == [6, 9]
        rows.append([n, 2 ** 2 ** n, census.count, int((~census.separable).sum()),
                     getattr(census, "lps_solved", "?"), f"{time.perf_counter() - t0:.3f}"])
    evidence.table("Linearly separable Boolean functions (every verdict certified)",
                   ["n", "functions", "separable", "inseparable", "exact LPs solved",
                    "seconds (solve + verify)"], rows)
    evidence.note("all 2^(2^n) certificates for n = 1..4 verified in int64 arithmetic "
                  f"(4 + 16 + 256 + 65536); n = 4 took {rows[-1][-1]} s with "
                  f"{rows[-1][4]} exact LPs; the only inseparable functions of 2 inputs are "
                  "XOR and XNOR")
