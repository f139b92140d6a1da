"""Evidence for §1.3: XOR, convex hulls, exact separability and the Boolean census."""
from __future__ import annotations

import itertools
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


AND_LABELS = [-1, -1, -1, 1]
OR_LABELS = [-1, 1, 1, 1]


def _sign_rows(labels, strict_for=-1):
    """The article's constraints on theta = (w1, w2, b) for the four inputs: output 1
    (label +1) -> w.x + b >= 0, output 0 (label -1) -> w.x + b < 0, as rows c_k with
    c_k . theta >= 0 (or > 0, for the labels ``strict_for``)."""
    rows = [tuple(lab * v for v in (*pt, 1)) for pt, lab in zip(XOR_POINTS, labels)]
    return rows, [lab == strict_for for lab in labels]


def _find_motzkin(rows, strict, top=2):
    """The first lam in {0..top}^k (k rows) that certifies infeasibility, or None."""
    return next((lam for lam in itertools.product(range(top + 1), repeat=len(rows))
                 if _motzkin_infeasible(rows, strict, lam)), None)


@claim("xor-sign-constraints-infeasible", kind="exact")
def test_xor_system_has_motzkin_certificate(evidence, control):
    # theta = (w1, w2, b); rows c_k with c_k . theta > 0 or >= 0, as in the article:
    # b < 0 from (0,0) -> 0; w2 + b >= 0 from (0,1) -> 1; w1 + b >= 0 from (1,0) -> 1;
    # w1 + w2 + b < 0 from (1,1) -> 0
    rows, strict = _sign_rows(XOR_LABELS)
    assert rows == [(0, 0, -1), (0, 1, 1), (1, 0, 1), (-1, -1, -1)]
    assert strict == [True, False, False, True]

    def derive(system):  # (labels, the label whose inequality is strict)
        lam = _find_motzkin(*_sign_rows(*system))
        assert lam is not None, f"no Motzkin certificate in {{0, 1, 2}}^4 for {system}"
        return lam

    lam = control(derive, (XOR_LABELS, -1), (AND_LABELS, -1), (OR_LABELS, -1), (XOR_LABELS, 0),
                  labels=("AND's constraints", "OR's constraints",
                          "every inequality non-strict (w.x + b <= 0 for output 0)"))
    assert lam == (1, 1, 1, 1), lam
    assert not _motzkin_infeasible(rows, strict, [1, 1, 1, 0]), "checker must be able to fail"
    evidence.note("exact Motzkin certificate lambda = (1,1,1,1): the four constraint rows sum "
                  "to 0 with positive weight on the strict ones, so 0 > 0 would follow")


@claim("xor-sign-constraints-infeasible", kind="exact")
def test_decision_procedure_certifies_xor(impl, evidence, control):
    def derive(labels):
        cert = impl.separate(XOR_POINTS, labels)
        assert hasattr(cert, "lam"), f"{labels} reported separable: {cert}"
        assert farkas_certifies_inseparable(XOR_POINTS, labels, cert.lam)
        return cert

    cert = control(derive, XOR_LABELS, AND_LABELS, OR_LABELS, labels=("AND", "OR"))
    evidence.note(f"separate(XOR) -> Farkas lambda = {tuple(cert.lam)}, verified exactly")


def _add_intervals(a: sp.Interval, c: sp.Interval) -> sp.Interval:
    """{u + v : u in a, v in c} for two intervals (an endpoint is open if either is)."""
    return sp.Interval(a.start + c.start, a.end + c.end, a.left_open or c.left_open,
                       a.right_open or c.right_open)


@claim("xor-inequality-sums", kind="symbolic")
def test_xor_inequality_sums_symbolic(evidence, control):
    w1, w2, b = sp.symbols("w1 w2 b", real=True)
    score = {pt: w1 * pt[0] + w2 * pt[1] + b for pt in map(tuple, XOR_POINTS)}
    # the article's reading of a label: output 1 -> score >= 0, output 0 -> score < 0
    allowed = {1: sp.Interval(0, sp.oo), -1: sp.Interval.open(-sp.oo, 0)}

    def derive(stmt):  # (labels, the two pairs of inputs whose inequalities are added)
        labels, pairs = stmt
        lab = dict(zip(map(tuple, XOR_POINTS), labels))
        sums = [sp.expand(score[p] + score[q]) for p, q in pairs]
        assert sp.expand(sums[0] - sums[1]) == 0, f"the two sums differ: {sums}"
        # the common sum would lie in both pairs' sets of values: an empty intersection
        ranges = [_add_intervals(allowed[lab[p]], allowed[lab[q]]) for p, q in pairs]
        both = sp.Intersection(*ranges)
        assert both == sp.EmptySet, f"intersection is {both}"
        return sums[0]

    article_pairs = (((0, 1), (1, 0)), ((0, 0), (1, 1)))  # (2) + (3) and (1) + (4)
    total = control(derive, (XOR_LABELS, article_pairs), (AND_LABELS, article_pairs),
                    (XOR_LABELS, (((0, 0), (0, 1)), ((1, 0), (1, 1)))),
                    labels=("AND's labels", "(1) + (2) against (3) + (4)"))
    assert total == w1 + w2 + 2 * b
    evidence.note("sympy: (2)+(3) = w1+w2+2b >= 0 and (1)+(4) = w1+w2+2b < 0; "
                  "[0, oo) and (-oo, 0) are disjoint")


@claim("xor-hull-diagonals-meet-at-center", kind="exact")
def test_xor_diagonals_meet_at_center(evidence, control):
    half = Fraction(1, 2)

    def derive(stmt):  # (labels, the point where the two classes' hulls meet)
        labels, point = stmt
        (a, c), (d, e) = ([tuple(map(Fraction, pt)) for pt, lab in zip(XOR_POINTS, labels)
                           if lab == sign] for sign in (-1, 1))
        # a + s (c - a) = d + t (e - d): two linear equations in (s, t), solved exactly
        m = [[c[0] - a[0], d[0] - e[0]], [c[1] - a[1], d[1] - e[1]]]
        det = m[0][0] * m[1][1] - m[0][1] * m[1][0]
        assert det != 0, "the two segments are parallel"
        r = (d[0] - a[0], d[1] - a[1])
        s_ = (r[0] * m[1][1] - m[0][1] * r[1]) / det
        t_ = (m[0][0] * r[1] - r[0] * m[1][0]) / det
        assert 0 <= s_ <= 1 and 0 <= t_ <= 1, f"the segments' lines meet outside them (s={s_}, t={t_})"
        meet = tuple(a[k] + s_ * (c[k] - a[k]) for k in range(2))
        assert meet == tuple(point), f"the segments meet at {meet}, not {point}"
        return s_, t_

    s_, t_ = control(derive, (XOR_LABELS, (half, half)), (XOR_LABELS, (half, Fraction(1, 3))),
                     ([-1, -1, 1, 1], (half, half)),
                     labels=("meeting at (1/2, 1/3)",
                             "the classes of f = x_1: {(0,0),(0,1)} and {(1,0),(1,1)}"))
    assert s_ == t_ == half  # the midpoint of both diagonals
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
def test_common_hull_point_forbids_separation_symbolic(evidence, control):
    """Intersecting hulls => no separating hyperplane, for any n and class sizes m, k.
    p = sum_j lam_j a_j (lam >= 0, sum lam = 1) has w . p + b = sum_j lam_j (w . a_j + b):
    a convex combination of the positive class's scores, so > 0 when each score >= r > 0;
    the same p as a convex combination of the negative class gives w . p + b < 0."""
    m = sp.Symbol("m", integer=True, positive=True)
    w, a = sp.IndexedBase("w", real=True), sp.IndexedBase("a", real=True)
    e = sp.IndexedBase("e", nonnegative=True)
    b, r = sp.Symbol("b", real=True), sp.Symbol("r", positive=True)

    def derive(hyp):  # hyp: (assumptions on the weights lam_j, whether sum lam = 1 is used)
        lam_assumptions, convex = hyp
        lam = sp.IndexedBase("lam", **lam_assumptions)
        # w . p with p_i = sum_j lam_j a_{j,i}: exchange the two finite sums
        w_dot_p = sp.Sum(w[I_] * lam[J_] * a[J_, I_], (J_, 1, m), (I_, 1, N_DIM))
        by_point = w_dot_p.reorder((0, 1))
        sum_lam = sp.Sum(lam[J_], (J_, 1, m))
        score_j = sp.Sum(w[I_] * a[J_, I_], (I_, 1, N_DIM)) + b  # w . a_j + b
        scores = sp.Sum(lam[J_] * score_j, (J_, 1, m))
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
        # so w . p + b = sum_j lam_j score_j - b sum lam + b; every positive score is r + e_j
        # (e_j >= 0), every negative one -(r + e_j)
        values = []
        for sign in (1, -1):
            combo = _linear(sp.Sum(lam[J_] * sign * (r + e[J_]), (J_, 1, m)))
            value = combo - b * sum_lam + b
            values.append(value.subs(sum_lam, 1) if convex else value)
        assert values[0].is_positive, f"w . p + b = {values[0]} for p in the positive hull"
        assert values[1].is_negative, f"w . p + b = {values[1]} for p in the negative hull"

    control(derive, ({"nonnegative": True}, True), ({"real": True}, True),
            ({"nonnegative": True}, False),
            labels=("lam_j >= 0 dropped (affine combinations)",
                    "sum lam_j = 1 dropped (conic combinations)"))
    evidence.note("sympy, symbolic n and class size m: w . (sum lam_j a_j) + b = sum lam_j "
                  "(w . a_j + b) (sum exchange + linearity, sum lam = 1); a convex combination "
                  "of scores >= r > 0 is > 0, of scores <= -r < 0 is < 0: one point cannot be both")


@claim("separable-iff-hulls-disjoint", kind="symbolic")
def test_disjoint_hulls_give_separating_hyperplane_symbolic(evidence, control):
    """Disjoint hulls => a strictly separating hyperplane, for any n. Let p, q be a nearest
    pair of points of the two hulls (they exist: the distance is continuous on the product
    of two compact sets, Weierstrass; this is the one step not done in sympy), p != q.
    Every a in the positive hull has (a - p) . (p - q) >= 0: otherwise, with g = (a-p).(p-q)
    < 0 and A = ||a - p||^2, the point p + s (a - p), s = min(1, -g/A), lies in the hull
    and is closer to q. Then w = p - q, b = (||q||^2 - ||p||^2)/2 separates strictly."""
    a, p, q, c = (sp.IndexedBase(v, real=True) for v in ("a", "p", "q", "c"))
    s = sp.Symbol("s", positive=True)
    G, D = sp.symbols("G D", positive=True)  # g = -G < 0; D = ||p - q||^2 > 0 (p != q)
    s7 = sp.Symbol("s7", nonnegative=True)
    v, v2 = sp.symbols("v v2", nonnegative=True)  # the variational inequalities' values
    i = I_
    # ||p + s (a - p) - q||^2 = ||p - q||^2 + 2 s (a - p).(p - q) + s^2 ||a - p||^2
    moved = _dot(p[i] + s * (a[i] - p[i]) - q[i], p[i] + s * (a[i] - p[i]) - q[i])
    expansion = (_dot(p[i] - q[i], p[i] - q[i]) + 2 * s * _dot(a[i] - p[i], p[i] - q[i])
                 + s**2 * _dot(a[i] - p[i], a[i] - p[i]))
    assert _linear(moved - expansion) == 0, "expansion of the moved distance"

    def value_under(expr, facts, unknowns):
        """expr with the sums in ``unknowns`` eliminated through the linear ``facts``
        (sum expression = value); the sums become symbols, solved exactly."""
        exprs = [_linear(expr)] + [_linear(f) for f, _ in facts]
        sums = sorted(set().union(*(x.atoms(sp.Sum) for x in exprs)), key=sp.default_sort_key)
        name = {S_: sp.Symbol(f"S{k}", real=True) for k, S_ in enumerate(sums)}
        eqs = [_linear(f).xreplace(name) - val for f, val in facts]
        sol = sp.solve(eqs, [name[_linear(u)] for u in unknowns], dict=True)
        assert len(sol) == 1, f"the facts do not determine {unknowns}"
        out = sp.simplify(exprs[0].xreplace(name).subs(sol[0]))
        assert not out.has(*name.values()), f"{out}: not determined by the facts"
        return out

    def derive(stmt):  # stmt: (w(p, q)_i, b(p, q), the step s A = factor * G - s7)
        w_of, b_of, factor = stmt
        # with g = -G and s A = factor G - s7 (s <= factor (-g)/A, s7 >= 0) the distance
        # changes by 2 s g + s^2 A = 2 s g + s (s A): a decrease rules out g < 0
        change = sp.expand(2 * s * (-G) + s * (factor * G - s7))
        assert change.is_negative, f"moving to p + s (a - p) changes the distance by {change}"
        W, B = w_of(p[i], q[i]), b_of(p, q)
        # every a in the positive hull has (a - p).(p - q) = v >= 0, every c in the negative
        # hull (c - q).(q - p) = v2 >= 0; ||p - q||^2 = D > 0
        dist = (_dot(p[i] - q[i], p[i] - q[i]), D)
        pos = value_under(_dot(W, a[i]) + B, [(_dot(a[i] - p[i], p[i] - q[i]), v), dist],
                          [_dot(a[i], p[i]), _dot(q[i], q[i])])
        neg = value_under(_dot(W, c[i]) + B, [(_dot(c[i] - q[i], q[i] - p[i]), v2), dist],
                          [_dot(c[i], p[i]), _dot(q[i], q[i])])
        assert pos.is_positive, f"w . a + b = {pos} on the positive hull"
        assert neg.is_negative, f"w . c + b = {neg} on the negative hull"
        return pos, neg

    halfgap = lambda p_, q_: (_dot(q_[i], q_[i]) - _dot(p_[i], p_[i])) / 2  # noqa: E731
    pos, neg = control(
        derive, (lambda pi, qi: pi - qi, halfgap, 1), (lambda pi, qi: qi - pi, halfgap, 1),
        (lambda pi, qi: pi - qi, lambda p_, q_: -halfgap(p_, q_), 1),
        (lambda pi, qi: pi - qi, lambda p_, q_: 0, 1), (lambda pi, qi: pi - qi, halfgap, 2),
        labels=("w = q - p (swapped)", "b = (||p||^2 - ||q||^2)/2 (sign)", "b = 0",
                "step s <= -2 g / A (twice too long)"))
    assert sp.expand(pos - (v + D / 2)) == 0 and sp.expand(neg + (v2 + D / 2)) == 0
    evidence.note("sympy, symbolic n: the moved-distance expansion, the decrease -s G - s s7 < 0 "
                  "that rules out (a - p).(p - q) < 0, and w . a + b = (a - p).(p - q) + "
                  "||p - q||^2/2 > 0, w . c + b = -((c - q).(q - p) + ||p - q||^2/2) < 0 with "
                  "w = p - q, b = (||q||^2 - ||p||^2)/2; a nearest pair exists by compactness")


@claim("non-convex-region-defeats-single-layer", kind="symbolic")
def test_single_layer_regions_are_convex_symbolic(evidence, control):
    """A single layer's two decision regions {w . x + b >= 0} and {w . x + b < 0} are
    convex, for any n: at z = l a + (1 - l) c, w . z + b = l (w . a + b) + (1 - l)
    (w . c + b), a convex combination of two scores of one sign. So when every region
    that classifies the data is non-convex, no single layer classifies it."""
    w, a, c = (sp.IndexedBase(v, real=True) for v in ("w", "a", "c"))
    b = sp.Symbol("b", real=True)
    i = I_
    t = sp.Symbol("t", nonnegative=True)
    sa, sc = sp.symbols("score_a score_c", nonnegative=True)
    na, nc = sp.symbols("neg_a neg_c", positive=True)

    def derive(stmt):  # (the unit's score of a point x_i, the l covering the segment)
        score, segment = stmt
        for lam in segment:
            z_score = score(lam * a[i] + (1 - lam) * c[i])
            combo = lam * score(a[i]) + (1 - lam) * score(c[i])
            assert _linear(z_score - combo) == 0, "the score is not affine along the segment"
            # two scores >= 0 give >= 0 and two scores < 0 give < 0
            assert sp.factor(lam * sa + (1 - lam) * sc).is_nonnegative, f"l = {lam}"
            assert sp.factor(-(lam * na + (1 - lam) * nc)).is_negative, f"l = {lam}"

    # l in [0, 1]: l = 0, and l = 1 / (1 + t) with t >= 0 for (0, 1]
    affine = lambda x_: _dot(w[i], x_) + b  # noqa: E731
    control(derive, (affine, [sp.Integer(0), 1 / (1 + t)]),
            (affine, [sp.Symbol("l", real=True)]),
            (lambda x_: _dot(w[i], x_**2) + b, [sp.Integer(0), 1 / (1 + t)]),
            labels=("l any real (the line through a and c, not the segment)",
                    "a unit on squared inputs w . x^2 + b"))
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
def test_boolean_census_table(impl, evidence, control):
    rows, counts, inseparable2 = [], {}, None
    for n in (1, 2, 3, 4):
        t0 = time.perf_counter()
        census = impl.boolean_census(n)
        valid = census_certificates_valid(n, census.separable,
                                          census.weights, census.lam)
        assert valid.all(), f"n={n}: {(~valid).sum()} invalid certificates"
        assert census.separable.size == 2 ** (2 ** n) and census.n == n
        if hasattr(census, "orbits"):
            assert census.orbits == NPN_CLASSES[n], f"n={n}: {census.orbits} orbits"
        assert census.count == int(census.separable.sum())
        counts[n] = int(census.separable.sum())  # each verdict certified above
        if n == 2:  # codes 6 and 9: XOR and XNOR (bit k = f(k-th point, lexicographic))
            inseparable2 = sorted(np.flatnonzero(~census.separable).tolist())
        rows.append([n, 2 ** 2 ** n, census.count, int((~census.separable).sum()),
                     getattr(census, "lps_solved", "?"), f"{time.perf_counter() - t0:.3f}"])

    def derive(stmt):  # (separable counts for n = 1..4, the inseparable codes of n = 2)
        table, inseparable = stmt
        for n in sorted(counts):
            assert counts[n] == table[n], f"n={n}: {counts[n]} separable, not {table[n]}"
        assert inseparable2 == inseparable, f"inseparable for n = 2: {inseparable2}"

    control(derive, (CENSUS, [6, 9]), ({n: 2 ** 2 ** n for n in CENSUS}, [6, 9]),
            ({**CENSUS, 4: CENSUS[4] - 2}, [6, 9]), (CENSUS, [6]),
            labels=("every function separable", "n = 4: 1880 (constants left out)",
                    "only XOR inseparable for n = 2 (XNOR forgotten)"))
    evidence.table("Linearly separable Boolean functions (every verdict certified)",
                   ["n", "functions", "separable", "inseparable", "exact LPs solved",
                    "seconds (solve + verify)"], rows)
    evidence.note("all 2^(2^n) certificates for n = 1..4 verified in int64 arithmetic "
                  f"(4 + 16 + 256 + 65536); n = 4 took {rows[-1][-1]} s with "
                  f"{rows[-1][4]} exact LPs; the only inseparable functions of 2 inputs are "
                  "XOR and XNOR")
