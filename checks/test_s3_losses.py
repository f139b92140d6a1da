"""Evidence for §3.2: the loss catalogue, its numerically stable forms, and MAE vs MSE.

Reference values are computed independently of the implementation: exactly (fractions on
dyadic inputs, where float64 sums are exact) or in 50-digit mpmath. Tolerances are float64
error bounds, u = 2^-53 the unit roundoff.
"""
from __future__ import annotations

import math

from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from checks.support import strategies as S
from checks.support import precision as WP

claim = pytest.mark.claim
# cheap property checks: a third of the profile's examples (20 under ci, 200 thorough)
SOME = settings(max_examples=max(20, settings.default.max_examples // 3))
U = 2.0 ** -53  # unit roundoff of float64


def _mp(x) -> mpmath.mpf:
    return mpmath.mpf(float(x))  # a float converts to mpf exactly


# -- regression losses ---------------------------------------------------------------------
@claim("regression-losses-match-catalogue", kind="exact", scope="instance")
@SOME
@given(data=st.integers(1, 12).flatmap(lambda n: st.tuples(
    st.lists(S.dyadic_values(), min_size=n, max_size=n),
    st.lists(S.dyadic_values(), min_size=n, max_size=n))))
def test_mse_and_mae_equal_catalogue_formulas_on_dyadic_data(impl, evidence, data):
    y, yhat = data
    n = len(y)
    exact_mse = sum((Fraction(a) - Fraction(b)) ** 2 for a, b in zip(y, yhat)) / n
    exact_mae = sum(abs(Fraction(a) - Fraction(b)) for a, b in zip(y, yhat)) / n
    got_mse = impl.mse_loss(np.array(yhat), np.array(y))
    got_mae = impl.mae_loss(np.array(yhat), np.array(y))
    # on a 1/16 grid with |v| <= 64 every square and sum is exact in float64 (< 2^40, 8
    # fractional bits); only the final division by N rounds: relative error <= u
    np.testing.assert_allclose(got_mse, float(exact_mse), rtol=WP.tol(impl, 2 * U), atol=0,
                               err_msg="MSE != (1/N) sum (y - y^)^2")
    np.testing.assert_allclose(got_mae, float(exact_mae), rtol=WP.tol(impl, 2 * U), atol=0,
                               err_msg="MAE != (1/N) sum |y - y^|")
    evidence.count("data sets compared with the exact (fraction) value")


@claim("regression-losses-match-catalogue", kind="sampled")
def test_mse_and_mae_reduce_by_mean_over_every_entry(impl, evidence):
    pred = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    target = np.zeros_like(pred)
    # the mean rounded once, at the declared precision (float32: the float32 nearest)
    assert impl.mse_loss(pred, target) == WP.rounded(impl, 55 / 6), \
        "MSE must average over all 6 entries"
    assert impl.mae_loss(pred, target) == WP.rounded(impl, 15 / 6), \
        "MAE must average over all 6 entries"
    evidence.note("vector targets: mean over every entry (55/6 and 15/6 on a 3x2 example), "
                  "the article's (1/N) sum_i for scalar targets")


# -- classification losses ------------------------------------------------------------------
@claim("classification-losses-match-catalogue", kind="sampled")
@SOME
@given(p=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=8),
       y=st.lists(st.sampled_from([0.0, 1.0, 0.25]), min_size=8, max_size=8))
def test_binary_cross_entropy_matches_formula(impl, evidence, p, y):
    y = y[: len(p)]
    if impl.convention("subnormals") == "flushed":  # not probed there (a §7 finding)
        p = [pi if pi == 0 or pi >= 2.2250738585072014e-308 else 0.0 for pi in p]
    with mpmath.workdps(50):
        terms = []
        for pi, yi in zip(p, y):
            t = mpmath.mpf(0)
            # 1 - p in 50 digits, not in float: the rounded 1 - p loses a p below u
            # (p = 1e-20 would give log 1 = 0 where the loss is 1e-20; issue 15)
            for w, q in ((yi, _mp(pi)), (1 - yi, 1 - _mp(pi))):
                if w > 0:
                    t -= _mp(w) * (mpmath.log(_mp(q)) if q > 0 else -mpmath.inf)
            terms.append(t)
        exact = mpmath.fsum(terms) / len(terms)
    got = impl.binary_cross_entropy(np.array(p), np.array(y))
    if exact == mpmath.inf:
        assert got == np.inf, "a label given probability 0 must cost +inf"
        evidence.count("cases with an infinite loss (label given probability 0)")
        return
    # both terms are >= 0 (no cancellation); log is accurate to a few u: relative error
    # <= 8 u. The article's formula log(1 - p) evaluated in float rounds 1 - p first,
    # an absolute error <= u in log(1 - p) (exact for p >= 1/2 by Sterbenz), which a
    # log1p implementation avoids: atol = 2u admits both, and nothing looser
    np.testing.assert_allclose(got, float(exact), rtol=WP.tol(impl, 1e-14), atol=WP.tol(impl, 2.0**-52),
                               err_msg="BCE != mean of -y log p - (1-y) log(1-p)")
    evidence.count("BCE cases vs 50-digit formula")


@claim("classification-losses-match-catalogue", kind="sampled")
@SOME
@given(rows=st.lists(S.probability_vectors(min_size=3, max_size=3), min_size=1, max_size=4),
       labels=st.lists(st.integers(0, 2), min_size=4, max_size=4))
def test_categorical_cross_entropy_matches_formula(impl, evidence, rows, labels):
    P = np.array(rows)
    Y = np.eye(3)[labels[: len(rows)]]
    with mpmath.workdps(50):
        exact = -mpmath.fsum(mpmath.log(_mp(P[n, k])) for n, k in
                             enumerate(labels[: len(rows)])) / len(rows)
    got = impl.categorical_cross_entropy(P, Y)
    # one log per sample, all terms >= 0: relative error a few u; probabilities were
    # normalised in float, so the row sums are 1 within 4 u, which the reference shares
    np.testing.assert_allclose(got, float(exact), rtol=WP.tol(impl, 1e-13), atol=WP.underflow_tol(impl, 1e-300),
                               err_msg="CCE != mean_n -sum_k y_k log p_k")
    evidence.count("CCE cases vs 50-digit formula")


@claim("classification-losses-match-catalogue", kind="sampled")
@SOME
@given(z=S.logit_arrays(max_rows=4, max_cols=5, extreme=False),
       seed=st.integers(0, 2**32 - 1))
def test_cross_entropy_with_logits_is_cce_of_softmax(impl, evidence, z, seed):
    labels = np.random.default_rng(seed).integers(0, z.shape[1], z.shape[0])
    Y = np.eye(z.shape[1])[labels]
    with mpmath.workdps(50):
        total = mpmath.mpf(0)
        for n, k in enumerate(labels):
            lse = mpmath.log(mpmath.fsum(mpmath.exp(_mp(v)) for v in z[n]))
            total += lse - _mp(z[n, k])
        exact = total / z.shape[0]
    got = impl.cross_entropy_with_logits(z, Y)
    # |z| <= 50: log-sum-exp is accurate to about (K + 2) u in absolute terms and each
    # shifted logit to u |z - max|; the loss is >= 0, so rtol plus a 1e-12 floor
    np.testing.assert_allclose(got, float(exact), rtol=WP.tol(impl, 1e-12), atol=WP.tol(impl, 1e-12),
                               err_msg="CE with logits != mean_n (logsumexp(z_n) - z_n,k)")
    evidence.count("CE-with-logits cases (non-square shapes included)")


@claim("classification-losses-match-catalogue", kind="exact", scope="instance")
@SOME
@given(data=st.integers(1, 10).flatmap(lambda n: st.tuples(
    st.lists(S.dyadic_values(), min_size=n, max_size=n),
    st.lists(st.sampled_from([-1.0, 1.0]), min_size=n, max_size=n))))
def test_hinge_loss_matches_catalogue_exactly(impl, evidence, data):
    s, y = data
    exact = sum(max(Fraction(0), 1 - Fraction(b) * Fraction(a)) for a, b in zip(s, y)) / len(s)
    got = impl.hinge_loss(np.array(s), np.array(y))
    # dyadic scores: 1 - y s and the sum are exact; only the division by N rounds
    np.testing.assert_allclose(got, float(exact), rtol=WP.tol(impl, 2 * U), atol=0,
                               err_msg="hinge != mean max(0, 1 - y s)")
    evidence.count("hinge cases vs exact fractions")


@claim("classification-losses-match-catalogue", kind="sampled")
def test_hinge_penalises_correct_points_inside_the_margin(impl, evidence):
    # y s = 0.5: correctly classified but inside the margin -> loss 0.5 (the perceptron
    # criterion max(0, -y s) would give 0: the margin '1' is what makes it max-margin)
    assert impl.hinge_loss(np.array([0.5, 2.0]), np.array([1.0, 1.0])) == 0.25
    evidence.note("hinge([0.5, 2], [+1, +1]) = (0.5 + 0) / 2: the margin term is present")


# -- KL --------------------------------------------------------------------------------------
@claim("kl-divergence-matches-catalogue", kind="sampled")
@SOME
@given(p=S.probability_vectors(min_size=2, max_size=6, allow_zeros=True),
       q=S.probability_vectors(min_size=6, max_size=6))
def test_kl_divergence_matches_formula(impl, evidence, p, q):
    q = q[: len(p)] / q[: len(p)].sum()
    with mpmath.workdps(50):
        terms = [_mp(a) * (mpmath.log(_mp(a)) - mpmath.log(_mp(b))) for a, b in zip(p, q)
                 if a > 0]
        exact = mpmath.fsum(terms)
        scale = mpmath.fsum(abs(_mp(a)) * (abs(mpmath.log(_mp(a))) + abs(mpmath.log(_mp(b))) + 1)
                            for a, b in zip(p, q) if a > 0)
    got = impl.kl_divergence(p, q)
    # terms can cancel (p close to q): the error is bounded by a few u times
    # sum p (|log p| + |log q| + 1), not by u |D|
    np.testing.assert_allclose(got, float(exact), rtol=WP.tol(impl, 1e-13), atol=WP.tol(impl, 8 * U * float(scale)),
                               err_msg="D(p||q) != sum p log(p/q) (p weights the sum)")
    evidence.count("KL cases vs 50-digit formula (zeros in p included)")


@claim("kl-divergence-matches-catalogue", kind="sampled")
def test_kl_divergence_conventions_zero_weight_and_infinite(impl, evidence):
    assert impl.kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]) == pytest.approx(
        np.log(2), rel=WP.tol(impl, 1e-15), abs=0), "0 log(0/q) must contribute 0"
    assert impl.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf, "q(x) = 0 < p(x) gives +inf"
    evidence.note("0 log(0/q) = 0: D((1/2,1/2,0) || (1/4,1/4,1/2)) = ln 2; "
                  "D((1/2,1/2) || (1,0)) = +inf")


# -- stability for extreme logits ------------------------------------------------------------
@claim("log-softmax-and-logit-losses-stable-for-extreme-logits", kind="sampled")
@given(z=S.logit_arrays(max_rows=3, max_cols=6, extreme=True))
def test_log_softmax_and_softmax_accurate_for_extreme_logits(impl, evidence, z):
    got = impl.log_softmax(z, axis=-1)
    sm = impl.softmax(z, axis=-1)
    assert np.all(np.isfinite(got)), f"log_softmax not finite for {z.tolist()}"
    K = z.shape[1]
    with mpmath.workdps(60):
        for n in range(z.shape[0]):
            # z_k - m is exact at 60 digits; shifting inside mpmath too keeps the reference
            # free of the cancellation -1e300 - (-1e300 + log 2) would suffer
            m = max(_mp(v) for v in z[n])
            lse = mpmath.log(mpmath.fsum(mpmath.exp(_mp(v) - m) for v in z[n]))
            exact = np.array([float((_mp(v) - m) - lse) for v in z[n]])
            # error <= 2u|l_k| + (K + 2) * 3u (see the module docstring of losses): rtol and
            # atol each ~10x that bound
            np.testing.assert_allclose(got[n], exact, rtol=1e-14, atol=1e-14 * (K + 2),
                                       err_msg="log_softmax != z - logsumexp(z)")
    np.testing.assert_allclose(sm.sum(axis=-1), 1.0, rtol=0, atol=4 * K * U,
                               err_msg="softmax rows must sum to 1")
    evidence.count("logit rows (|z| up to 1e300)", z.shape[0])
    evidence.worst("|z| (largest logit magnitude)", float(np.max(np.abs(z))))


@claim("log-softmax-and-logit-losses-stable-for-extreme-logits", kind="sampled")
@given(z=st.lists(st.one_of(st.floats(-1e300, 1e300), st.floats(-50, 50),
                            st.sampled_from([-1e300, -800.0, -40.0, 0.0, 40.0, 800.0, 1e300])),
                  min_size=1, max_size=6),
       y=st.lists(st.sampled_from([0.0, 1.0, 0.5]), min_size=6, max_size=6))
def test_log_sigmoid_and_bce_with_logits_accurate_for_extreme_logits(impl, evidence, z, y):
    z = np.array(z)
    z = z[WP.representable(impl, z)]  # a float32 implementation: logits float32 can hold
    if z.size == 0:
        return
    y = np.array(y[: len(z)])
    ls = impl.log_sigmoid(z)
    with mpmath.workdps(60):
        exact_ls = [-mpmath.log1p(mpmath.exp(-_mp(v))) for v in z]
        exact_bce = mpmath.fsum(-_mp(w) * e1 - (1 - _mp(w)) * (e1 - _mp(v))
                                for w, e1, v in zip(y, exact_ls, z)) / len(z)
    # log sigma(z) = min(z,0) - log1p(exp(-|z|)): a few u relative; atol only excuses
    # values below the float64 range (log sigma(800) ~ -1e-348 underflows to 0)
    np.testing.assert_allclose(ls, [float(v) for v in exact_ls], rtol=WP.tol(impl, 1e-14),
                               atol=WP.underflow_tol(impl, 1e-300),
                               err_msg="log_sigmoid != -log(1 + exp(-z))")
    got = impl.binary_cross_entropy_with_logits(z, y)
    # both terms of -[y log s(z) + (1-y) log s(-z)] are >= 0: relative error a few u
    np.testing.assert_allclose(got, float(exact_bce), rtol=WP.tol(impl, 1e-13),
                               atol=WP.underflow_tol(impl, 1e-300),
                               err_msg="BCE with logits != -[y log s(z) + (1-y) log s(-z)]")
    evidence.count("logit vectors (|z| up to 1e300)")


@claim("log-softmax-and-logit-losses-stable-for-extreme-logits", kind="sampled")
@SOME
@given(z=S.logit_arrays(max_rows=4, max_cols=5, extreme=False),
       seed=st.integers(0, 2**32 - 1))
def test_logit_losses_equal_probability_forms_where_finite(impl, evidence, z, seed):
    rng = np.random.default_rng(seed)
    Y = np.eye(z.shape[1])[rng.integers(0, z.shape[1], z.shape[0])]
    a = impl.cross_entropy_with_logits(z, Y)
    b = impl.categorical_cross_entropy(impl.softmax(z, axis=-1), Y)
    # |z| <= 50: softmax entries >= e^-100 are accurate to ~K u relative, so the two
    # forms agree to ~K u in absolute log terms
    np.testing.assert_allclose(a, b, rtol=WP.tol(impl, 1e-12), atol=WP.tol(impl, 1e-12),
                               err_msg="CE(logits) != CCE(softmax(logits))")
    zz = z[:, 0] / 5  # |z| <= 10: 1 - sigma(z) keeps relative accuracy e^10 u ~ 2e-12
    yy = rng.integers(0, 2, zz.shape).astype(float)
    prob = np.exp(impl.log_sigmoid(zz))
    assume(np.all((prob > 0) & (prob < 1)))
    np.testing.assert_allclose(impl.binary_cross_entropy_with_logits(zz, yy),
                               impl.binary_cross_entropy(prob, yy), rtol=WP.tol(impl, 1e-9), atol=WP.tol(impl, 1e-12),
                               # the probability form's 1 - sigma(z) is accurate to
                               # e^|z| u relative: 1e-9 leaves a 400x margin at |z| = 10
                               err_msg="BCE(logits) != BCE(sigmoid(logits))")
    evidence.count("logit arrays where both forms are finite")


# -- MAE vs MSE ------------------------------------------------------------------------------
@claim("mae-more-robust-to-outliers-than-mse", kind="symbolic")
def test_mae_gradient_bounded_mse_gradient_unbounded_symbolic(evidence, control):
    r = sp.symbols("r", real=True)  # residual y^_i - y_i
    N = sp.symbols("N", integer=True, positive=True)  # the number of samples, symbolic
    rp = sp.symbols("rp", positive=True)
    d_mae = sp.diff(sp.Abs(r) / N, r)
    d_mse = sp.diff(r**2 / N, r)

    assert sp.limit(d_mse, r, sp.oo) == sp.oo  # the MSE slope grows without bound

    def derive(statement):  # the statement: |d MAE / d y^_i| and d MSE / d y^_i
        mae_size, mse_slope = statement
        assert sp.expand(d_mae.subs(r, rp) - mae_size) == 0, f"d MAE = {d_mae}, r > 0"
        assert sp.expand(d_mae.subs(r, -rp) + mae_size) == 0, f"d MAE = {d_mae}, r < 0"
        assert sp.expand(d_mse - mse_slope(r)) == 0, f"d MSE = {d_mse}, not {mse_slope(r)}"

    control(derive, (1 / N, lambda v: 2 * v / N), (1 / N, lambda v: v / N),
            (sp.Integer(1), lambda v: 2 * v / N), (1 / N, lambda v: 2 * v),
            labels=("d MSE = r / N (the 2 dropped)", "|d MAE| = 1 (the 1/N dropped)",
                    "d MSE = 2 r (the 1/N dropped)"))
    evidence.note("sympy: d|r|/N / dr = sign(r)/N (magnitude 1/N for r != 0); "
                  "d r^2/N / dr = 2r/N -> oo as r -> oo")


@claim("mae-more-robust-to-outliers-than-mse", kind="exact", scope="instance")
@SOME
@given(data=S.samples_with_outlier(min_size=3, max_size=9))
def test_mae_minimiser_stays_between_order_statistics_whatever_the_outlier(evidence, data):
    # exact for each sampled data set and every t (see below), but the data sets are
    # sampled: an instance check of the statement for all N >= 3 and all data
    rest, t = data
    N = len(rest) + 1
    s = sorted(Fraction(v) for v in rest)  # s[0..N-2] = s_(1)..s_(N-1)
    lo_bound, hi_bound = s[(N + 1) // 2 - 2], s[N // 2]    # s_(ceil(N/2)-1), s_(floor(N/2)+1)
    # the order statistics of the full data are non-decreasing in t, so the minimiser
    # interval is bounded by its positions for t below and above all other points: checking
    # those two and the sampled t covers every t for this data set
    for tt in (Fraction(t), s[0] - 1, s[-1] + 1):
        full = sorted(s + [tt])
        # the MAE minimisers: [x_(ceil N/2), x_(floor N/2 + 1)] (order statistics, 1-indexed)
        lo_med, hi_med = full[(N + 1) // 2 - 1], full[N // 2]

        def mae(c):
            return sum(abs(v - c) for v in full) / N
        # the median interval really is the minimiser set: interior value and both ends
        # equal, and the loss rises just outside (checked exactly)
        eps = Fraction(1, 10**12)
        assert mae(lo_med) == mae(hi_med) <= mae((lo_med + hi_med) / 2)
        assert mae(lo_med - eps) > mae(lo_med) and mae(hi_med + eps) > mae(hi_med)
        assert lo_bound <= lo_med <= hi_med <= hi_bound, "MAE minimiser left the bounds"
    # the MSE minimiser is the mean: moving the N-th point from 0 to t shifts it by t / N
    mean_t = (sum(s) + Fraction(t)) / N
    mean_0 = sum(s) / N
    mean_shift = mean_t - mean_0
    assert mean_shift == Fraction(t, N)
    evidence.count("data sets with one moved point (exact)")
    evidence.worst("|outlier|", float(abs(t)))
    evidence.worst("MSE minimiser shift |t - y_j| / N", float(abs(mean_shift)))


@claim("mae-more-robust-to-outliers-than-mse", kind="sampled")
@SOME
@given(data=S.samples_with_outlier(min_size=3, max_size=7, outlier_bound=10**6))
def test_implementations_minimised_at_median_and_mean(impl, evidence, data):
    rest, t = data
    y = np.array(rest + [t], dtype=float)
    N = len(y)
    srt = np.sort(y)
    lo_med, hi_med = srt[(N + 1) // 2 - 1], srt[N // 2]
    cands = np.unique(np.concatenate([y, (y[:-1] + y[1:]) / 2, [y.mean()]]))
    mae = np.array([impl.mae_loss(np.full(N, c), y) for c in cands])
    best = cands[mae <= mae.min() * (1 + 1e-12) + 1e-12]  # ties within rounding of a mean
    assert np.all((best >= lo_med) & (best <= hi_med)), \
        f"MAE minimised at {best}, outside the median interval [{lo_med}, {hi_med}]"
    mean = y.mean()
    h = 1e-3 * (1 + abs(mean))
    m0 = impl.mse_loss(np.full(N, mean), y)
    assert m0 <= impl.mse_loss(np.full(N, mean + h), y) and \
        m0 <= impl.mse_loss(np.full(N, mean - h), y), "MSE not minimised at the mean"
    evidence.count("data sets: mae_loss minimised on the median interval, mse_loss at the mean")


@claim("mae-more-robust-to-outliers-than-mse", kind="sampled")
@pytest.mark.parametrize("residual", [0.5, 1e3, 1e6])
def test_implementation_slopes_bounded_for_mae_growing_for_mse(impl, evidence, residual):
    y = np.array([0.0, 0.0, 0.0, 0.0])
    pred = np.array([residual, 0.25, -0.5, 1.0])
    h = 2.0 ** -10  # dyadic step: pred +- h is exact, the residual keeps its sign
    if WP.declared(impl) == "float32":
        # float32 holds residual +- 2^-10 only for residual < 2^14, and loss values of
        # size r^2 round at u32 r^2: a step of 2^-10 of the residual keeps the difference
        # quotient exact and its rounding error small (probes follow the precision)
        h = max(h, 2.0 ** (math.floor(math.log2(max(residual, 1.0))) - 10))
    e = np.array([1.0, 0, 0, 0]) * h
    mae_slope = (impl.mae_loss(pred + e, y) - impl.mae_loss(pred - e, y)) / (2 * h)
    mse_slope = (impl.mse_loss(pred + e, y) - impl.mse_loss(pred - e, y)) / (2 * h)
    # the central difference of a piecewise-linear / quadratic function is exact; only the
    # loss values round (relative u, amplified by |loss| / h)
    # loss values of size ~r (MAE) and ~r^2 (MSE) round at 8u of that size, divided by 2h
    np.testing.assert_allclose(mae_slope, 1 / 4, rtol=0,
                               atol=WP.tol(impl, 8 * U * (1 + residual) / h),
                               err_msg="d MAE / d y^_i must be 1/N")
    np.testing.assert_allclose(mse_slope, 2 * residual / 4, rtol=WP.tol(impl, 1e-9),
                               atol=WP.tol(impl, 8 * U * (1 + residual**2) / h),
                               err_msg="d MSE / d y^_i must be 2 r / N")
    evidence.table("slope of the loss in one prediction (N = 4)", ["residual", "MAE", "MSE"],
                   [[residual, mae_slope, mse_slope]])


@claim("mae-more-robust-to-outliers-than-mse", kind="exact", scope="instance")
def test_two_points_mae_minimisers_follow_the_outlier(evidence, control):
    t = Fraction(10**9)

    def derive(data):  # the counterexample: an MAE minimiser sits at the outlier t
        def mae(c):
            return sum(abs(v - c) for v in data) / len(data)
        best = min(mae(v) for v in data)  # MAE is piecewise linear: minimal at a data point
        assert mae(t) == best, f"MAE({t}) = {mae(t)} > min {best}: the outlier is no minimiser"
        return mae

    mae = control(derive, [Fraction(0), t], [Fraction(0), Fraction(0), t],
                  [Fraction(0), Fraction(1), t],
                  labels=("N = 3: data {0, 0, t}", "N = 3: data {0, 1, t}"))
    assert mae(t) == mae(0) == mae(t / 2) == t / 2, "every c in [0, t] minimises MAE"
    evidence.note("the minimiser sense needs N >= 3: for N = 2, data {0, t}, MSE's minimiser "
                  "is t/2 and every c in [0, t] minimises MAE (MAE(c) = t/2 there), so with "
                  "t = 1e9 an MAE minimiser sits at the outlier itself")
