"""Evidence for §3.3 (second half): entropy, cross-entropy, KL, and where KL is used.

Exact statements are checked with sympy or with integer certificates; numerical bounds
over a whole set are certified with mpmath interval arithmetic (``mpmath.iv``); the
implementations are then checked against those values.
"""
from __future__ import annotations

import functools
import heapq
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.support import strategies as S
from checks.support import precision as WP

claim = pytest.mark.claim
iv = mpmath.iv
U = 2.0 ** -53
# cheap property checks: a third of the profile's examples (20 under ci, 200 thorough)
SOME = settings(max_examples=max(20, settings.default.max_examples // 3))


# -- helpers (independent of the implementation) ---------------------------------------------
def _huffman_expected_length(p: list[Fraction]) -> Fraction:
    """Average codeword length of a binary Huffman code for p: the sum of the weights of
    all merged nodes (each merge adds one bit to every symbol below it)."""
    if len(p) == 1:
        return Fraction(0)
    heap = [(w, i) for i, w in enumerate(p)]
    heapq.heapify(heap)
    total, k = Fraction(0), len(p)
    while len(heap) > 1:
        a, _ = heapq.heappop(heap)
        b, _ = heapq.heappop(heap)
        total += a + b
        heapq.heappush(heap, (a + b, k))
        k += 1
    return total


def _ceil_log2_inverse(q: Fraction) -> int:
    """ceil(-log2 q) exactly: the least l >= 0 with 2^l q >= 1."""
    l = 0
    while (2 ** l) * q < 1:
        l += 1
    return l


def _iv_log2(x: Fraction):
    return iv.log(iv.mpf(x.numerator) / x.denominator) / iv.log(2)


def _iv_entropy_bits(p: list[Fraction]):
    return -sum((iv.mpf(w.numerator) / w.denominator) * _iv_log2(w) for w in p if w > 0)


def _iv_cross_entropy_bits(p: list[Fraction], q: list[Fraction]):
    return -sum((iv.mpf(a.numerator) / a.denominator) * _iv_log2(b) for a, b in zip(p, q) if a > 0)


def _floats(p: list[Fraction]) -> np.ndarray:
    a = np.array([float(v) for v in p])
    return a / a.sum()


def _power_certificate(weights: list[Fraction], bases: list[Fraction]) -> tuple[Fraction, int]:
    """(prod_i bases_i^(weights_i D), D) with D the least common denominator of the weights:
    exactly b^(D sum_i w_i log_b bases_i) in rationals, for any base b. Two such sums are
    equal iff their certificates (at a common D) are, so an inequality between entropies,
    cross-entropies or KL divergences is decided in integer arithmetic."""
    D = math.lcm(*(w.denominator for w in weights))
    out = Fraction(1)
    for w, x in zip(weights, bases):
        out *= x ** int(w * D)
    return out, D


# -- entropy as code length -------------------------------------------------------------------
@claim("entropy-is-average-bits-of-optimal-code", kind="exact", scope="instance")
def test_two_thirds_one_third_needs_a_whole_bit(evidence, control):
    def derive(p):  # the counterexample: H(p) < L*, the optimal code's average length
        L = _huffman_expected_length(p)
        # H(p) < L*  <=>  2^(D H) = prod (1/p_i)^(p_i D) < 2^(D L*) (D L* is an integer)
        cert, D = _power_certificate(p, [1 / v for v in p])
        assert (L * D).denominator == 1 and cert < 2 ** int(L * D), \
            f"p = {p}: 2^(D H) = {cert}, 2^(D L*) = {2 ** (L * D)}: H(p) is not below L* = {L}"
        return L, cert, D

    L, cert, D = control(derive, [Fraction(2, 3), Fraction(1, 3)],
                         [Fraction(1, 2), Fraction(1, 2)],
                         [Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)],
                         labels=("p = (1/2, 1/2) (dyadic: L* = H)",
                                 "p = (1/2, 1/4, 1/4) (dyadic: L* = H)"))
    assert L == 1, "two symbols: every prefix code spends >= 1 bit per symbol"
    # H = log2 3 - 2/3 < 1  <=>  log2 3 < 5/3  <=>  3^3 < 2^5 (the certificate times 4)
    assert (cert, D) == (Fraction(27, 4), 3) and 3**3 < 2**5
    h = sp.log(3, 2) - sp.Rational(2, 3)
    assert sp.simplify(h - (-(sp.Rational(2, 3) * sp.log(sp.Rational(2, 3), 2)
                             + sp.Rational(1, 3) * sp.log(sp.Rational(1, 3), 2)))) == 0
    evidence.note("to within one bit: p = (2/3, 1/3) has H(p) = log2 3 - 2/3 ~ 0.918 bits, "
                  "and a code optimised for p (any prefix code on two symbols) spends 1 bit "
                  "per event; certificate 3^3 = 27 < 32 = 2^5")


def _dyadic(v: Fraction) -> bool:
    return v.numerator == 1 and (v.denominator & (v.denominator - 1)) == 0


def _certified_positive(make_interval) -> tuple[bool, object]:
    """Evaluate an interval expression at rising precision until its sign is decided;
    True when the whole enclosure is > 0 (False if it is <= 0 or never decided)."""
    saved = iv.prec
    try:
        for prec in (53, 200, 800):
            iv.prec = prec
            enc = make_interval()
            if enc.a > 0 or enc.b <= 0:
                return bool(enc.a > 0), enc
        return False, enc
    finally:
        iv.prec = saved


@claim("entropy-is-average-bits-of-optimal-code", kind="sampled")
@SOME
@given(p=S.rational_distributions(min_size=1, max_size=7),
       q=S.rational_distributions(min_size=7, max_size=7))
def test_optimal_and_mismatched_code_lengths_within_one_bit(impl, evidence, p, q):
    q = q[: len(p)]
    q = [v / sum(q) for v in q]
    Lstar = _huffman_expected_length(p)
    lengths = [_ceil_log2_inverse(b) for b in q]  # a prefix code built for q (Kraft holds)
    assert sum(Fraction(1, 2**l) for l in lengths) <= 1
    Lq = sum(a * l for a, l in zip(p, lengths))
    Li, Lqi = (lambda: iv.mpf(Lstar.numerator) / Lstar.denominator), \
        (lambda: iv.mpf(Lq.numerator) / Lq.denominator)
    # H <= L* (equality iff p is dyadic, then exact), L* < H + 1: certified enclosures
    if all(_dyadic(v) for v in p):
        assert sum(v * (v.denominator.bit_length() - 1) for v in p) == Lstar, "dyadic: L* = H"
        evidence.count("dyadic p with L* = H exactly")
    else:
        ok, enc = _certified_positive(lambda: Li() - _iv_entropy_bits(p))
        assert ok, f"L* - H(p) = {enc} not certified > 0 for p = {p}"
    ok, enc = _certified_positive(lambda: _iv_entropy_bits(p) + 1 - Li())
    assert ok, f"H(p) + 1 - L* = {enc} not certified > 0 for p = {p}"
    # H(p, q) <= L_q < H(p, q) + 1 (equality iff q is dyadic wherever p > 0)
    if all(_dyadic(b) for a, b in zip(p, q) if a > 0):
        assert Lq == sum(a * (b.denominator.bit_length() - 1) for a, b in zip(p, q)), \
            "dyadic q: L_q = H(p, q)"
    else:
        ok, enc = _certified_positive(lambda: Lqi() - _iv_cross_entropy_bits(p, q))
        assert ok, f"L_q - H(p,q) = {enc} not certified > 0"
    ok, enc = _certified_positive(lambda: _iv_cross_entropy_bits(p, q) + 1 - Lqi())
    assert ok, f"H(p,q) + 1 - L_q = {enc} not certified > 0"
    # the implementation's base-2 entropies lie in the certified enclosures (up to the
    # rounding of p, q to floats and of the logs: 64 u relative to the size of the sum)
    H, Hpq = _iv_entropy_bits(p), _iv_cross_entropy_bits(p, q)
    fp, fq = _floats(p), _floats(q)
    h_impl, c_impl = impl.entropy(fp, base=2), impl.cross_entropy(fp, fq, base=2)
    tol = 64 * U * (1 + float(mpmath.mpf(Hpq.b)))
    assert float(mpmath.mpf(H.a)) - tol <= h_impl <= float(mpmath.mpf(H.b)) + tol, (h_impl, H)
    assert float(mpmath.mpf(Hpq.a)) - tol <= c_impl <= float(mpmath.mpf(Hpq.b)) + tol, \
        (c_impl, Hpq)
    evidence.count("rational p, q certified: H <= L* < H+1 and H(p,q) <= L_q < H(p,q)+1")
    evidence.worst("L* - H(p) (bits)", float(Lstar) - float(mpmath.mpf(H.a)))


# -- cross-entropy ----------------------------------------------------------------------------
@claim("cross-entropy-asymmetric", kind="exact")
def test_cross_entropy_asymmetry_witness_exact(impl, evidence, control):
    half, quarter = Fraction(1, 2), Fraction(1, 4)

    def derive(witness):  # H(p, q) != H(q, p), decided by 2^(D H) in rationals
        p, q = witness
        x, D = _power_certificate(p + q, [1 / v for v in q] + [Fraction(1)] * len(q))
        y, _ = _power_certificate(q + p, [1 / v for v in p] + [Fraction(1)] * len(p))
        assert x != y, f"2^(D H(p,q)) = {x} = 2^(D H(q,p)): H(p,q) = H(q,p) for {witness}"
        return x, y, D

    x, y, D = control(derive, ([half, half], [quarter, 3 * quarter]),
                      ([half, half], [half, half]),
                      ([quarter, 3 * quarter], [3 * quarter, quarter]),
                      labels=("q = p", "p = (1/4, 3/4), q = (3/4, 1/4) (mirror images: "
                              "H(p,q) = H(q,p))"))
    # D = 4: 2^(4 H(p,q)) = 4^2 (4/3)^2 = 256/9, 2^(4 H(q,p)) = 2^4: 256 != 144
    assert (x, y, D) == (Fraction(256, 9), Fraction(16), 4)
    H = lambda a, b: -sum(x * sp.log(y, 2) for x, y in zip(a, b))  # noqa: E731
    P, Q = [sp.Rational(1, 2)] * 2, [sp.Rational(1, 4), sp.Rational(3, 4)]
    hpq, hqp = sp.nsimplify(sp.expand_log(H(P, Q), force=True)), sp.expand_log(H(Q, P), force=True)
    assert sp.simplify(hqp - 1) == 0
    assert sp.simplify(hpq - (2 - sp.log(3, 2) / 2)) == 0
    got = (impl.cross_entropy([0.5, 0.5], [0.25, 0.75], base=2),
           impl.cross_entropy([0.25, 0.75], [0.5, 0.5], base=2))
    np.testing.assert_allclose(got, [2 - math.log2(3) / 2, 1.0], rtol=4 * U, atol=4 * U,
                               err_msg="H(p,q), H(q,p) for the witness")  # one log each
    evidence.note("witness (exact): p = (1/2, 1/2), q = (1/4, 3/4): H(p,q) = 2 - log2(3)/2 "
                  "~ 1.2075 bits, H(q,p) = 1 bit (certificate 2^(4 H): 256/9 != 16); equality "
                  "does hold when p = q or for mirror-image pairs, hence 'in general'")


# exact (sympy) for K = 3 classes: an instance of the statement; the proof for a symbolic K
# is test_label_cross_entropy_for_symbolic_classes below
@claim("classification-loss-is-cross-entropy-of-labels", kind="exact", scope="instance")
def test_label_cross_entropy_is_loss_and_kl_symbolic(evidence):
    q = sp.symbols("q1:4", positive=True)
    for k in range(3):
        y = [sp.Integer(1) if j == k else sp.Integer(0) for j in range(3)]
        loss = -sum(a * sp.log(b) for a, b in zip(y, q))
        H_pq = -sum(a * sp.log(b) for a, b in zip(y, q) if a != 0)  # 0 log q = 0
        H_p = -sum(a * sp.log(a) for a in y if a != 0)               # 0 log 0 = 0
        D = sum(a * (sp.log(a) - sp.log(b)) for a, b in zip(y, q) if a != 0)
        assert sp.simplify(loss - H_pq) == 0 and H_p == 0 and sp.simplify(D - H_pq) == 0
    evidence.note("sympy, K = 3: for each one-hot y, -sum y_k log q_k = H(y, q), H(y) = 0, "
                  "so it also equals D(y || q)")


@claim("classification-loss-is-cross-entropy-of-labels", kind="sampled")
@SOME
@given(rows=st.lists(S.probability_vectors(min_size=4, max_size=4), min_size=1, max_size=5),
       labels=st.lists(st.integers(0, 3), min_size=5, max_size=5))
def test_cce_equals_mean_label_cross_entropy_and_kl(impl, evidence, rows, labels):
    P = np.array(rows)
    Y = np.eye(4)[labels[: len(rows)]]
    loss = impl.categorical_cross_entropy(P, Y)
    ce = np.mean([impl.cross_entropy(Y[n], P[n]) for n in range(len(rows))])
    kl = np.mean([impl.kl_divergence(Y[n], P[n]) for n in range(len(rows))])
    # the same logs summed in different orders: a few u relative, all terms >= 0
    np.testing.assert_allclose([ce, kl], [loss, loss], rtol=WP.tol(impl, 1e-13), atol=WP.underflow_tol(impl, 1e-300),
                               err_msg="CCE != mean H(y, p) = mean D(y || p)")
    evidence.count("batches: CCE = mean H(y_n, p_n) = mean D(y_n || p_n)")


# -- KL = CE - H; Gibbs; asymmetry --------------------------------------------------------------
# exact (sympy) for 3-point distributions: an instance of the statement; the proof for a
# symbolic support size K is test_kl_identity_for_symbolic_support_size below
@claim("kl-equals-cross-entropy-minus-entropy", kind="exact", scope="instance")
def test_kl_identity_symbolic_any_base(evidence):
    p = sp.symbols("p1:4", positive=True)
    q = sp.symbols("q1:4", positive=True)
    b = sp.symbols("b", positive=True)
    lg = lambda x: sp.log(x) / sp.log(b)  # noqa: E731
    D = sum(a * lg(a / c) for a, c in zip(p, q))
    H_pq = -sum(a * lg(c) for a, c in zip(p, q))
    H_p = -sum(a * lg(a) for a in p)
    assert sp.simplify(sp.expand_log(D - (H_pq - H_p), force=True)) == 0
    evidence.note("sympy: sum p log_b(p/q) = -sum p log_b q + sum p log_b p for 3-point p, q "
                  "and symbolic base b")


@claim("kl-equals-cross-entropy-minus-entropy", kind="sampled")
@SOME
@given(p=S.probability_vectors(min_size=2, max_size=6, allow_zeros=True),
       q=S.probability_vectors(min_size=6, max_size=6), base=st.sampled_from([2.0, math.e, 10.0]))
def test_implementation_kl_is_cross_entropy_minus_entropy(impl, evidence, p, q, base):
    q = q[: len(p)] / q[: len(p)].sum()
    d, ce, h = impl.kl_divergence(p, q, base=base), impl.cross_entropy(p, q, base=base), \
        impl.entropy(p, base=base)
    # the difference ce - h cancels: error a few u times (|ce| + |h|)
    np.testing.assert_allclose(d, ce - h, rtol=WP.tol(impl, 1e-12), atol=WP.tol(impl, 32 * U * (abs(ce) + abs(h) + 1)),
                               err_msg="D(p||q) != H(p,q) - H(p)")
    evidence.count("distributions (zeros in p included), bases 2, e, 10")


# exact (sympy) for 3-point distributions: an instance of the statement; the proof for a
# symbolic support size K is test_gibbs_any_k_termwise (checks/test_s3_symbolic_sizes.py)
@claim("gibbs-inequality-kl-nonnegative-zero-iff-equal", kind="exact", scope="instance")
def test_gibbs_inequality_proof_steps_symbolic(evidence):
    x = sp.symbols("x", positive=True)
    g = x - 1 - sp.log(x)  # ln x <= x - 1, equality iff x = 1
    assert g.subs(x, 1) == 0
    assert sp.solve(sp.diff(g, x), x) == [1] and sp.diff(g, x, 2).is_positive
    # -D(p||q) = sum_{p>0} p log(q/p) <= sum_{p>0} p (q/p - 1) = sum_{p>0} q - 1 <= 0
    p = sp.symbols("p1:4", positive=True)
    q = sp.symbols("q1:4", positive=True)
    bound = sum(a * (c / a - 1) for a, c in zip(p, q))
    assert sp.simplify(bound - (sum(q) - sum(p))) == 0
    evidence.note("sympy: g(x) = x - 1 - ln x has g(1) = 0, g'(x) = 0 only at 1, g'' = 1/x^2 > 0, "
                  "so ln x <= x - 1 with equality iff x = 1; summing p (q/p - 1) gives "
                  "sum q - sum p = (mass of q on supp p) - 1 <= 0; equality forces q = p on "
                  "supp p and no q-mass elsewhere, i.e. q = p")


@claim("gibbs-inequality-kl-nonnegative-zero-iff-equal", kind="sampled")
@SOME
@given(p=S.probability_vectors(min_size=2, max_size=6, allow_zeros=True),
       q=S.probability_vectors(min_size=6, max_size=6, allow_zeros=True))
def test_implementation_kl_nonnegative_pinsker_and_zero_at_equality(impl, evidence, p, q):
    q = q[: len(p)]
    if q.sum() == 0:
        q = np.full(len(p), 1 / len(p))
    q = q / q.sum()
    d = impl.kl_divergence(p, q)
    assert impl.kl_divergence(p, p) == 0.0, "D(p||p) must be 0"
    assert impl.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf, "q(x) = 0 < p(x): D = +inf"
    if np.any((p > 0) & (q == 0)):
        assert d == np.inf, "q(x) = 0 < p(x) must give +inf"
        evidence.count("cases with D = +inf")
        return
    # Pinsker: D >= ||p - q||_1^2 / 2 > 0 for p != q (strict positivity, quantified);
    # the float evaluation may fall short by rounding of the cancelling terms
    slack = 32 * U * float(np.sum(p * (np.abs(np.log(np.where(p > 0, p, 1))) +
                                       np.abs(np.log(np.where(p > 0, q, 1))) + 1)))
    assert d >= 0.5 * np.sum(np.abs(p - q)) ** 2 - slack, (d, p, q)
    evidence.count("pairs with D >= ||p - q||_1^2 / 2 (Pinsker)")


@claim("kl-divergence-asymmetric", kind="exact")
def test_kl_asymmetry_witness_integer_certificate(impl, evidence, control):
    half, quarter = Fraction(1, 2), Fraction(1, 4)

    def derive(witness):  # D(p || q) != D(q || p), decided by e^(D_den D) in rationals
        p, q = witness
        x, D = _power_certificate(p + q, [a / b for a, b in zip(p, q)] + [Fraction(1)] * len(q))
        y, _ = _power_certificate(q + p, [b / a for a, b in zip(p, q)] + [Fraction(1)] * len(p))
        assert x != y, f"e^(D KL) certificates {x} = {y}: D(p||q) = D(q||p) for {witness}"
        return x, y, D

    x, y, D = control(derive, ([half, half], [quarter, 3 * quarter]),
                      ([half, half], [half, half]),
                      ([quarter, 3 * quarter], [3 * quarter, quarter]),
                      labels=("q = p", "p = (1/4, 3/4), q = (3/4, 1/4) (mirror images)"))
    # D = 4: e^(4 D(p||q)) = 2^2 (2/3)^2 = 16/9, e^(4 D(q||p)) = (1/2) (3/2)^3 = 27/16:
    # 16 * 16 = 2^8 != 3^5 = 27 * 9
    assert (x, y, D) == (Fraction(16, 9), Fraction(27, 16), 4) and 2**8 != 3**5
    P, Q = [sp.Rational(1, 2)] * 2, [sp.Rational(1, 4), sp.Rational(3, 4)]
    Dkl = lambda a, b: sum(u * sp.log(u / v) for u, v in zip(a, b))  # noqa: E731
    dpq, dqp = sp.expand_log(Dkl(P, Q), force=True), sp.expand_log(Dkl(Q, P), force=True)
    assert sp.simplify(dpq - (sp.log(2) - sp.log(3) / 2)) == 0
    assert sp.simplify(dqp - (3 * sp.log(3) / 4 - sp.log(2))) == 0
    got = impl.kl_divergence([0.5, 0.5], [0.25, 0.75]), impl.kl_divergence([0.25, 0.75], [0.5, 0.5])
    # two or three logs each, differences of O(1) terms: 16 u absolute
    want = [math.log(2) - math.log(3) / 2, 0.75 * math.log(3) - math.log(2)]
    np.testing.assert_allclose(got, want,
                               rtol=1e-14, atol=16 * U, err_msg="KL witness values")
    evidence.note("witness (exact): p = (1/2, 1/2), q = (1/4, 3/4): D(p||q) = ln 2 - ln(3)/2 "
                  "~ 0.1438, D(q||p) = (3/4) ln 3 - ln 2 ~ 0.1308; they differ by "
                  "ln(256/243)/4, nonzero as 2^8 != 3^5")


# -- log base -----------------------------------------------------------------------------------
@claim("log-base-changes-unit-not-minimiser", kind="symbolic")
def test_log_base_is_a_constant_factor_symbolic(evidence, control):
    from claimledger.symbolic import linear

    x, b = sp.symbols("x b", positive=True)
    y = sp.Symbol("y", real=True)
    k, K = sp.symbols("k K", integer=True, positive=True)
    p = sp.IndexedBase("p", positive=True)
    # log_b x by its definition, the y with b^y = x (not sympy's log(x, b), which is
    # defined as ln x / ln b)
    (log_b,) = sp.solve(sp.Eq(b**y, x), y)

    def derive(factor):  # the statement: H_b = factor(b) H_e, K outcomes (K symbolic)
        Hb = -sp.Sum(p[k] * log_b.subs(x, p[k]), (k, 1, K))
        He = -sp.Sum(p[k] * sp.log(p[k]), (k, 1, K))
        assert linear(Hb - factor(b) * He) == 0, f"H_b != {factor(b)} H_e"
        # a positive factor (b > 1) leaves every minimiser unchanged
        assert factor(b).subs(b, 1 + sp.Symbol("d", positive=True)).is_positive
        # d log_b q / dq = factor(b) / q: the base only scales the gradient
        assert sp.cancel(sp.diff(log_b, x) - factor(b) / x) == 0

    control(derive, lambda v: 1 / sp.log(v), lambda v: sp.log(v),
            lambda v: sp.log(2) / sp.log(v),
            labels=("H_b = H_e ln b", "H_b = H_e / log2 b (the conversion from bits)"))
    assert sp.diff(sp.log(x), x) == 1 / x
    # 1 nat = 1/ln 2 bits; 1 ban = log2(10) bits
    assert sp.simplify(log_b.subs({x: 10, b: 2}) - sp.log(10) / sp.log(2)) == 0
    evidence.note("sympy, K outcomes (K symbolic): log_b x solves b^y = x, y = ln x / ln b, so "
                  "H_b = H_e / ln b; a positive factor (b > 1) leaves every minimiser "
                  "unchanged; d ln q/dq = 1/q while d log_b q/dq = 1/(q ln b)")


@claim("log-base-changes-unit-not-minimiser", kind="sampled")
@SOME
@given(p=S.probability_vectors(min_size=3, max_size=3),
       cands=st.lists(S.probability_vectors(min_size=3, max_size=3), min_size=2, max_size=6))
def test_implementation_bases_scale_and_share_the_minimiser(impl, evidence, p, cands):
    e = impl.entropy(p)
    for b in (2.0, 10.0):
        # one division by ln b: relative error a few u
        np.testing.assert_allclose(impl.entropy(p, base=b) * math.log(b), e, rtol=1e-14,
                                   atol=1e-300, err_msg=f"H_{b} * ln {b} != H_e")
    by_base = {b: np.array([impl.cross_entropy(p, q, base=b) for q in cands])
               for b in (2.0, math.e, 10.0)}
    order = np.argsort(by_base[math.e], kind="stable")
    gaps = np.diff(by_base[math.e][order])
    if np.all(gaps > 1e-12 * (1 + by_base[math.e].max())):  # a strict order to compare
        for b in (2.0, 10.0):
            assert np.array_equal(np.argsort(by_base[b], kind="stable"), order), \
                f"base {b} orders the candidates differently"
        evidence.count("candidate sets with the same cross-entropy ranking in bits, nats, bans")


# -- minimising CE vs KL ----------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _standard_normal_moments() -> tuple:
    """E w^k, k = 0, 1, 2, for w ~ N(0, 1), integrated by sympy: (1, 0, 1)."""
    w = sp.symbols("w", real=True)
    phi = sp.exp(-w**2 / 2) / sp.sqrt(2 * sp.pi)
    m = tuple(sp.integrate(phi * w**k, (w, -sp.oo, sp.oo)) for k in range(3))
    assert m == (1, 0, 1)
    return m


def _gaussian_cross_entropy(m1, sd1, m2, v2):
    """H(N(m1, sd1^2), N(m2, v2)) = E_first[-log second(z)]: -log second(z) = log(2 pi v2)/2
    + (z - m2)^2 / (2 v2), averaged over z = m1 + sd1 w with the moments of N(0, 1)."""
    w = sp.symbols("w", real=True)
    m = _standard_normal_moments()
    quad = sp.Poly(sp.expand((m1 + sd1 * w - m2) ** 2), w)
    E_quad = sum(cf * m[k] for (k,), cf in quad.terms())
    return sp.log(2 * sp.pi * v2) / 2 + E_quad / (2 * v2)


def _vae_term(learnable: str):
    """(CE, KL, parameters) of D(first || second) between 1-D Gaussians, the parameters in
    the first argument (the VAE's encoder q = N(mu, s^2) against the prior N(0, 1)) or in the
    second (a learnable prior N(m, v) against a fixed encoder N(mu0, s0^2))."""
    if learnable == "first":
        mu, s = sp.symbols("mu", real=True), sp.symbols("s", positive=True)
        first, second, params = (mu, s), (0, 1), (mu, s)
    else:
        m, v = sp.symbols("m", real=True), sp.symbols("v", positive=True)
        mu0, s0 = sp.symbols("mu0", real=True), sp.symbols("s0", positive=True)
        first, second, params = (mu0, s0), (m, v), (m, v)
    CE = _gaussian_cross_entropy(*first, *second)
    H = _gaussian_cross_entropy(*first, first[0], first[1] ** 2)  # H(first) = H(first, first)
    return sp.expand(CE), sp.expand(CE - H), params


@claim("minimising-cross-entropy-equals-minimising-kl-iff-reference-fixed", kind="symbolic", target="counterexample")
def test_vae_cross_entropy_has_no_minimiser_kl_does_symbolic(evidence, control):
    # sizeless: the counterexample is one VAE term between 1-D Gaussians, a function of two
    # real parameters (mu, s)
    def derive(learnable):  # the counterexample: KL has a minimiser, the cross-entropy none
        CE, KL, (a, b) = _vae_term(learnable)
        crit = sp.solve([sp.diff(KL, a), sp.diff(KL, b)], [a, b], dict=True)
        assert len(crit) == 1, f"KL critical points {crit}"
        ce_crit = sp.solve([sp.diff(CE, a), sp.diff(CE, b)], [a, b], dict=True)
        assert ce_crit == [], f"the cross-entropy is stationary at {ce_crit}: no counterexample"
        return CE, KL, crit[0]

    CE, KL, crit = control(derive, "first", "second",
                           labels=("the parameters in the second argument (a learnable "
                                   "prior, the encoder fixed)",))
    mu, s = sp.symbols("mu", real=True), sp.symbols("s", positive=True)
    assert sp.simplify(KL - (mu**2 + s**2 - 1 - sp.log(s**2)) / 2) == 0
    assert crit == {mu: 0, s: 1} and sp.diff(KL, s, 2).subs(s, 1) > 0
    assert sp.diff(CE, s).is_positive, "CE must increase with s (so it has no minimiser)"
    assert sp.expand_log(sp.limit(CE.subs(mu, 0), s, 0) - sp.log(2 * sp.pi) / 2, force=True) == 0
    evidence.counterexample("VAE term with encoder q = N(mu, s^2), prior p = N(0, 1): "
                            "D(q||p) = (mu^2 + s^2 - 1 - ln s^2)/2 is minimised at mu = 0, s = 1, "
                            "but H(q, p) = ln(2 pi)/2 + (mu^2 + s^2)/2 decreases to its infimum "
                            "as s -> 0 (no minimiser): they differ by H(q), which depends on the "
                            "encoder - the first argument, not the prior")


@claim("minimising-cross-entropy-equals-minimising-kl-iff-reference-fixed", kind="symbolic", target="corrected")
def test_learnable_prior_with_fixed_encoder_keeps_the_equivalence_symbolic(evidence, control):
    from claimledger.symbolic import expand_log_in_sums, linear

    # the corrected statement's general clause, for distributions on K outcomes (K
    # symbolic): D(first || second) - H(first, second) = sum_k first_k log first_k = -H(first)
    # is free of theta whenever only the second argument depends on theta, so the two
    # objectives differ by a constant and share their minimisers
    k, K = sp.symbols("k K", integer=True, positive=True)
    theta = sp.Symbol("theta", real=True)
    fixed, moving = sp.IndexedBase("r", positive=True), sp.Function("m", positive=True)

    def derive_any_k(learnable):  # which argument depends on theta
        first, second = (fixed[k], moving(k, theta)) if learnable == "second" \
            else (moving(k, theta), fixed[k])
        ce = -sp.Sum(first * sp.log(second), (k, 1, K))
        kl = sp.Sum(first * sp.log(first / second), (k, 1, K))
        gap = linear(expand_log_in_sums(kl - ce))
        assert sp.diff(gap, theta) == 0, f"KL - CE = {gap} depends on theta"

    control(derive_any_k, "second", "first",
            labels=("K outcomes: theta in the first argument",))

    # the article's parenthesis blames the prior; with the encoder fixed and the prior
    # N(m, v) learnable, KL and CE differ by the constant H(q): same minimiser
    def derive(learnable):  # the corrected statement: parameters only in the second argument
        CE, KL, (a, b) = _vae_term(learnable)
        assert sp.diff(KL - CE, a) == 0 and sp.diff(KL - CE, b) == 0, \
            f"KL - CE = {sp.simplify(KL - CE)} depends on the parameters"
        sol = sp.solve([sp.diff(CE, a), sp.diff(CE, b)], [a, b], dict=True)
        assert sol == sp.solve([sp.diff(KL, a), sp.diff(KL, b)], [a, b], dict=True)
        return sol, (a, b)

    sol, (m, v) = control(derive, "second", "first",
                          labels=("1-D Gaussians: the parameters in the first argument (the "
                                  "encoder)",))
    mu0, s0 = sp.symbols("mu0", real=True), sp.symbols("s0", positive=True)
    assert sol == [{m: mu0, v: s0**2}], sol
    evidence.note("sympy, K outcomes (K symbolic): D(p || q_theta) - H(p, q_theta) = -H(p) is "
                  "free of theta, so with the first argument fixed the two objectives share "
                  "their minimisers; with q = N(mu, s^2) fixed and the prior N(m, v) "
                  "learnable, KL - CE = -H(q) is constant in (m, v); both are minimised at "
                  "m = mu, v = s^2")


@claim("minimising-cross-entropy-equals-minimising-kl-iff-reference-fixed", kind="sampled", target="corrected")
@SOME
@given(p=S.probability_vectors(min_size=3, max_size=3),
       cands=st.lists(S.probability_vectors(min_size=3, max_size=3), min_size=2, max_size=8))
def test_fixed_reference_same_ranking_under_ce_and_kl(impl, evidence, p, cands):
    ce = np.array([impl.cross_entropy(p, q) for q in cands])
    kl = np.array([impl.kl_divergence(p, q) for q in cands])
    h = impl.entropy(p)
    # with p fixed, CE - KL = H(p) for every candidate (cancellation: scale by |CE|)
    np.testing.assert_allclose(ce - kl, h, rtol=WP.tol(impl, 1e-12), atol=WP.tol(impl, 64 * U * (1 + np.abs(ce).max())),
                               err_msg="CE - KL must be the constant H(p)")
    evidence.count("candidate sets: CE - KL = H(p) for each (same minimiser)")


# -- where KL is used -----------------------------------------------------------------------
# exact (sympy) for two latent states: an instance of the statement; the proof for a
# symbolic number K of states is test_elbo_decomposition_any_number_of_latent_states
# (checks/test_s3_symbolic_sizes.py)
@claim("vae-kl-is-encoder-from-prior", kind="exact", scope="instance")
def test_elbo_decomposition_fixes_the_direction_symbolic(evidence):
    # two latent states: prior pi_z, likelihood l_z = p(x|z), encoder q_z
    pi1, l1, l2, q1 = sp.symbols("pi1 l1 l2 q1", positive=True)
    pi = [pi1, 1 - pi1]
    lik = [l1, l2]
    q = [q1, 1 - q1]
    px = sum(a * b for a, b in zip(pi, lik))
    post = [a * b / px for a, b in zip(pi, lik)]
    elbo = sum(qz * sp.log(lz) for qz, lz in zip(q, lik)) - sum(
        qz * sp.log(qz / pz) for qz, pz in zip(q, pi))          # E_q log p(x|z) - D(q || prior)
    gap = sum(qz * sp.log(qz / pz) for qz, pz in zip(q, post))  # D(q || posterior)
    assert sp.simplify(sp.expand_log(sp.log(px) - elbo - gap, force=True)) == 0
    evidence.note("sympy (2-state latent): log p(x) = E_q log p(x|z) - D(q(z|x) || p(z)) + "
                  "D(q(z|x) || p(z|x)): the ELBO's KL has the encoder first, as the article says")


@claim("vae-kl-is-encoder-from-prior", kind="symbolic", scope="instance")
def test_swapped_vae_regulariser_differs_symbolic(evidence):
    # sizeless: two closed forms between 1-D Gaussians, functions of two real parameters
    # (mu, s); a diagonal Gaussian's KL is a sum of such terms
    mu = sp.symbols("mu", real=True)
    s = sp.symbols("s", positive=True)
    forward = (mu**2 + s**2 - 1 - sp.log(s**2)) / 2          # D(N(mu,s^2) || N(0,1))
    swapped = sp.log(s) + (1 + mu**2) / (2 * s**2) - sp.Rational(1, 2)  # D(N(0,1) || N(mu,s^2))
    # the swapped closed form: E_p[-log q] - H(p) with p = N(0,1), q = N(mu, s^2), from
    # the moments E_p z^k = 1, 0, 1 (k = 0, 1, 2) that sympy integrates
    z = sp.symbols("z", real=True)
    m = _standard_normal_moments()
    integrand = sp.Poly(sp.expand((z - mu) ** 2 / (2 * s**2)), z)
    E_quad = sum(cf * m[k] for (k,), cf in integrand.terms())
    swapped_by_def = sp.log(sp.sqrt(2 * sp.pi) * s) + E_quad \
        - (sp.log(2 * sp.pi) / 2 + sp.Rational(1, 2))
    assert sp.simplify(swapped_by_def - swapped) == 0
    assert sp.simplify(forward - swapped) != 0
    for f in (forward, swapped):
        assert sp.solve([sp.diff(f, mu), sp.diff(f, s)], [mu, s], dict=True) == [{mu: 0, s: 1}]
    assert sp.simplify(sp.diff(forward, mu) - mu) == 0
    assert sp.simplify(sp.diff(swapped, mu) - mu / s**2) == 0
    evidence.note("sympy: D(q||p) = (mu^2 + s^2 - 1 - ln s^2)/2 vs swapped D(p||q) = ln s + "
                  "(1 + mu^2)/(2 s^2) - 1/2: both vanish only at mu = 0, s = 1, but the pull on "
                  "mu is mu vs mu/s^2 (the swapped term punishes narrow encoders)")


@claim("vae-kl-is-encoder-from-prior", kind="sampled")
@SOME
@given(seed=st.integers(0, 2**32 - 1))
def test_elbo_identity_with_implementation_kl(impl, evidence, seed):
    rng = np.random.default_rng(seed)
    K = 4
    prior = rng.dirichlet(np.ones(K))
    lik = rng.uniform(0.05, 1.0, K)
    q = rng.dirichlet(np.ones(K))
    px = float(prior @ lik)
    post = prior * lik / px
    post = post / post.sum()
    elbo = float(q @ np.log(lik)) - impl.kl_divergence(q, prior)
    lhs = math.log(px)
    # a dozen logs of O(1) numbers: absolute error ~ 1e-15; 1e-12 is a wide margin
    np.testing.assert_allclose(lhs, elbo + impl.kl_divergence(q, post), rtol=1e-12,
                               atol=1e-12, err_msg="log p(x) != ELBO + D(q || posterior)")
    assert elbo <= lhs + 1e-12
    evidence.count("random 4-state models: log p(x) = ELBO + D(q || p(z|x))")


def _bernoulli_kl(a, b):
    """D(Bernoulli(a) || Bernoulli(b)) in interval arithmetic (a, b intervals)."""
    return a * iv.log(a / b) + (1 - a) * iv.log((1 - a) / (1 - b))


def _iv(x: Fraction):
    return iv.mpf(x.numerator) / x.denominator


def _kl_path_expansion(order: int):
    """A categorical policy on K (symbolic) actions moved along p_i + e v_i + e^2 w_i: the
    per-action Taylor coefficients in e, orders 0..order, of the summands of D(old || new)
    (p log(p / new)) and of D(new || old) (new log(new / p)), in p[i], v[i], w[i]; with e,
    K, i, the IndexedBases p, v, w and the simplex hypotheses sum v = sum w = 0."""
    e = sp.Symbol("e", real=True)
    P, V, W = sp.Symbol("P", positive=True), sp.Symbol("V", real=True), sp.Symbol("W", real=True)
    new = P + e * V + e**2 * W
    old_first = P * sp.log(P / new)    # summand of D(pi_old || pi_new)
    new_first = new * sp.log(new / P)  # summand of D(pi_new || pi_old)
    K = sp.Symbol("K", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, positive=True)
    p, v, w = (sp.IndexedBase(n) for n in ("p", "v", "w"))
    sub = {P: p[i], V: v[i], W: w[i]}
    stays = {sp.Sum(v[i], (i, 1, K)): 0, sp.Sum(w[i], (i, 1, K)): 0}  # on the simplex
    coefficients = [[sp.simplify(sp.diff(f, e, k).subs(e, 0) / sp.factorial(k)).subs(sub)
                     for k in range(order + 1)] for f in (old_first, new_first)]
    return coefficients, (e, K, i, p, v, w, stays)


@claim("ppo-trpo-kl-constrains-new-from-old", kind="symbolic")
def test_kl_directions_are_the_same_fisher_form_for_any_categorical_policy_symbolic(evidence,
                                                                                    control):
    """For a categorical policy on K (symbolic) actions moved along any smooth path
    p_i(e) = p_i + e v_i + e^2 w_i + O(e^3) (sum_i v_i = sum_i w_i = 0: it stays a
    distribution; e.g. a softmax policy stepped in its logits), both KL directions are
    e^2 sum_i v_i^2 / (2 p_i) + O(e^3): the Fisher quadratic form. Per action the two
    summands are expanded to order e^2 (analytic in e at p_i > 0, so the remainder is
    O(e^3)); the sum over i is then taken by linearity only (symbolic K)."""
    from claimledger.symbolic import linear

    (c_old, c_new), (e, K, i, p, v, w, stays) = _kl_path_expansion(2)

    def derive(statement):  # (the second-order summand, the hypotheses on the path)
        summand, hypotheses = statement
        form = linear(sp.Sum(summand(v[i], p[i]), (i, 1, K)))
        for name, c in (("D(old || new)", c_old), ("D(new || old)", c_new)):
            order1 = linear(sp.Sum(c[1], (i, 1, K))).subs(hypotheses)
            order2 = linear(sp.Sum(c[2], (i, 1, K))).subs(hypotheses)
            assert order1 == 0, (name, order1)
            assert sp.expand(order2 - form) == 0, f"{name}: second order {order2}"

    control(derive, (lambda vi, pi: vi**2 / (2 * pi), stays),
            (lambda vi, pi: vi**2 / pi, stays),
            (lambda vi, pi: vi**2 / (2 * pi), {sp.Sum(v[i], (i, 1, K)): 0}),
            (lambda vi, pi: vi**2 / (2 * pi**2), stays),
            labels=("the full Fisher form sum v^2/p", "a path leaving the simplex "
                    "(sum w = 0 dropped: the directions then differ by 2 sum w)",
                    "sum v^2/(2 p^2)"))
    evidence.note("sympy, K symbolic actions, any path p + e v + e^2 w (sum v = sum w = 0): "
                  "D(old||new) = D(new||old) = e^2 sum_i v_i^2/(2 p_i) + O(e^3), the Fisher "
                  "form: within a trust region the article's direction and TRPO's paper's "
                  "direction are the same constraint to second order")


@claim("ppo-trpo-kl-constrains-new-from-old", kind="symbolic")
def test_kl_directions_agree_to_second_order_differ_at_third_symbolic(evidence, control):
    """For a categorical policy on K (symbolic) actions moved along p_i + e v_i + e^2 w_i
    (sum_i v_i = sum_i w_i = 0), both KL directions are e^2 sum_i v_i^2 / (2 p_i) + O(e^3),
    and D(old || new) - D(new || old) = -e^3 sum_i v_i^3 / (6 p_i^2) + O(e^4) (the w_i
    cancel). For a Bernoulli policy p -> p + e (K = 2, v = (1, -1), w = 0) the gap is
    (2p - 1) e^3 / (6 p^2 (1 - p)^2). Per action the summands are expanded to order e^3;
    the sums over i are taken by linearity only."""
    from claimledger.symbolic import linear

    (c_old, c_new), (e, K, i, p, v, w, stays) = _kl_path_expansion(3)

    def total(summand):
        return linear(sp.Sum(summand, (i, 1, K))).subs(stays)
    orders = [[total(c) for c in coefficients] for coefficients in (c_old, c_new)]
    gap3 = sp.expand(orders[0][3] - orders[1][3])  # e^3 coefficient of D(old||new) - D(new||old)

    def derive(statement):  # (second-order summand, third-order gap summand) of (v_i, p_i)
        second, third = statement
        for name, o in zip(("D(old || new)", "D(new || old)"), orders):
            assert o[0] == 0 and o[1] == 0, f"{name}: orders 0, 1 are {o[:2]}"
            assert sp.expand(o[2] - total(second(v[i], p[i]))) == 0, f"{name}: second order {o[2]}"
        assert sp.expand(gap3 - total(third(v[i], p[i]))) == 0, \
            f"D(old||new) - D(new||old) = ({gap3}) e^3 + O(e^4)"

    half_fisher = lambda vi, pi: vi**2 / (2 * pi)  # noqa: E731
    control(derive, (half_fisher, lambda vi, pi: -vi**3 / (6 * pi**2)),
            (half_fisher, lambda vi, pi: 0), (half_fisher, lambda vi, pi: vi**3 / (6 * pi**2)),
            (lambda vi, pi: vi**2 / pi, lambda vi, pi: -vi**3 / (6 * pi**2)),
            labels=("the directions agree at third order too (the trust regions equal)",
                    "third-order gap +sum v^3 / (6 p^2) (sign)",
                    "second order sum v^2 / p (the full Fisher form)"))
    # the Bernoulli policy p -> p + e: K = 2, v = (1, -1), w = 0
    q = sp.Symbol("q", positive=True)  # the probability of the first action, in (0, 1)
    third = (2 * q - 1) / (6 * q**2 * (1 - q) ** 2)
    bern = gap3.subs(K, 2).doit().subs({p[1]: q, p[2]: 1 - q, v[1]: 1, v[2]: -1})
    assert sp.cancel(bern - third) == 0, sp.factor(bern)
    # the same from the two-outcome KL directly (its own Taylor coefficients)
    D = lambda a, b: a * sp.log(a / b) + (1 - a) * sp.log((1 - a) / (1 - b))  # noqa: E731
    coef = [[sp.cancel(sp.diff(f, e, k).subs(e, 0) / sp.factorial(k)) for k in range(4)]
            for f in (D(q, q + e), D(q + e, q))]
    assert all(c[0] == 0 and c[1] == 0 and sp.cancel(c[2] - 1 / (2 * q * (1 - q))) == 0
               for c in coef)
    assert sp.cancel(coef[0][3] - coef[1][3] - third) == 0
    evidence.note("sympy, K symbolic actions, any path p + e v + e^2 w (sum v = sum w = 0): "
                  "both directions are e^2 sum v_i^2/(2 p_i) + O(e^3); D(old||new) - "
                  "D(new||old) = -e^3 sum v_i^3/(6 p_i^2) + O(e^4); for a Bernoulli policy "
                  "(p -> p + e) both are e^2/(2p(1-p)) + O(e^3) (half the Fisher information) "
                  "and the gap is (2p - 1) e^3 / (6 p^2 (1-p)^2) + O(e^4)")


@claim("ppo-trpo-kl-constrains-new-from-old", kind="interval", scope="instance")
def test_trust_regions_of_the_two_directions_differ_certified(impl, evidence, control):
    old, delta = Fraction(1, 4), Fraction(1, 10)
    a = _iv(old)

    def derive(witness):  # policies inside one direction's trust region, outside the other's
        inside_trpo, inside_swapped = witness
        b = _iv(inside_trpo)
        d_on, d_no = _bernoulli_kl(a, b), _bernoulli_kl(b, a)
        assert d_on.b <= _iv(delta).a and _iv(delta).b < d_no.a, (d_on, d_no)
        c = _iv(inside_swapped)
        e_on, e_no = _bernoulli_kl(a, c), _bernoulli_kl(c, a)
        assert e_no.b <= _iv(delta).a and _iv(delta).b < e_on.a, (e_on, e_no)
        return d_on, d_no

    d_on, d_no = control(derive, (Fraction(23, 50), Fraction(2, 25)),
                         (Fraction(1, 5), Fraction(2, 25)), (Fraction(23, 50), Fraction(3, 10)),
                         labels=("pi_new = Bernoulli(1/5) (inside both regions)",
                                 "pi_new = Bernoulli(3/10) (inside both regions)"))
    inside_trpo, inside_swapped = Fraction(23, 50), Fraction(2, 25)
    # the implementation draws the same boundaries (margins are >= 1e-3, far above rounding)
    for new, inside in ((inside_trpo, "old-first"), (inside_swapped, "new-first")):
        po, pn = np.array([float(old), 1 - float(old)]), np.array([float(new), 1 - float(new)])
        on, no = impl.kl_divergence(po, pn), impl.kl_divergence(pn, po)
        assert (on <= 0.1 < no) if inside == "old-first" else (no <= 0.1 < on), (new, on, no)
    evidence.note(f"at a finite delta the third-order term shows: pi_old = Bernoulli(1/4), "
                  f"delta = 1/10: pi_new = Bernoulli(23/50) has D(old||new) in "
                  f"[{float(d_on.a):.4f}, {float(d_on.b):.4f}] <= delta < D(new||old) in "
                  f"[{float(d_no.a):.4f}, {float(d_no.b):.4f}] (inside the old-first region of "
                  "TRPO's paper, just outside the new-first one); Bernoulli(2/25) is the "
                  "reverse case (certified by interval arithmetic)")


@claim("distillation-kl-student-from-teacher", kind="symbolic", target="counterexample")
@claim("distillation-kl-student-from-teacher", kind="symbolic", scope="instance", target="corrected")
def test_teacher_first_kl_minimised_at_half_symbolic(evidence, control):
    # sizeless: one concrete teacher on three outcomes and a one-parameter student family
    # Binomial(2, theta): a function of one real variable
    th = sp.symbols("theta", positive=True)
    t = [sp.Rational(12, 25), sp.Rational(1, 25), sp.Rational(12, 25)]
    q = [(1 - th) ** 2, 2 * th * (1 - th), th**2]
    fwd = sum(a * (sp.log(a) - sp.log(b)) for a, b in zip(t, q))
    stationary = sp.solve(sp.simplify(sp.diff(fwd, th)), th)
    # convex: second derivative is a positive combination of 1/theta^2, 1/(1-theta)^2
    assert sp.simplify(sp.diff(fwd, th, 2) - (1 / th**2 + 1 / (1 - th) ** 2)) == 0

    def derive(theta_star):  # the teacher-first KL's unique minimiser
        assert stationary == [theta_star], f"D(teacher || student) is stationary at {stationary}"

    control(derive, sp.Rational(1, 2), sp.Rational(1, 18), sp.Rational(12, 25),
            labels=("theta = 1/18 (near a student-first minimiser)", "theta = 12/25"))
    evidence.note("sympy: teacher (12/25, 1/25, 12/25), students Binomial(2, theta): "
                  "D(teacher || student) has derivative 0 only at theta = 1/2 and second "
                  "derivative 1/theta^2 + 1/(1-theta)^2 > 0: the unique minimiser is 1/2 "
                  "(mass-covering: the student puts 1/2 on the middle outcome)")


def _reverse_kl_iv(theta):
    t = [iv.mpf(12) / 25, iv.mpf(1) / 25, iv.mpf(12) / 25]
    q = [(1 - theta) ** 2, 2 * theta * (1 - theta), theta**2]
    return sum(b * (iv.log(b) - iv.log(a)) for a, b in zip(t, q))


@claim("distillation-kl-student-from-teacher", kind="interval", target="counterexample")
def test_student_first_kl_has_no_minimiser_in_the_middle_certified(impl, evidence):
    probe = iv.mpf(1) / 18
    best = _reverse_kl_iv(probe)
    pieces, lo = 60, Fraction(1, 5)
    width = (Fraction(4, 5) - lo) / pieces
    least = None
    for k in range(pieces):  # rigorous enclosure of the KL on each sub-interval
        a, b = lo + k * width, lo + (k + 1) * width
        enc = _reverse_kl_iv(iv.mpf([mpmath.mpf(a.numerator) / a.denominator,
                                     mpmath.mpf(b.numerator) / b.denominator]))
        assert enc.a > best.b, f"KL on [{a}, {b}] may reach {enc.a} <= value at 1/18"
        least = enc.a if least is None else min(least, enc.a)
    # the implementation: on a grid, the teacher-first minimiser is 1/2, the student-first
    # ones sit near 0.056 and 0.944 (away from the middle)
    grid = np.linspace(0.01, 0.99, 99)
    tea = np.array([12, 1, 12]) / 25
    fam = [np.array([(1 - g) ** 2, 2 * g * (1 - g), g**2]) for g in grid]
    fwd = np.array([impl.kl_divergence(tea, q) for q in fam])
    rev = np.array([impl.kl_divergence(q, tea) for q in fam])
    assert abs(grid[fwd.argmin()] - 0.5) < 1e-9, "teacher-first KL must be smallest at 1/2"
    assert min(abs(grid[rev.argmin()] - 0.056), abs(grid[rev.argmin()] - 0.944)) < 0.011
    evidence.counterexample(f"teacher (12/25, 1/25, 12/25), students Binomial(2, theta): the "
                            f"article's D(student || teacher) is >= {float(least):.4f} on "
                            f"[1/5, 4/5] but <= {float(best.b):.4f} at theta = 1/18 (certified), "
                            "so its minimisers are near the modes (0.056, 0.944), while the "
                            "distillation objective D(teacher || student) is minimised at 1/2")


@claim("kl-equals-cross-entropy-minus-entropy", kind="symbolic")
def test_kl_identity_for_symbolic_support_size(evidence, control):
    """D(p || q) = H(p, q) - H(p) over K outcomes, K symbolic, any log base b."""
    from claimledger.symbolic import expand_log_in_sums, linear

    k, K = sp.symbols("k K", integer=True, positive=True)
    p, q = sp.IndexedBase("p", positive=True), sp.IndexedBase("q", positive=True)
    b = sp.symbols("b", positive=True)

    def S(e):
        return sp.Sum(e, (k, 1, K))

    lg = lambda x: sp.log(x) / sp.log(b)  # noqa: E731
    H = lambda u, v: -S(u[k] * lg(v[k]))  # noqa: E731  the cross-entropy H(u, v)
    kl = S(p[k] * lg(p[k] / q[k]))

    def derive(formula):  # the statement: D(p || q) = formula(H)
        gap = kl - formula(H)
        assert linear(expand_log_in_sums(gap)) == 0, "D(p||q) != the stated combination"

    control(derive, lambda h: h(p, q) - h(p, p), lambda h: h(p, q) + h(p, p),
            lambda h: h(q, p) - h(q, q), lambda h: h(p, q) - h(q, q),
            labels=("H(p, q) + H(p)", "H(q, p) - H(q) (that is D(q || p))", "H(p, q) - H(q)"))
    evidence.note("sympy, symbolic support size K and base b: sum p log_b(p/q) = "
                  "-sum p log_b q + sum p log_b p by linearity of the sum")


@claim("classification-loss-is-cross-entropy-of-labels", kind="symbolic")
def test_label_cross_entropy_for_symbolic_classes(evidence, control):
    """For K classes (K symbolic), one-hot p = e_c and any q > 0: -sum_k p_k log q_k =
    H(p, q) = -log q_c, H(p) = 0 and D(p || q) = -log q_c, so the loss equals both. The
    convention 0 log 0 = 0 makes h(t) = t log t vanish at both values of a one-hot entry,
    h(0) = lim t log t = 0 and h(1) = 0, so H(e_c) = -sum_k h(p_k) = 0."""
    k, c, K = sp.symbols("k c K", integer=True, positive=True)
    q = sp.IndexedBase("q", positive=True)
    t = sp.symbols("t", nonnegative=True)
    p = sp.KroneckerDelta(k, c)
    # h on {0, 1} is the affine function through (0, h(0)) and (1, h(1)): h(p) = p h(1) +
    # (1 - p) h(0) for p = [k = c]
    h0, h1 = sp.limit(t * sp.log(t), t, 0, "+"), (t * sp.log(t)).subs(t, 1)

    def pick(e):  # the class c lies in 1..K
        e = e.doit()
        return e.replace(lambda a: isinstance(a, sp.Piecewise),
                         lambda a: a.args[0].expr if a.args[0].cond in (sp.Le(c, K), sp.Ge(K, c))
                         else a)

    cross = pick(-sp.Sum(p * sp.log(q[k]), (k, 1, K)))
    entropy = pick(-sp.Sum(p * h1 + (1 - p) * h0, (k, 1, K)))
    # D(p || q) = sum_k [h(p_k) - p_k log q_k] = -H(p) + H(p, q)
    kl = pick(sp.Sum(p * h1 + (1 - p) * h0 - p * sp.log(q[k]), (k, 1, K)))

    def derive(statement):  # the statement: the loss value for label c, and H(one-hot)
        loss, h_one_hot = statement
        assert sp.simplify(cross - loss) == 0, f"H(e_c, q) = {cross}, not {loss}"
        assert sp.simplify(entropy - h_one_hot) == 0, f"H(e_c) = {entropy}, not {h_one_hot}"
        assert sp.simplify(kl - (cross - h_one_hot)) == 0, f"D(e_c || q) = {kl}"

    control(derive, (-sp.log(q[c]), 0), (-sp.log(1 - q[c]), 0), (-sp.log(q[c]), sp.log(K)),
            labels=("loss -log(1 - q_c)", "H(one-hot) = log K (the uniform entropy)"))
    evidence.note("sympy, symbolic K: for p = e_c, H(p, q) = -log q_c = D(p || q) (H(p) = 0 "
                  "under 0 log 0 = 0)")
