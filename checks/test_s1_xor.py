"""Evidence for §1.3: XOR, convex hulls, exact separability and the Boolean census."""
from __future__ import annotations

import time
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given

from checks.support import strategies as S
from checks.support.certificates import (census_certificates_valid, common_hull_point,
                                         farkas_certifies_inseparable, hyperplane_separates)

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


@claim("separable-iff-hulls-disjoint", kind="symbolic", scope="instance")
def test_alternative_is_exclusive_symbolic(evidence):
    # sum lam_i y_i (w.x_i + b) = w . (sum lam_i y_i x_i) + b sum lam_i y_i: zero under the
    # Farkas conditions, yet positive if every y_i (w.x_i + b) > 0 and lam >= 0, lam != 0
    lam = sp.symbols("l1:4", nonnegative=True)
    y = (1, -1, 1)
    x = [sp.Matrix(sp.symbols(f"x{i}_1:3", real=True)) for i in range(3)]
    w = sp.Matrix(sp.symbols("w1:3", real=True))
    b = sp.symbols("b", real=True)
    total = sum(l * yi * ((w.T * xi)[0] + b) for l, yi, xi in zip(lam, y, x))
    S_vec = sum((l * yi * xi for l, yi, xi in zip(lam, y, x)), sp.zeros(2, 1))
    S_b = sum(l * yi for l, yi in zip(lam, y))
    assert sp.expand(total - ((w.T * S_vec)[0] + b * S_b)) == 0
    evidence.note("sympy: sum lam_i y_i (w.x_i+b) = w.(sum lam_i y_i x_i) + b sum lam_i y_i, "
                  "so a Farkas vector and a separating hyperplane cannot coexist")


@claim("non-convex-region-defeats-single-layer", kind="exact", target="counterexample")
def test_nonconvex_true_region_separable_sample(impl, evidence):
    # class +1 = the annulus 1 <= r <= 2 (non-convex); class -1 = its complement
    X = np.array([[3, 0], [0, 0], [0, 3]])[[1, 2]].tolist() + [[Fraction(3, 2), 0]]
    y = [-1, -1, 1]
    radii2 = [Fraction(a) ** 2 + Fraction(b) ** 2 for a, b in X]
    assert [1 <= r2 <= 4 for r2 in radii2] == [False, False, True]
    cert = impl.separate([[float(v) for v in p] for p in X], y)
    assert hyperplane_separates(X, y, cert.w, cert.b), "sample should be linearly separable"
    ring = [[2, 0], [-2, 0], [0, 2], [0, -2], [0, 0]]
    ring_cert = impl.separate(ring, [1, 1, 1, 1, -1])
    assert farkas_certifies_inseparable(ring, [1, 1, 1, 1, -1], ring_cert.lam)
    evidence.counterexample(f"true region = annulus (non-convex), sample {X} with labels {y}: "
                            f"a single layer separates it (w={cert.w}, b={cert.b})")
    evidence.note("conversely a ring sample around a centre point is inseparable, certified "
                  f"by lambda = {ring_cert.lam}: what matters is hull intersection")


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
        valid = census_certificates_valid(impl.boolean_points(n), census.separable,
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
