"""Evidence for §5.1: the bias-variance decomposition, and what capacity does to each term.

The decomposition is proved by moment algebra in sympy (the expectation runs over the
training set D and the fresh label y0, with the noise independent of D), re-checked
exactly on finite laws, and confirmed by Monte Carlo on ridge regression with a fixed
design, where D's randomness is the label noise and every prediction is exactly normal:
an exact chi-square test then compares the simulated errors with the closed-form bias,
variance and noise.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given

from checks.support import strategies as S
from claimledger.stattests import ErrorBudget, chi2_variance, chi2_variance_sample_size

claim = pytest.mark.claim


def _expect(expr, moments, *syms):
    """E[expr] for a polynomial in independent (or jointly given) random symbols.

    ``moments`` maps exponent tuples (one entry per symbol) to E[prod sym^k]."""
    poly = sp.Poly(sp.expand(expr), *syms)
    return sp.expand(sum(coeff * moments[mon] for mon, coeff in poly.terms()))


def _independent(m_u: dict, m_e: dict) -> dict:
    return {(a, b): m_u[a] * m_e[b] for a in m_u for b in m_e}


@claim("expected-mse-decomposes-over-d-and-fresh-label", kind="symbolic", target="corrected")
def test_decomposition_symbolic_over_d_and_fresh_label(evidence):
    # yhat - y0 = (ybar - f) + (yhat - ybar) - eps = c + U - e
    U, e = sp.symbols("U e", real=True)
    c, kappa = sp.symbols("c kappa", real=True)
    v, s2 = sp.symbols("v s2", nonnegative=True)
    err2 = (c + U - e) ** 2
    m_u = {0: 1, 1: 0, 2: v}  # U = yhat - ybar: mean 0, variance Var_D[yhat] = v
    m_e = {0: 1, 1: 0, 2: s2}  # label noise: mean 0, variance s2
    joint = _expect(err2, _independent(m_u, m_e), U, e)
    assert sp.simplify(joint - (v + c**2 + s2)) == 0, f"E_(D,y0) = {joint}"
    # without independence the cross moment E[U e] = kappa survives
    dep = dict(_independent(m_u, m_e))
    dep[(1, 1)] = kappa
    assert sp.simplify(_expect(err2, dep, U, e) - (v + c**2 + s2 - 2 * kappa)) == 0
    # the literal E_D with y0 held fixed (e a constant): only U is averaged
    literal = _expect(err2.subs(e, sp.Symbol("e0", real=True)), {(0,): 1, (1,): 0, (2,): v}, U)
    e0 = sp.Symbol("e0", real=True)
    assert sp.simplify(literal - (v + (c - e0) ** 2)) == 0
    gap = sp.expand(literal - (v + c**2 + s2))
    assert gap != 0 and sp.simplify(_expect(gap.subs(e0, e), {(0,): 1, (1,): 0, (2,): s2}, e)) == 0
    evidence.note("sympy: with U = yhat - ybar (mean 0, var v) independent of eps (mean 0, var "
                  "s2), E[(c + U - eps)^2] = v + c^2 + s2 (c = ybar - f(x0)); with E[U eps] = "
                  "kappa it is v + c^2 + s2 - 2 kappa; with y0 fixed, E_D gives v + (c - e0)^2, "
                  "which differs from v + c^2 + s2 by -2 c e0 + e0^2 - s2 (zero only on average "
                  "over e0)")
    # a concrete law where the noise is not independent of D
    D = [(Fraction(1, 2), Fraction(0)), (Fraction(1, 2), Fraction(1))]  # yhat_D = D
    eps = {d: d - Fraction(1, 2) for _, d in D}  # mean 0, variance 1/4, but a function of D
    ybar = sum(p * d for p, d in D)
    terms = (sum(p * (d - ybar) ** 2 for p, d in D), ybar**2, sum(p * eps[d] ** 2 for p, d in D))
    risk = sum(p * (d - eps[d]) ** 2 for p, d in D)  # f(x0) = 0, y0 = eps
    assert risk == Fraction(1, 4) and sum(terms) == Fraction(3, 4)
    evidence.note("dependence breaks it: yhat = D in {0, 1}, eps = D - 1/2, f(x0) = 0 gives "
                  "E[(yhat - y0)^2] = 1/4 but Var + bias^2 + s^2 = 1/4 + 1/4 + 1/4 = 3/4")


@claim("expected-mse-decomposes-over-d-and-fresh-label", kind="exact", scope="instance", target="corrected")
@given(law_d=S.discrete_laws(max_support=4), noise=S.discrete_laws(max_support=3, centred=True),
       f0=S.discrete_laws(max_support=1))
def test_decomposition_exact_on_finite_laws(evidence, law_d, noise, f0):
    f = f0[0][1]
    ybar = sum(p * yh for p, yh in law_d)
    var = sum(p * (yh - ybar) ** 2 for p, yh in law_d)
    s2 = sum(q * e**2 for q, e in noise)
    risk = sum(p * q * (yh - (f + e)) ** 2 for p, yh in law_d for q, e in noise)
    assert risk == var + (ybar - f) ** 2 + s2, "E_(D,y0) != Var + bias^2 + noise (exact)"
    for _, e in noise:  # the literal reading: y0 = f + e held fixed, expectation over D
        fixed = sum(p * (yh - (f + e)) ** 2 for p, yh in law_d)
        assert fixed == var + (ybar - (f + e)) ** 2
        if fixed != var + (ybar - f) ** 2 + s2:
            evidence.count("fixed-y0 cases where E_D misses the decomposition")
    evidence.count("finite laws checked in exact rational arithmetic")


@claim("expected-mse-decomposes-over-d-and-fresh-label", kind="exact", target="counterexample")
def test_fixed_label_reading_counterexample(evidence):
    # constant estimator yhat = 1, f(x0) = 0, eps = +-1 w.p. 1/2 (s^2 = 1), y0 = +1 observed
    yhat, f, s2, y0 = Fraction(1), Fraction(0), Fraction(1), Fraction(1)
    lhs = (yhat - y0) ** 2  # E_D of a constant
    rhs = Fraction(0) + (yhat - f) ** 2 + s2
    assert lhs == 0 and rhs == 2
    joint = sum(Fraction(1, 2) * (yhat - (f + e)) ** 2 for e in (1, -1))
    assert joint == rhs, "averaging over the fresh label restores the identity"
    evidence.counterexample("yhat(x0; D) = 1 for every D, f(x0) = 0, eps = +-1 (s^2 = 1): with "
                            "the observed label y0 = 1 held fixed E_D[(yhat - y0)^2] = 0, but "
                            "Var + bias^2 + s^2 = 0 + 1 + 1 = 2; averaging over y0 as well "
                            "gives (0 + 4)/2 = 2")


# -- Monte Carlo on ridge regression ----------------------------------------------------
_X = np.linspace(-1.0, 1.0, 12)
_PHI = np.vander(_X, 6, increasing=True)  # degree-5 polynomial features
_F = np.sin(np.pi * _X)
_X0 = 0.35
_PHI0 = _X0 ** np.arange(6)
_F0 = float(np.sin(np.pi * _X0))
_SIGMA = 0.3
_LAMS = (1e-3, 1e-2, 1e-1, 1.0, 10.0)


def _ridge_operator(lam: float) -> np.ndarray:
    """H with w = H y, by least squares on the augmented system [Phi; sqrt(lam) I] w = [y; 0]
    (a different route from the implementation's normal equations)."""
    d = _PHI.shape[1]
    A = np.vstack([_PHI, np.sqrt(lam) * np.eye(d)])
    rhs = np.vstack([np.eye(len(_X)), np.zeros((d, len(_X)))])
    return np.linalg.lstsq(A, rhs, rcond=None)[0]


@claim("expected-mse-decomposes-over-d-and-fresh-label", kind="statistical", target="corrected")
def test_decomposition_monte_carlo_on_ridge(impl, evidence, rng):
    budget = ErrorBudget(1e-6, k=2 * len(_LAMS))
    # detect a 25% relative error in the predicted variance (or an equivalent bias error)
    R = chi2_variance_sample_size(0.25, false_fail_rate=budget.per_assertion)
    rows, outcomes = [], []
    for lam in _LAMS:
        H = _ridge_operator(lam)
        mu = float(_PHI0 @ H @ _F)
        var = _SIGMA**2 * float(np.sum((H.T @ _PHI0) ** 2))
        bias2 = (mu - _F0) ** 2
        eps = _SIGMA * rng.standard_normal((R, len(_X)))  # D = the training labels
        eps0 = _SIGMA * rng.standard_normal(R)  # the fresh label at x0, independent of D
        yhat = np.array([_PHI0 @ impl.ridge(_PHI, _F + e, lam) for e in eps])
        err = yhat - (_F0 + eps0)
        # yhat ~ N(mu, var) and yhat - y0 ~ N(mu - f0, var + s^2) exactly (fixed design)
        o1 = chi2_variance(yhat, var, mean=mu, false_fail_rate=budget.per_assertion,
                           effect=0.25)
        o2 = chi2_variance(err, var + _SIGMA**2, mean=mu - _F0,
                           false_fail_rate=budget.per_assertion, effect=0.25)
        outcomes += [(f"Var_D[yhat] at lam={lam:g}", o1), (f"E(yhat - y0)^2 at lam={lam:g}", o2)]
        mc_var = float(np.mean((yhat - yhat.mean()) ** 2))
        mc_bias2 = float((yhat.mean() - _F0) ** 2)
        rows.append([lam, bias2, var, _SIGMA**2, bias2 + var + _SIGMA**2,
                     float(np.mean(err**2)), mc_bias2, mc_var,
                     mc_bias2 + mc_var + float(np.mean(eps0**2))])
    evidence.table("Bias-variance decomposition of ridge at x0 = 0.35 (degree-5 polynomial "
                   "features, 12 fixed inputs, f = sin(pi x), noise s = 0.3; "
                   f"{R} training sets per lambda)",
                   ["lambda", "bias^2", "variance", "noise", "sum", "MC risk",
                    "MC bias^2", "MC variance", "MC sum of terms"], rows)
    for what, o in outcomes:
        evidence.note(f"{what}: {o.evidence()}")
    for what, o in outcomes:
        o.assert_ok(what)
    evidence.note("expectation over D = the 12 training labels (design fixed) and the fresh "
                  "label y0; both chi-square tests are exact (Gaussian noise, ridge is linear)")
    b2 = [r[1] for r in rows]
    v = [r[2] for r in rows]
    assert all(a < b for a, b in zip(b2, b2[1:])) and all(a > b for a, b in zip(v, v[1:])), \
        "closed forms: bias^2 should grow and variance fall with lambda here"


# -- capacity and the two terms ---------------------------------------------------------
def _ols_terms(X: sp.Matrix, f: sp.Matrix, x0: sp.Matrix, k: int):
    """(variance at x0 / s^2, average in-sample bias^2, average in-sample variance / s^2)
    of least squares on the first k columns, exactly."""
    Xk = X[:, :k]
    G = (Xk.T * Xk).inv()
    P = Xk * G * Xk.T
    N = X.shape[0]
    resid = f - P * f
    return ((x0[:k, :].T * G * x0[:k, :])[0], (resid.T * resid)[0] / N, P.trace() / N)


@claim("capacity-lowers-bias-and-raises-variance", kind="symbolic", target="corrected")
@given(data=S.nested_designs(max_rows=7, max_cols=4))
def test_nested_least_squares_terms_monotone_exactly(evidence, data):
    X, f, x0 = data
    Xs, fs, x0s = sp.Matrix(X.tolist()), sp.Matrix(f.tolist()), sp.Matrix(x0.tolist())
    K, N = X.shape[1], X.shape[0]
    terms = [_ols_terms(Xs, fs, x0s, k) for k in range(1, K + 1)]
    for k, ((v0, b0, a0), (v1, b1, _)) in enumerate(zip(terms, terms[1:]), start=1):
        assert v1 >= v0, f"variance at x0 fell from {v0} to {v1} going to {k + 1} features"
        assert b1 <= b0, f"average in-sample bias^2 rose from {b0} to {b1}"
    for k, (_, _, avg_var) in enumerate(terms, start=1):
        assert avg_var == sp.Rational(k, N), "average in-sample variance != s^2 k / N"
    evidence.count("nested designs (all prefixes, exact rationals)")


@claim("capacity-lowers-bias-and-raises-variance", kind="symbolic", target="counterexample")
def test_pointwise_bias_can_grow_with_capacity(evidence):
    X = sp.Matrix([[1, 0], [1, 1], [1, 2], [1, 3]])  # constant, then linear: x = 0..3
    f = sp.Matrix([0, 1, 0, 0])
    x0 = sp.Matrix([1, 0])  # the point x = 0
    fit = [(x0[:k, :].T * (X[:, :k].T * X[:, :k]).inv() * X[:, :k].T * f)[0] for k in (1, 2)]
    bias2 = [(v - f[0]) ** 2 for v in fit]
    assert bias2 == [sp.Rational(1, 16), sp.Rational(4, 25)], bias2
    evidence.counterexample("x = 0, 1, 2, 3 with f = (0, 1, 0, 0): at x0 = 0 least squares on "
                            "{1} predicts 1/4 (bias^2 1/16), on {1, x} predicts 2/5 (bias^2 "
                            "4/25): the bias at a point grows with capacity")


@claim("capacity-lowers-bias-and-raises-variance", kind="symbolic", target="counterexample")
def test_min_norm_variance_can_fall_past_threshold(evidence):
    # one sample (N = 1): feature 1 alone, then features (1, 1); test features (1, 0)
    def var_at(x_row, x0):  # s^2 = 1: Var[x0 . X^+ y] = ||(X^+)^T x0||^2
        X = sp.Matrix([x_row])
        return ((X.pinv().T * sp.Matrix(x0)).norm()) ** 2
    v1, v2 = var_at([1], [1]), var_at([1, 1], [1, 0])
    assert (v1, v2) == (1, sp.Rational(1, 4)), (v1, v2)
    evidence.counterexample("N = 1, min-norm least squares: with the single feature x = 1 the "
                            "variance at x0 = 1 is s^2; adding a second feature (x = (1, 1), "
                            "x0 = (1, 0)) gives s^2 / 4 - variance falls with capacity past "
                            "the interpolation threshold")


@claim("total-error-optimum-at-bias-variance-crossing", kind="symbolic", target="counterexample")
@claim("total-error-optimum-at-bias-variance-crossing", kind="symbolic", scope="instance",
       target="corrected")
def test_optimum_is_not_at_crossing_symbolic(evidence):
    lam, theta, s = sp.symbols("lambda theta s", positive=True)
    bias2 = lam**2 * theta**2 / (1 + lam) ** 2  # 1-D ridge, x^T x = 1: w = z / (1 + lam)
    var = s**2 / (1 + lam) ** 2
    total = bias2 + var
    crit = sp.solve(sp.diff(total, lam), lam)
    assert crit == [s**2 / theta**2], crit
    cross = sp.solve(sp.Eq(bias2, var), lam)
    assert cross == [s / theta], cross
    # the two coincide only when s = theta
    assert sp.solve(sp.Eq(s**2 / theta**2, s / theta), s) == [theta]
    sub = {theta: 1, s: 2}
    t_opt, t_cross = total.subs(sub).subs(lam, 4), total.subs(sub).subs(lam, 2)
    assert (t_opt, t_cross) == (sp.Rational(4, 5), sp.Rational(8, 9))
    assert sp.diff(total, lam, 2).subs(sub).subs(lam, 4) > 0
    evidence.counterexample("1-D ridge with theta = 1, s^2 = 4: bias^2 = var at lam = 2 (total "
                            "8/9) but the total error is minimal at lam = 4 (total 4/5, where "
                            "bias^2 = 16/25 and variance = 4/25)")
    evidence.note("sympy: d(total)/dlam = 0 at lam* = s^2/theta^2; crossing at s/theta; equal "
                  "only if s = theta")
