"""Evidence for §3.3 (first half): MSE and cross-entropy as negative log-likelihoods.

The derivations are checked symbolically (sympy); the implementations are then tied to
them: the negative log-likelihood computed straight from the densities (scipy.stats,
independent of our losses) must equal the scaled loss plus the stated constant.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from checks.support import strategies as S
from checks.support import precision as WP

claim = pytest.mark.claim
# cheap property checks: a third of the profile's examples (20 under ci, 200 thorough)
SOME = settings(max_examples=max(20, settings.default.max_examples // 3))


# -- Gaussian noise -> MSE ------------------------------------------------------------------
# exact (sympy) for one sample and for N = 3 samples: an instance of the statement; the
# proof for a symbolic N is test_gaussian_log_likelihood_for_symbolic_n below
@claim("gaussian-log-likelihood-closed-form", kind="exact", scope="instance")
def test_gaussian_log_density_termwise_symbolic(evidence):
    y, f = sp.symbols("y f", real=True)
    sigma = sp.symbols("sigma", positive=True)
    density = sp.exp(-(y - f) ** 2 / (2 * sigma**2)) / (sp.sqrt(2 * sp.pi) * sigma)
    term = -(y - f) ** 2 / (2 * sigma**2) - sp.log(sp.sqrt(2 * sp.pi) * sigma)
    assert sp.simplify(sp.expand_log(sp.log(density), force=True)
                       - sp.expand_log(term, force=True)) == 0
    # the sum over N i.i.d. samples: N copies of the per-sample identity (log of a product
    # of positive factors is the sum of logs), shown for N = 3 explicitly
    ys, fs = sp.symbols("y1:4", real=True), sp.symbols("f1:4", real=True)
    joint = sp.Mul(*[density.subs({y: a, f: b}) for a, b in zip(ys, fs)])
    claimed = (-sum((a - b) ** 2 for a, b in zip(ys, fs)) / (2 * sigma**2)
               - 3 * sp.log(sp.sqrt(2 * sp.pi) * sigma))
    assert sp.simplify(sp.expand_log(sp.log(joint), force=True)
                       - sp.expand_log(claimed, force=True)) == 0
    evidence.note("sympy: log N(y; f, sigma^2) = -(y-f)^2/(2 sigma^2) - log(sqrt(2 pi) sigma); "
                  "for N = 3 the joint log-density is the stated sum with constant "
                  "-3 log(sqrt(2 pi) sigma)")


@claim("gaussian-log-likelihood-closed-form", "gaussian-mle-is-mse-minimisation", kind="sampled")
@SOME
@given(n=st.integers(1, 8), sigma=st.floats(0.05, 20.0), seed=st.integers(0, 2**32 - 1))
def test_negative_log_likelihood_is_scaled_mse_plus_constant(impl, evidence, n, sigma, seed):
    rng = np.random.default_rng(seed)
    y, f = rng.normal(size=n) * 3, rng.normal(size=n) * 3
    nll = -np.sum(stats.norm.logpdf(y, loc=f, scale=sigma))  # straight from the density
    from_mse = n / (2 * sigma**2) * impl.mse_loss(f, y) + n * np.log(np.sqrt(2 * np.pi) * sigma)
    # both sides are sums of n terms of size <= |nll| + n |log sigma| + ...; float64 error
    # is a few u per term relative to the largest magnitude involved
    scale = np.sum((y - f) ** 2) / (2 * sigma**2) + n * abs(np.log(np.sqrt(2 * np.pi) * sigma))
    np.testing.assert_allclose(nll, from_mse, rtol=WP.tol(impl, 1e-12), atol=WP.tol(impl, 1e-13 * (1 + scale)),
                               err_msg="-log L != N/(2 sigma^2) MSE + N log(sqrt(2 pi) sigma)")
    evidence.count("samples where -log L = N/(2 sigma^2) * mse_loss + N log(sqrt(2 pi) sigma)")


@claim("gaussian-mle-is-mse-minimisation", kind="symbolic", scope="instance")
def test_gaussian_maximiser_is_mse_minimiser_symbolic(evidence):
    S_ = sp.Symbol("S", positive=True)  # S = sum of squared residuals at theta
    N = sp.Symbol("N", integer=True, positive=True)  # the number of samples, symbolic
    sigma = sp.symbols("sigma", positive=True)
    loglik = -S_ / (2 * sigma**2) - N * sp.log(sp.sqrt(2 * sp.pi) * sigma)
    mse = S_ / N
    # log L = -(N / (2 sigma^2)) MSE - const: a strictly decreasing affine map of MSE
    m = sp.Symbol("m", positive=True)  # the MSE
    slope = sp.diff(loglik.subs(S_, N * m), m)
    assert sp.simplify(slope + N / (2 * sigma**2)) == 0 and (-slope).is_positive
    # sigma fitted jointly: the profile likelihood max_sigma log L is decreasing in S too
    best_sigma2 = sp.solve(sp.diff(loglik, sigma), sigma)
    assert len(best_sigma2) == 1
    profile = sp.simplify(loglik.subs(sigma, best_sigma2[0]))
    assert sp.simplify(best_sigma2[0] ** 2 - mse) == 0
    assert sp.simplify(sp.diff(profile, S_) + N / (2 * S_)) == 0
    evidence.note("sympy: log L = -(N/(2 sigma^2)) * MSE - N log(sqrt(2 pi) sigma), slope "
                  "-N/(2 sigma^2) < 0, so argmax log L = argmin MSE; fitting sigma too gives "
                  "sigma^2 = MSE and profile slope d/dS = -N/(2S) < 0: the same theta")


@claim("gaussian-mle-is-mse-minimisation", kind="sampled")
@SOME
@given(seed=st.integers(0, 2**32 - 1), sigma=st.floats(0.1, 10.0))
def test_likelihood_ranks_models_in_reverse_mse_order(impl, evidence, seed, sigma):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=6)
    f1, f2 = y + rng.normal(size=6), y + rng.normal(size=6) * 2
    l1 = np.sum(stats.norm.logpdf(y, loc=f1, scale=sigma))
    l2 = np.sum(stats.norm.logpdf(y, loc=f2, scale=sigma))
    m1, m2 = impl.mse_loss(f1, y), impl.mse_loss(f2, y)
    if abs(m1 - m2) > 1e-9 * (m1 + m2):  # ties within rounding say nothing
        assert (l1 > l2) == (m1 < m2), "the likelier model must have the smaller MSE"
        evidence.count("model pairs ranked identically by likelihood and by MSE")


# -- Bernoulli -> BCE ------------------------------------------------------------------------
@claim("bernoulli-compact-form-selects-probability", kind="symbolic")
def test_bernoulli_compact_form_symbolic(evidence, control):
    # sizeless: a statement about one probability pi in [0, 1] and one label y in {0, 1}
    pi = sp.symbols("pi", real=True)

    def derive(form):  # the statement: form(pi, 1) = pi, form(pi, 0) = 1 - pi
        assert sp.simplify(form(pi, 1) - pi) == 0, f"form(pi, 1) = {form(pi, 1)}"
        assert sp.simplify(form(pi, 0) - (1 - pi)) == 0, f"form(pi, 0) = {form(pi, 0)}"
        # endpoints: sympy (like Python) takes 0**0 = 1, which the article's argument needs
        for p in (sp.Integer(0), sp.Integer(1)):
            assert form(p, 1) == p and form(p, 0) == 1 - p, f"form at pi = {p}"

    control(derive, lambda p, y: p**y * (1 - p) ** (1 - y),
            lambda p, y: p ** (1 - y) * (1 - p) ** y, lambda p, y: p**y * (1 - p) ** y,
            labels=("pi^(1-y) (1-pi)^y (exponents swapped)", "pi^y (1-pi)^y"))
    evidence.note("sympy: pi^1 (1-pi)^0 = pi and pi^0 (1-pi)^1 = 1 - pi for symbolic pi; at "
                  "pi in {0, 1} this uses 0^0 = 1")


@claim("cat-dog-example-probabilities", kind="exact")
def test_cat_dog_probabilities_exact(evidence, control):
    f = sp.Rational(4, 5)

    def derive(values):  # the statement: p(y = 1 | x), p(y = 0 | x)
        got = (f**1 * (1 - f) ** 0, f**0 * (1 - f) ** 1)
        assert got == tuple(values), f"(p(y=1), p(y=0)) = {got}, not {values}"

    control(derive, (sp.Rational(4, 5), sp.Rational(1, 5)),
            (sp.Rational(1, 5), sp.Rational(4, 5)), (sp.Rational(4, 5), sp.Rational(4, 5)),
            labels=("(0.2, 0.8) (labels swapped)", "(0.8, 0.8)"))
    evidence.note("exact: 0.8^1 * 0.2^0 = 4/5 (true label cat), 0.8^0 * 0.2^1 = 1/5 (dog)")


# exact (sympy) for one sample, N = 1: an instance of the statement; the proof for a
# symbolic N is test_bernoulli_log_likelihood_for_symbolic_n below
@claim("bernoulli-negative-log-likelihood-is-bce", kind="exact", scope="instance")
def test_bernoulli_log_likelihood_symbolic(evidence):
    f = sp.symbols("f", positive=True)
    y = sp.symbols("y", real=True)
    lhs = sp.expand_log(sp.log(f**y * (1 - f) ** (1 - y)), force=True)
    rhs = y * sp.log(f) + (1 - y) * sp.log(1 - f)
    assert sp.simplify(sp.expand(lhs - sp.expand_log(rhs, force=True))) == 0
    evidence.note("sympy: log(f^y (1-f)^(1-y)) = y log f + (1-y) log(1-f) for 0 < f < 1; "
                  "summing over i.i.d. samples gives the stated log-likelihood")


@claim("bernoulli-negative-log-likelihood-is-bce", kind="sampled")
@SOME
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 10))
def test_bce_times_n_is_bernoulli_negative_log_likelihood(impl, evidence, seed, n):
    rng = np.random.default_rng(seed)
    f = rng.uniform(0.01, 0.99, size=n)
    y = rng.integers(0, 2, size=n)
    nll = -np.sum(stats.bernoulli.logpmf(y, f))
    # n terms, each one log: relative error a few u per term, all terms >= 0
    np.testing.assert_allclose(n * impl.binary_cross_entropy(f, y.astype(float)), nll,
                               rtol=WP.tol(impl, 1e-13), atol=WP.underflow_tol(impl, 1e-300),
                               err_msg="N * BCE != -sum log Bernoulli(y_i; f_i)")
    evidence.count("samples: N * binary_cross_entropy = Bernoulli NLL")


# -- categorical -> CCE ---------------------------------------------------------------------
# exact (sympy) for K = 3 classes: an instance of the statement; the proof for a symbolic
# K is test_categorical_log_likelihood_for_symbolic_classes below
@claim("categorical-negative-log-likelihood-is-cce", kind="exact", scope="instance")
def test_categorical_log_likelihood_of_softmax_symbolic(evidence):
    z = sp.symbols("z1:4", real=True)
    Z = sum(sp.exp(v) for v in z)
    p = [sp.exp(v) / Z for v in z]
    for k in range(3):
        y = [1 if j == k else 0 for j in range(3)]
        nll = -sp.log(sp.Mul(*[pj**yj for pj, yj in zip(p, y)]))
        cce = -sum(yj * sp.log(pj) for pj, yj in zip(p, y))
        assert sp.simplify(nll - cce) == 0
        assert sp.simplify(sp.expand_log(cce, force=True) - (sp.log(Z) - z[k])) == 0
    evidence.note("sympy, K = 3: -log prod_k p_k^{y_k} = -sum_k y_k log p_k = "
                  "log sum_j e^{z_j} - z_k for each one-hot y (softmax p)")


@claim("categorical-negative-log-likelihood-is-cce", kind="sampled")
@SOME
@given(z=S.logit_arrays(max_rows=5, max_cols=4, extreme=False), seed=st.integers(0, 2**32 - 1))
def test_cce_is_categorical_negative_log_likelihood(impl, evidence, z, seed):
    labels = np.random.default_rng(seed).integers(0, z.shape[1], z.shape[0])
    P = impl.softmax(z, axis=-1)
    nll = -sum(stats.multinomial.logpmf(np.eye(z.shape[1])[k], 1, P[n])
               for n, k in enumerate(labels))
    got = z.shape[0] * impl.categorical_cross_entropy(P, np.eye(z.shape[1])[labels])
    # logpmf(one-hot; 1, p) = log p_k exactly up to rounding of one log per sample
    np.testing.assert_allclose(got, nll, rtol=WP.tol(impl, 1e-12), atol=WP.tol(impl, 1e-12),
                               err_msg="N * CCE != -sum log Categorical(y_n; p_n)")
    evidence.count("batches: N * categorical_cross_entropy = categorical NLL")


# -- the same identities for a symbolic number of samples N ---------------------------------
I_N, N_S = sp.symbols("i N", integer=True, positive=True)


@claim("gaussian-log-likelihood-closed-form", kind="symbolic")
@claim("gaussian-mle-is-mse-minimisation", kind="symbolic")
def test_gaussian_log_likelihood_for_symbolic_n(evidence, control):
    """sum_{i=1}^N log N(y_i; f_i, sigma^2) = -SSE / (2 sigma^2) - N log(sqrt(2 pi) sigma) for
    a symbolic N (sums expanded by linearity only); the SSE's coefficient is negative and
    the rest is free of f, so the maximiser over f (over theta) minimises the SSE."""
    from claimledger.symbolic import constant_sums, expand_log_in_sums, linear

    y, f = sp.IndexedBase("y", real=True), sp.IndexedBase("f", real=True)
    sig = sp.symbols("sigma", positive=True)
    density = sp.exp(-(y[I_N] - f[I_N]) ** 2 / (2 * sig ** 2)) / (sp.sqrt(2 * sp.pi) * sig)
    ll = expand_log_in_sums(sp.Sum(sp.log(density), (I_N, 1, N_S)))
    sse = sp.Sum((y[I_N] - f[I_N]) ** 2, (I_N, 1, N_S))

    def derive(statement):  # the statement: log-likelihood = coeff SSE + rest
        coeff, rest = statement
        gap = constant_sums(linear(ll - (coeff * sse + rest)))
        assert sp.expand(sp.expand_log(gap, force=True)) == 0, f"closed form fails: {gap}"
        # the MLE: a negative multiple of the SSE plus a term free of f
        assert coeff.is_negative and not rest.has(f), "log-likelihood = c SSE + r with c < 0"

    control(derive, (-1 / (2 * sig ** 2), -N_S * sp.log(sp.sqrt(2 * sp.pi) * sig)),
            (-1 / sig ** 2, -N_S * sp.log(sp.sqrt(2 * sp.pi) * sig)),
            (-1 / (2 * sig ** 2), -sp.log(sp.sqrt(2 * sp.pi) * sig)),
            (-1 / (2 * sig ** 2), -N_S * sp.log(2 * sp.pi * sig ** 2)),
            (1 / (2 * sig ** 2), -N_S * sp.log(sp.sqrt(2 * sp.pi) * sig)),
            labels=("-SSE / sigma^2 (the 2 dropped)", "constant -log(sqrt(2 pi) sigma) "
                    "(the N dropped)", "constant -N log(2 pi sigma^2) (the square root "
                    "dropped)", "+SSE / (2 sigma^2) (sign: maximising would maximise SSE)"))
    evidence.note("sympy, symbolic N: sum_i log p(y_i | f_i) = -SSE/(2 sigma^2) - N log(sqrt(2 pi)"
                  " sigma) by linearity of the sum; the SSE enters with a negative "
                  "coefficient and the constant is free of f, so argmax log-likelihood = "
                  "argmin SSE")


@claim("bernoulli-negative-log-likelihood-is-bce", kind="symbolic")
def test_bernoulli_log_likelihood_for_symbolic_n(evidence, control):
    """log prod_i f_i^{y_i} (1 - f_i)^{1 - y_i} = sum_i [y_i log f_i + (1 - y_i) log(1 - f_i)]
    for f_i in (0, 1) and symbolic N, and its negative is N times the per-sample mean BCE."""
    from claimledger.symbolic import expand_log_in_sums, linear

    y, f = sp.IndexedBase("y", real=True), sp.IndexedBase("f", positive=True)
    # log of the product = sum of the logs (positive factors), then each log expanded
    ll = expand_log_in_sums(sp.Sum(sp.log(f[I_N] ** y[I_N] * (1 - f[I_N]) ** (1 - y[I_N])),
                                   (I_N, 1, N_S)))
    bce_mean = sp.Sum(-y[I_N] * sp.log(f[I_N]) - (1 - y[I_N]) * sp.log(1 - f[I_N]),
                      (I_N, 1, N_S)) / N_S

    def derive(statement):  # the statement: the summand, and -log-likelihood = scale * BCE
        term, scale = statement
        target = sp.Sum(term(y[I_N], f[I_N]), (I_N, 1, N_S))
        assert linear(ll - target) == 0, "log-likelihood is not the summed Bernoulli terms"
        assert linear(-target - scale * bce_mean) == 0, f"-log-likelihood != {scale} * mean BCE"

    control(derive, (lambda t, p: t * sp.log(p) + (1 - t) * sp.log(1 - p), N_S),
            (lambda t, p: t * sp.log(1 - p) + (1 - t) * sp.log(p), N_S),
            (lambda t, p: t * sp.log(p) + (1 - t) * sp.log(1 - p), sp.Integer(1)),
            labels=("y log(1 - f) + (1 - y) log f (logs swapped)",
                    "-log-likelihood = mean BCE (the N dropped)"))
    evidence.note("sympy, symbolic N: log prod f^y (1-f)^(1-y) = sum [y log f + (1-y) log(1-f)] "
                  "(f_i, 1 - f_i > 0), and its negative is N times the mean BCE")


@claim("categorical-negative-log-likelihood-is-cce", kind="symbolic")
def test_categorical_log_likelihood_for_symbolic_classes(evidence, control):
    """-log prod_{k=1}^K p_k^{y_k} = -sum_k y_k log p_k for K symbolic (p_k > 0, as a
    softmax output is), and for a one-hot y = e_c it is -log p_c."""
    from claimledger.symbolic import linear

    k, c, K = sp.symbols("k c K", integer=True, positive=True)
    p, y = sp.IndexedBase("p", positive=True), sp.IndexedBase("y", real=True)
    nll = -sp.expand_log(sp.log(sp.Product(p[k] ** y[k], (k, 1, K))), force=True)

    def one_hot(e):  # y = e_c with the class c in 1..K
        e = e.replace(lambda t: isinstance(t, sp.Indexed) and t.base == y,
                      lambda t: sp.KroneckerDelta(t.indices[0], c)).doit()
        return e.replace(lambda t: isinstance(t, sp.Piecewise),
                         lambda t: t.args[0].expr if t.args[0].cond in
                         (sp.Le(c, K), sp.Ge(K, c)) else t)

    def derive(statement):  # the statement: the CCE as a function of y, p; its one-hot value
        cce_of, at_one_hot = statement
        cce = cce_of(y, p)
        assert linear(nll - cce) == 0, f"-log prod p^y = {nll}, not {cce}"
        assert sp.expand(one_hot(cce) - at_one_hot) == 0, f"one-hot CCE = {one_hot(cce)}"

    control(derive, (lambda yy, pp: -sp.Sum(yy[k] * sp.log(pp[k]), (k, 1, K)), -sp.log(p[c])),
            (lambda yy, pp: -sp.Sum(yy[k] * sp.log(pp[k]), (k, 1, K)) / K, -sp.log(p[c]) / K),
            (lambda yy, pp: -sp.Sum(yy[k] * sp.log(pp[k]), (k, 1, K)), -sp.log(1 - p[c])),
            labels=("CCE averaged over the K classes", "one-hot value -log(1 - p_c)"))
    evidence.note("sympy, symbolic K: -log prod_k p_k^{y_k} = -sum_k y_k log p_k, = -log p_c "
                  "for y = e_c")
