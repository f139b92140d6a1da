"""Evidence for §5.2: L2 and L1 penalties as MAP priors, and why L1 gives exact zeros.

The prior-to-penalty mappings are proved in sympy and then checked on the
implementation: ridge at lam = s^2 / tau^2 is the Gaussian posterior mode (the posterior
mean formula, a different route), and the lasso at lam = s^2 / b minimises the Laplace
negative log-posterior, certified by an exact duality gap. The lasso solver's output is
certified in rational arithmetic: the duality gap bounds its suboptimality, and a
gap-safe screening rule (Fercoq, Gramfort and Salmon 2015) proves which coordinates are
zero at *every* optimum - those must be exactly 0.0 in the output.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from checks.support import strategies as S
from claimledger import symbolic as Sy

claim = pytest.mark.claim


# -- exact lasso certificates ---------------------------------------------------------
def _fr(v) -> Fraction:
    return Fraction(float(v))  # the exact rational value of a float


def lasso_certificate(X, y, lam, w):
    """Exact (gap, theta, corr, col_sq) for 1/2 ||y - X w||^2 + lam ||w||_1 at w.

    theta = s r with r = y - X w and s = min(1, lam / ||X^T r||_inf) is dual feasible, so
    gap = P(w) - D(theta) >= P(w) - P* (weak duality), D(theta) = 1/2 ||y||^2 -
    1/2 ||y - theta||^2."""
    Xf = [[_fr(v) for v in row] for row in np.asarray(X)]
    yf, wf, lf = [_fr(v) for v in y], [_fr(v) for v in w], _fr(lam)
    d = len(wf)
    r = [yi - sum(a * b for a, b in zip(row, wf)) for yi, row in zip(yf, Xf)]
    corr = [sum(Xf[i][j] * r[i] for i in range(len(r))) for j in range(d)]
    cmax = max((abs(c) for c in corr), default=Fraction(0))
    s = Fraction(1) if cmax <= lf else lf / cmax
    theta = [s * v for v in r]
    primal = sum(v * v for v in r) / 2 + lf * sum(abs(v) for v in wf)
    dual = sum(v * v for v in yf) / 2 - sum((a - b) ** 2 for a, b in zip(yf, theta)) / 2
    col_sq = [sum(Xf[i][j] ** 2 for i in range(len(r))) for j in range(d)]
    return primal - dual, theta, corr, col_sq, Xf


def certified_zero(j, theta, Xf, col_sq, lam, gap) -> bool:
    """Gap-safe rule: |X_j . theta| + ||X_j|| sqrt(2 gap) < lam  =>  w*_j = 0 at every optimum
    (||theta - theta*|| <= sqrt(2 gap) by 1-strong concavity of the dual). Exact: squares."""
    slack = _fr(lam) - abs(sum(Xf[i][j] * theta[i] for i in range(len(theta))))
    return slack > 0 and slack * slack > col_sq[j] * 2 * gap


# -- 5.2 the log-posterior ---------------------------------------------------------------
def _normal_density(x, mean, var):
    return sp.exp(-(x - mean) ** 2 / (2 * var)) / sp.sqrt(2 * sp.pi * var)


@claim("log-posterior-is-log-likelihood-plus-log-prior-up-to-constant", kind="symbolic", target="counterexample")
@claim("log-posterior-is-log-likelihood-plus-log-prior-up-to-constant", kind="symbolic", scope="instance", target="corrected")
def test_log_posterior_differs_by_a_constant_not_a_factor(evidence, control):
    th = sp.Symbol("theta", real=True)

    def derive(model):  # one observation y = 0 ~ N(theta, s2), prior theta ~ N(0, t2)
        s2, t2 = model
        lik, prior = _normal_density(0, th, s2), _normal_density(th, 0, t2)
        evidence_ = sp.integrate(lik * prior, (th, -sp.oo, sp.oo))  # p(D), by Bayes' rule
        log_post = sp.expand_log(sp.log(lik * prior / evidence_), force=True)
        log_sum = sp.expand_log(sp.log(lik), force=True) + sp.expand_log(sp.log(prior), force=True)
        ratio = [sp.simplify(log_post / log_sum).subs(th, v) for v in (0, 1)]
        assert sp.simplify(ratio[0] - ratio[1]).is_zero is False, \
            f"log p(theta|D) / (log p(D|theta) + log p(theta)) = {ratio} is constant here"
        return log_post, evidence_, ratio

    log_post, p_data, ratio = control(
        derive, (1, 1), (1 / (4 * sp.pi), 1 / (4 * sp.pi)),
        labels=("s2 = t2 = 1/(4 pi), where p(D) = 1 (log p(D) = 0)",))
    # the posterior is N(0, 1/2) and the gap is the constant -log p(D) = log sqrt(4 pi)
    assert sp.simplify(p_data - 1 / sp.sqrt(4 * sp.pi)) == 0
    assert sp.simplify(log_post - (sp.log(1 / sp.sqrt(sp.pi)) - th**2)) == 0
    evidence.counterexample("y = 0 ~ N(theta, 1), theta ~ N(0, 1): log p(theta|D) / "
                            "(log p(D|theta) + log p(theta)) is "
                            f"{float(ratio[0]):.4f} at theta = 0 and {float(ratio[1]):.4f} at "
                            "theta = 1, so not proportional; the difference is the constant "
                            "-log p(D) = log sqrt(4 pi)")


# -- L2 <-> Gaussian -------------------------------------------------------------------
@claim("l2-penalty-is-map-under-gaussian-prior", kind="symbolic", scope="instance")
def test_gaussian_prior_gives_l2_penalty_symbolic(evidence):
    d = 3
    th = sp.Matrix(sp.symbols(f"t1:{d + 1}", real=True))
    tau, sig = sp.symbols("tau sigma", positive=True)
    neg_log_prior = -sum(sp.log(sp.exp(-t**2 / (2 * tau**2)) / sp.sqrt(2 * sp.pi * tau**2))
                         for t in th)
    sq = (th.T * th)[0]
    const = sp.expand(sp.expand_log(neg_log_prior - sq / (2 * tau**2), force=True))
    assert not const.free_symbols & set(th), f"-log p(theta) - ||theta||^2/(2 tau^2) = {const}"
    lam = sp.Symbol("lambda", positive=True)
    assert sp.solve(sp.Eq(lam * sq, sq / (2 * tau**2)), lam) == [1 / (2 * tau**2)]
    # Gaussian likelihood: NLL = ||y - X t||^2 / (2 s^2) + c; times 2 s^2 -> ridge scale
    rss = sp.Symbol("RSS", nonnegative=True)
    scaled = sp.expand(2 * sig**2 * (rss / (2 * sig**2) + sq / (2 * tau**2)))
    assert sp.simplify(scaled - (rss + sig**2 / tau**2 * sq)) == 0
    evidence.note("sympy: -log N(theta; 0, tau^2 I) = ||theta||^2 / (2 tau^2) + const, so "
                  "lambda = 1 / (2 tau^2); with a N(., s^2) likelihood the MAP objective times "
                  "2 s^2 is ||y - X theta||^2 + (s^2 / tau^2) ||theta||^2: ridge lam = s^2/tau^2")


def _neg_log_of_iid(density, t, j, d):
    """-log prod_{j=1}^d density(t_j) = Sum_j -log density(t_j), logs expanded termwise."""
    return sp.Sum(sp.expand(sp.expand_log(-sp.log(density), force=True)), (j, 1, d))


@claim("l2-penalty-is-map-under-gaussian-prior", kind="symbolic")
@claim("l1-penalty-is-map-under-laplace-prior", kind="symbolic")
def test_iid_priors_give_penalties_in_any_dimension_symbolic(evidence, control):
    # symbolic dimension d and sample count N; theta, X, y indexed
    d, N = sp.symbols("d N", integer=True, positive=True)
    i, j, k = sp.symbols("i j k", integer=True)
    t, x, yv = sp.IndexedBase("theta"), sp.IndexedBase("x"), sp.IndexedBase("y")
    tau, b, sig = sp.symbols("tau b sigma", positive=True)
    gauss = sp.exp(-t[j] ** 2 / (2 * tau**2)) / sp.sqrt(2 * sp.pi * tau**2)
    lap = sp.exp(-sp.Abs(t[j]) / b) / (2 * b)
    sq, l1 = sp.Sum(t[j] ** 2, (j, 1, d)), sp.Sum(sp.Abs(t[j]), (j, 1, d))
    neg_log_g = _neg_log_of_iid(gauss, t, j, d)
    neg_log_l = _neg_log_of_iid(lap, t, j, d)
    # Gaussian likelihood with variance s^2: NLL = Sum_i r_i^2 / (2 s^2) + (N/2) log(2 pi s^2)
    r = yv[i] - sp.Sum(x[i, k] * t[k], (k, 1, d))
    lik = sp.exp(-r**2 / (2 * sig**2)) / sp.sqrt(2 * sp.pi * sig**2)
    nll = sp.Sum(sp.expand(sp.expand_log(-sp.log(lik), force=True)), (i, 1, N))
    rss = sp.Sum(sp.expand(r**2), (i, 1, N))
    rest_lik = Sy.linear(nll - rss / (2 * sig**2)).doit()
    assert not rest_lik.has(t), rest_lik  # the theta-dependent part of the NLL: RSS / (2 s^2)

    def derive(statement):  # the penalty weights, and the ridge / lasso lam they give
        lam2, lam1, ridge_lam, lasso_lam = statement
        # -log p(theta) - lambda penalty is a constant times d: free of theta
        rest_g = Sy.linear(neg_log_g - lam2 * sq).doit()
        rest_l = Sy.linear(neg_log_l - lam1 * l1).doit()
        assert not rest_g.has(t), f"-log N(0, tau^2 I) - {lam2} ||theta||^2 = {rest_g}"
        assert not rest_l.has(t), f"-log Laplace - {lam1} ||theta||_1 = {rest_l}"
        # -log posterior = NLL - log p(theta) + log p(D): up to theta-free constants
        # RSS / (2 s^2) + penalty; scaled by 2 s^2 (ridge scale) and s^2 (lasso scale)
        ridge = Sy.linear(2 * sig**2 * (rss / (2 * sig**2) + lam2 * sq) - (rss + ridge_lam * sq))
        lasso = Sy.linear(sig**2 * (rss / (2 * sig**2) + lam1 * l1) - (rss / 2 + lasso_lam * l1))
        assert ridge == 0 and lasso == 0, (ridge, lasso)
        return rest_g, rest_l

    truth = (1 / (2 * tau**2), 1 / b, sig**2 / tau**2, sig**2 / b)
    rest_g, rest_l = control(
        derive, truth, (1 / tau**2,) + truth[1:], truth[:1] + (1 / (2 * b),) + truth[2:],
        truth[:2] + (1 / tau**2, truth[3]), truth[:3] + (1 / b,),
        labels=("lambda = 1 / tau^2 (the 2 dropped)", "lambda = 1 / (2 b)",
                "ridge lam = 1 / tau^2 (the likelihood's s^2 dropped)",
                "lasso lam = 1 / b (the likelihood's s^2 dropped)"))
    assert sp.simplify(rest_g - d * sp.log(2 * sp.pi * tau**2) / 2) == 0, rest_g
    assert sp.simplify(rest_l - d * sp.log(2 * b)) == 0, rest_l
    evidence.note("sympy, symbolic d and N (indexed sums expanded by linearity only): "
                  "-log N(0, tau^2 I) = ||theta||^2 / (2 tau^2) + (d/2) log(2 pi tau^2); "
                  "-log prod Laplace(0, b) = ||theta||_1 / b + d log(2b); the Gaussian NLL is "
                  "RSS / (2 s^2) + const, so MAP = ridge with lam = s^2 / tau^2 (on RSS) and "
                  "lasso with lam = s^2 / b (on RSS / 2)")


@claim("l2-penalty-is-map-under-gaussian-prior", kind="sampled")
@given(problem=S.lasso_problems(max_rows=8, max_cols=5),
       sigma=st.sampled_from([0.5, 1.0, 2.0]), tau=st.sampled_from([0.25, 1.0, 3.0]))
def test_ridge_is_gaussian_posterior_mode(impl, evidence, problem, sigma, tau):
    X, y, _ = problem
    Xf, yf = X.astype(float), y.astype(float)
    w = impl.ridge(Xf, yf, sigma**2 / tau**2)
    d = X.shape[1]
    # Bayesian linear regression: posterior N(m, A^{-1}), A = X^T X / s^2 + I / t^2,
    # m = A^{-1} X^T y / s^2; a Gaussian's mode is its mean
    A = Xf.T @ Xf / sigma**2 + np.eye(d) / tau**2
    m = np.linalg.solve(A, Xf.T @ yf / sigma**2)
    # both solve a system with smallest eigenvalue >= 1/tau^2 and entries <= 8*16/s^2: the
    # condition number stays below ~1e5, so 1e-9 relative leaves a wide margin
    np.testing.assert_allclose(w, m, rtol=1e-9, atol=1e-9 * max(1.0, np.abs(m).max()),
                               err_msg="ridge(lam = s^2/tau^2) != Gaussian posterior mode")
    # and the gradient of -log posterior (via scipy's log-densities) vanishes there
    eps = 1e-6

    def neg_log_post(v):
        return -(stats.norm.logpdf(yf, loc=Xf @ v, scale=sigma).sum()
                 + stats.norm.logpdf(v, scale=tau).sum())

    grad = np.array([(neg_log_post(w + eps * e) - neg_log_post(w - eps * e)) / (2 * eps)
                     for e in np.eye(d)])
    # -log posterior is quadratic, so central differences have no truncation error; what
    # remains is the rounding of two evaluations of size |f|, about 2 |f| eps_mach / (2 eps)
    # (taken 100x), plus the ridge solution's own error (1e-9 relative, times ||grad f||
    # scale ~ ||X||^2 / s^2 <= 1e3 here)
    f_scale = abs(neg_log_post(w)) + 1.0
    tol = 100 * f_scale * np.finfo(float).eps / eps + 1e-6
    assert np.all(np.abs(grad) <= tol), f"gradient of -log posterior at ridge: {grad}"
    evidence.worst("|finite-difference gradient| / tolerance", float(np.abs(grad).max() / tol))
    evidence.count("problems: ridge = posterior mode, stationary for scipy's log-density")


# -- L1 <-> Laplace --------------------------------------------------------------------
@claim("l1-penalty-is-map-under-laplace-prior", kind="symbolic", scope="instance")
def test_laplace_prior_gives_l1_penalty_symbolic(evidence):
    t = sp.Symbol("theta", real=True)
    b, sig = sp.symbols("b sigma", positive=True)
    density = sp.exp(-sp.Abs(t) / b) / (2 * b)
    assert sp.integrate(density.rewrite(sp.Piecewise), (t, -sp.oo, sp.oo)) == 1
    const = sp.expand_log(-sp.log(density) - sp.Abs(t) / b, force=True)
    assert t not in const.free_symbols, const
    assert sp.simplify(const - sp.log(2 * b)) == 0
    # with a N(., s^2) likelihood, s^2 (RSS / (2 s^2) + ||t||_1 / b) = RSS/2 + (s^2/b) ||t||_1
    rss, l1 = sp.symbols("RSS L1", nonnegative=True)
    assert sp.expand(sig**2 * (rss / (2 * sig**2) + l1 / b)) == rss / 2 + sig**2 / b * l1
    evidence.note("sympy: Laplace(0, b) integrates to 1 and -log p = |theta|/b + log(2b), so "
                  "lambda = 1/b; on the 1/2 ||y - X w||^2 scale the lasso lam is s^2 / b")


@claim("l1-penalty-is-map-under-laplace-prior", kind="sampled")
@given(problem=S.lasso_problems(max_rows=8, max_cols=5),
       sigma=st.sampled_from([0.5, 1.0, 2.0]), b=st.sampled_from([0.25, 1.0, 4.0]),
       probe_seed=st.integers(0, 2**32 - 1))
def test_lasso_is_laplace_posterior_mode(impl, evidence, problem, sigma, b, probe_seed):
    X, y, _ = problem
    Xf, yf = X.astype(float), y.astype(float)
    lam = sigma**2 / b

    def neg_log_post(v):  # from scipy's densities, independent of our algebra
        return -(stats.norm.logpdf(yf, loc=Xf @ v, scale=sigma).sum()
                 + stats.laplace.logpdf(v, scale=b).sum())

    def lasso_obj(v):
        return 0.5 * np.sum((yf - Xf @ v) ** 2) + lam * np.abs(v).sum()

    probes = np.random.default_rng(probe_seed).normal(scale=2.0, size=(6, X.shape[1]))
    offsets = [neg_log_post(v) - lasso_obj(v) / sigma**2 for v in probes]
    # the offset is the theta-free normalising constant; rounding of terms of size ~1e3
    np.testing.assert_allclose(offsets, offsets[0], rtol=0, atol=1e-9 * (1 + abs(offsets[0])),
                               err_msg="-log posterior != lasso objective / s^2 + const")
    w = impl.lasso(Xf, yf, lam, max_iter=100_000, tol=1e-12)
    gap = lasso_certificate(Xf, yf, lam, w)[0]
    bound = 1e-10 * (0.5 * float(yf @ yf) + 1.0)
    assert 0 <= gap <= bound, f"lasso output not certified optimal: gap {float(gap):.3g}"
    evidence.worst("-log posterior(lasso) - min, certified <= gap / s^2", float(gap) / sigma**2)
    evidence.count("problems: -log posterior = lasso / s^2 + const; lasso output certified")


# -- shapes at 0 and sparsity ------------------------------------------------------------
@claim("gaussian-log-prior-smooth-laplace-kinked-at-zero", kind="symbolic")
def test_one_sided_derivatives_at_zero_symbolic(evidence, control):
    t = sp.Symbol("theta", real=True)
    tau, b = sp.symbols("tau b", positive=True)
    gauss = sp.exp(-t**2 / (2 * tau**2)) / sp.sqrt(2 * sp.pi * tau**2)
    lap = sp.exp(-sp.Abs(t) / b) / (2 * b)

    h = sp.Symbol("h", positive=True)

    def one_sided(f):  # by definition: lim (f(0 -+ h) - f(0)) / (-+h) as h -> 0+
        f0 = f.subs(t, 0)
        return (sp.limit((f.subs(t, -h) - f0) / (-h), h, 0, "+"),
                sp.limit((f.subs(t, h) - f0) / h, h, 0, "+"))

    slopes = {"gauss": one_sided(-sp.log(gauss)), "laplace": one_sided(-sp.log(lap))}

    def derive(statement):  # the one-sided derivatives of -log p at 0 (left, right)
        for name, claimed in statement.items():
            got = slopes[name]
            assert all(sp.simplify(g - c) == 0 for g, c in zip(got, claimed)), \
                f"one-sided derivatives of -log p ({name}) at 0: {got}, not {claimed}"

    control(derive, {"gauss": (0, 0), "laplace": (-1 / b, 1 / b)},
            {"gauss": (0, 0), "laplace": (1 / b, -1 / b)},
            {"gauss": (0, 0), "laplace": (1 / (2 * b**2), -1 / (2 * b**2))},
            {"gauss": (-1 / tau, 1 / tau), "laplace": (-1 / b, 1 / b)},
            labels=("Laplace +1/b, -1/b (signs swapped)",
                    "Laplace +1/(2b^2), -1/(2b^2) (the density's slopes, not -log p's)",
                    "Gaussian -1/tau, +1/tau (a kink)"))
    assert one_sided(gauss) == (0, 0)
    left, right = one_sided(lap)
    assert (sp.simplify(left - 1 / (2 * b**2)), sp.simplify(right + 1 / (2 * b**2))) == (0, 0)
    evidence.note("sympy one-sided derivatives at 0: Gaussian density and -log density 0 and 0 "
                  "(smooth, zero slope); Laplace -log density -1/b and +1/b, density "
                  "+1/(2b^2) and -1/(2b^2) (a kink: the peak)")


def _zero_region_of_l1(z, lam, w):
    """The z for which w = 0 minimises (w - z)^2 / 2 + lam |w|: the one-sided slopes at 0
    bracket 0, -z - lam <= 0 <= -z + lam (lam > 0)."""
    right = sp.diff((w - z) ** 2 / 2 + lam * w, w).subs(w, 0)
    left = sp.diff((w - z) ** 2 / 2 - lam * w, w).subs(w, 0)
    solve_set = sp.solve_univariate_inequality
    lower, upper = solve_set(left <= 0, z, relational=False), solve_set(right >= 0, z,
                                                                       relational=False)
    # two half-lines [lo, oo) and (-oo, hi] meet in [lo, hi] when lo <= hi
    assert lower.sup == sp.oo and upper.inf == -sp.oo and (upper.sup - lower.inf).is_nonnegative
    return sp.Interval(lower.inf, upper.sup, lower.left_open, upper.right_open)


@claim("sparsity-needs-penalty-kink-at-zero", kind="symbolic")
def test_smooth_penalty_zeroes_only_zero_signal_symbolic(evidence, control):
    w, z = sp.symbols("w z", real=True)
    lam = sp.Symbol("lambda", positive=True)
    g = sp.Function("g")
    zero_region = _zero_region_of_l1(z, lam, w)

    def derive(statement):  # a smooth penalty rho; the z where |w| gives the solution 0
        rho, l1_zero_set = statement
        obj = (w - z) ** 2 / 2 + lam * rho(w)
        stationary_at_zero = sp.diff(obj, w).subs(w, 0).doit()
        assert sp.solve(sp.Eq(stationary_at_zero, 0), z) == [0], \
            f"w = 0 is stationary for z solving {stationary_at_zero} = 0, not only z = 0"
        assert zero_region == l1_zero_set, f"|w| gives w = 0 exactly for z in {zero_region}"

    control(derive, (lambda v: g(v**2), sp.Interval(-lam, lam)),
            (lambda v: g(v), sp.Interval(-lam, lam)),
            (lambda v: g(v**2), sp.Interval(-lam / 2, lam / 2)),
            labels=("rho = g(w) differentiable but not even (rho'(0) may be nonzero)",
                    "the L1 zero set |z| <= lam / 2"))
    # ridge: unique minimiser z / (1 + 2 lam), zero iff z = 0
    ridge = sp.solve(sp.diff((w - z) ** 2 / 2 + lam * w**2, w), w)
    assert ridge == [z / (1 + 2 * lam)]
    evidence.note("sympy: for rho(w) = g(w^2) (even, differentiable) w = 0 is stationary only "
                  "for z = 0; ridge gives z / (1 + 2 lam); with |w| the minimiser is 0 on the "
                  "whole interval -lam <= z <= lam")


@claim("scalar-l1-solution-is-soft-threshold", kind="symbolic")
def test_soft_threshold_minimises_scalar_problem_symbolic(evidence, control):
    w, z = sp.symbols("w z", real=True)
    t, a, q = sp.symbols("t a q", positive=True)
    pos = sp.solve(sp.diff((w - z) ** 2 / 2 + t * w, w), w)  # branch w > 0
    neg = sp.solve(sp.diff((w - z) ** 2 / 2 - t * w, w), w)  # branch w < 0
    solve_set = sp.solve_univariate_inequality
    assert len(pos) == len(neg) == 1
    assert solve_set(pos[0] > 0, z, relational=False) == sp.Interval.open(t, sp.oo)
    assert solve_set(neg[0] < 0, z, relational=False) == sp.Interval.open(-sp.oo, -t)
    assert _zero_region_of_l1(z, t, w) == sp.Interval(-t, t)
    # the objective is 1-strongly convex, so a stationary point (or 0 in the subdifferential)
    # is the unique minimiser: pos[0] on z > t, neg[0] on z < -t, 0 on [-t, t]
    assert sp.diff((w - z) ** 2 / 2, w, 2) == 1
    shrink = sp.solve(sp.diff((w - z) ** 2 / 2 + t / 2 * w**2, w), w)
    # points of each region: z = t + a, z = -t - a, z = +-t/(1 + q), 0, +-t (a, q > 0)
    cases = [(t + a, pos[0]), (-t - a, neg[0])] + \
        [(v, sp.Integer(0)) for v in (t / (1 + q), -t / (1 + q), 0, t, -t)]

    def derive(statement):  # the statement: S(z, t), and the ridge analogue's solution
        S, ridge = statement
        for zz, want in cases:
            assert sp.simplify(S(zz, t) - want.subs(z, zz)) == 0, \
                f"S({zz}, t) = {S(zz, t)}, but the minimiser is {want.subs(z, zz)}"
        assert shrink == [ridge(z, t)], f"the ridge analogue is solved by {shrink}"

    control(derive, (lambda v, s: sp.sign(v) * sp.Max(sp.Abs(v) - s, 0), lambda v, s: v / (1 + s)),
            (lambda v, s: sp.Piecewise((v, sp.Abs(v) > s), (0, True)), lambda v, s: v / (1 + s)),
            (lambda v, s: sp.sign(v) * sp.Max(sp.Abs(v) - s / 2, 0), lambda v, s: v / (1 + s)),
            (lambda v, s: sp.sign(v) * sp.Max(sp.Abs(v) - s, 0), lambda v, s: v / (1 + 2 * s)),
            labels=("hard threshold z [|z| > t]", "threshold t/2",
                    "ridge analogue z / (1 + 2t)"))
    evidence.note("sympy: branch w > 0 gives w = z - t (valid iff z > t), w < 0 gives z + t "
                  "(iff z < -t), else 0 in the subdifferential (iff -t <= z <= t): sign(z) "
                  "max(|z| - t, 0), checked on every region; the ridge analogue is z / (1 + t)")


@claim("scalar-l1-solution-is-soft-threshold", kind="exact", scope="instance")
@given(z=st.lists(st.integers(-64, 64), min_size=1, max_size=12),
       t=st.integers(0, 48))
def test_soft_threshold_is_exactly_optimal(impl, evidence, z, t):
    zf = np.array(z, dtype=float) / 8  # multiples of 1/8: |z| - t is exact in float64
    tf = t / 8
    out = impl.soft_threshold(zf, tf)
    for zi, wi in zip(zf, np.asarray(out, dtype=float)):
        Z, W, T = Fraction(zi), Fraction(wi), Fraction(tf)
        expected = (1 if Z > 0 else -1) * max(abs(Z) - T, Fraction(0))
        assert W == expected, f"S({zi}, {tf}) = {wi}, expected {expected}"
        # optimality certificate: z - w in t * d|w| (= {t sign w} or [-t, t] at 0)
        g = Z - W
        assert (W == 0 and abs(g) <= T) or (W != 0 and g == T * (1 if W > 0 else -1))
    evidence.count("soft-threshold values checked exactly (with subgradient certificate)")


@claim("scalar-l1-solution-is-soft-threshold", kind="exact", scope="instance")
def test_soft_threshold_at_the_kink_and_with_per_coordinate_thresholds(impl, evidence):
    # the tie |z| = t: the minimiser is exactly 0 (0 is in z - 0 + t [-1, 1]); t = 0 is the
    # identity; a threshold per coordinate (an array t) acts coordinatewise; 2-D inputs
    z = np.array([[1.5, -1.5, 0.0], [0.25, -2.0, 3.0]])
    out = np.asarray(impl.soft_threshold(z, 1.5))
    assert np.array_equal(out, [[0.0, 0.0, 0.0], [0.0, -0.5, 1.5]]), out
    assert np.array_equal(impl.soft_threshold(z, 0.0), z), "t = 0 must return z"
    t = np.array([1.5, 1.5, 0.0])
    try:
        out = np.asarray(impl.soft_threshold(z, t))
    except ValueError as exc:
        # one threshold per call is all the scalar claim needs (PyTorch's softshrink takes
        # one); the reference, which accepts a threshold per coordinate, must not refuse
        assert impl.spec != "implementations", f"the reference refused array t: {exc}"
        evidence.note(f"per-coordinate thresholds not offered by this implementation ({exc})")
    else:
        assert np.array_equal(out, [[0.0, 0.0, 0.0], [0.0, -0.5, 3.0]]), out
        evidence.note("per-coordinate thresholds on a 2 x 3 input: exact")
    evidence.note("S(+-1.5, 1.5) = 0 at the kink, S(z, 0) = z on a 2 x 3 input: exact")


@claim("l1-zeroes-coordinates-l2-only-shrinks", kind="symbolic", target="counterexample")
def test_ridge_coordinate_exactly_zero_and_sign_flip(impl, evidence, control):
    X = sp.Matrix([[1, 1], [1, 0], [0, 1]])
    y = sp.Matrix([1, 0, 3])

    def ridge_exact(lam):
        return (X.T * X + lam * sp.eye(2)).inv() * X.T * y

    ols = (X.T * X).inv() * X.T * y

    def derive(witness):  # a lam with an exact zero, a larger lam past which w1 flips sign
        lam_zero, lam_flip = witness
        w, wf = ridge_exact(lam_zero), ridge_exact(lam_flip)
        assert w[0] == 0 and ols[0] != 0, f"ridge at lam = {lam_zero}: w1 = {w[0]}, no exact zero"
        assert lam_flip > lam_zero and wf[0] * ols[0] < 0 and abs(wf[0]) > abs(w[0]), \
            f"ridge at lam = {lam_flip}: w1 = {wf[0]} (least squares {ols[0]}): no sign flip"
        return w, wf

    w2, w4 = control(derive, (2, 4), (1, 4), (2, sp.Rational(3, 2)),
                     labels=("lam = 1 (w1 = -1/8, no zero)", "flip at lam = 3/2 (w1 < 0 still)"))
    assert list(ols) == [sp.Rational(-2, 3), sp.Rational(7, 3)]
    assert list(w2) == [0, 1], w2
    assert w4[0] == sp.Rational(2, 35)
    got = impl.ridge(np.array(X.tolist(), dtype=float), np.array([1.0, 0.0, 3.0]), 2.0)
    # exact answer (0, 1); a backward-stable 2x2 solve errs by a few ulps
    np.testing.assert_allclose(got, [0.0, 1.0], rtol=0, atol=1e-14,
                               err_msg="ridge at lam = 2 should be (0, 1)")
    evidence.counterexample("X = [[1, 1], [1, 0], [0, 1]], y = (1, 0, 3): least squares gives "
                            "w1 = -2/3, ridge at lam = 2 gives w = (0, 1) - an exact zero - and "
                            "at lam = 4 w1 = +2/35: the ridge coordinate crosses zero and grows "
                            "in magnitude as lam grows")


@claim("l1-zeroes-coordinates-l2-only-shrinks", kind="sampled", target="corrected")
@given(shape=st.tuples(st.integers(2, 8), st.integers(1, 5)), seed=st.integers(0, 2**32 - 1),
       lam=st.sampled_from([0.1, 0.5, 1.0, 2.0]))
def test_orthonormal_design_ridge_scales_lasso_thresholds(impl, evidence, shape, seed, lam):
    n, d = shape
    d = min(d, n)
    g = np.random.default_rng(seed)
    Q = np.linalg.qr(g.standard_normal((n, d)))[0]  # orthonormal columns
    y = 1.5 * g.standard_normal(n)
    z = Q.T @ y
    w_r = impl.ridge(Q, y, lam)
    # ridge solves (I + lam I) w = z: error a few ulps of |z|
    np.testing.assert_allclose(w_r, z / (1 + lam), rtol=1e-12, atol=1e-12,
                               err_msg="orthonormal ridge != z / (1 + lam)")
    assert np.all(w_r != 0.0), "ridge zeroed a coordinate with z_j != 0"
    w_l = impl.lasso(Q, y, lam, max_iter=10_000, tol=1e-14)
    # on an orthonormal design each coordinate update is final after one sweep; ||Q_j|| = 1
    # up to ~1e-15, so the result matches the closed form to ~1e-14
    np.testing.assert_allclose(w_l, np.sign(z) * np.maximum(np.abs(z) - lam, 0), rtol=1e-10,
                               atol=1e-12, err_msg="orthonormal lasso != S(z, lam)")
    clear = np.abs(np.abs(z) - lam) > 1e-9  # away from the kink the zero pattern is exact
    assert np.array_equal((w_l == 0.0)[clear], (np.abs(z) <= lam)[clear]), \
        "lasso zeros must be exactly where |z_j| <= lam"
    evidence.count("orthonormal designs: ridge = z/(1+lam) with no zeros, lasso = S(z, lam)")
    evidence.count("lasso coordinates exactly 0.0", int(np.sum(w_l == 0.0)))


@claim("lasso-solver-reaches-kkt-point-with-exact-zeros", kind="exact", scope="instance")
@given(problem=S.lasso_problems(max_rows=8, max_cols=6))
def test_lasso_output_certified_by_duality_gap_and_kkt(impl, evidence, problem):
    X, y, lam = problem
    Xf, yf = X.astype(float), y.astype(float)
    tol = 1e-12
    w = impl.lasso(Xf, yf, lam, max_iter=100_000, tol=tol)
    gap, theta, corr, col_sq, XF = lasso_certificate(Xf, yf, lam, w)
    half_y2 = Fraction(int(y @ y), 2)
    # the solver stops at float gap <= tol * |y|^2 / 2; evaluating the gap in floats errs by
    # ~eps (|y|^2 + lam |w|_1), far below the 10x margin on the requested tolerance
    assert Fraction(0) <= gap <= 10 * Fraction(tol) * (half_y2 + 1), \
        f"duality gap {float(gap):.3g} above the requested tolerance"
    L = _fr(lam)
    for j in range(X.shape[1]):
        excess = abs(corr[j]) - L  # KKT: |X_j^T r| <= lam, up to ||X_j|| sqrt(2 gap)
        assert excess <= 0 or excess * excess <= col_sq[j] * 2 * gap, \
            f"KKT violated at coordinate {j}: |X_j^T r| - lam = {float(excess):.3g}"
        if certified_zero(j, theta, XF, col_sq, lam, gap):
            assert w[j] == 0.0, f"w*_{j} = 0 at every optimum but the solver returned {w[j]!r}"
            evidence.count("coordinates certified zero and returned as exactly 0.0")
        elif w[j] != 0.0:
            # on the support the KKT equality X_j^T theta* = lam sign(w_j) holds for the
            # optimal residual theta* (coordinate descent leaves w_j != 0 only where the
            # optimum's correlation sits at +-lam with that sign), and ||r - theta*|| <=
            # sqrt(2 gap), so |X_j^T r - lam sign(w_j)| <= ||X_j|| sqrt(2 gap)
            dev = corr[j] - L * (1 if w[j] > 0 else -1)
            assert dev * dev <= col_sq[j] * 2 * gap, \
                f"stationarity on the support fails at {j}: {float(dev):.3g}"
    if np.max(np.abs(X.T @ y)) <= lam:
        assert np.all(w == 0.0), "||X^T y||_inf <= lam: the lasso solution is exactly 0"
        evidence.count("problems with ||X^T y||_inf <= lam returned exactly 0")
    evidence.worst("certified gap / (|y|^2/2 + 1)", float(gap / (half_y2 + 1)))
    evidence.count("lasso problems certified in rational arithmetic")
