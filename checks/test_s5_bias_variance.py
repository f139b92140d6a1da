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
def test_decomposition_symbolic_over_d_and_fresh_label(evidence, control):
    # yhat - y0 = (ybar - f) + (yhat - ybar) - eps = c + U - e
    U, e = sp.symbols("U e", real=True)
    c, kappa = sp.symbols("c kappa", real=True)
    v, s2 = sp.symbols("v s2", nonnegative=True)
    err2 = (c + U - e) ** 2
    m_u = {0: 1, 1: 0, 2: v}  # U = yhat - ybar: mean 0, variance Var_D[yhat] = v
    m_e = {0: 1, 1: 0, 2: s2}  # label noise: mean 0, variance s2

    def derive(statement):  # the statement: E_(D, y0)[(yhat - y0)^2] = formula(v, c, s2)
        formula, independent = statement
        moments = _independent(m_u, m_e)
        if not independent:  # the hypothesis dropped: E[U e] = kappa, any value
            moments[(1, 1)] = kappa
        joint = _expect(err2, moments, U, e)
        assert sp.simplify(joint - formula) == 0, f"E_(D,y0) = {joint}, not {formula}"

    control(derive, (v + c**2 + s2, True), (v + c**2, True), (v + c + s2, True),
            (v + c**2 + s2, False),
            labels=("Var + bias^2 (no noise term)", "Var + bias + noise (bias not squared)",
                    "noise not independent of D (E[(yhat - ybar) eps] = kappa)"))
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
def test_fixed_label_reading_counterexample(evidence, control):
    # constant estimator yhat = 1, f(x0) = 0, eps = +-1 w.p. 1/2 (s^2 = 1), y0 = +1 observed
    yhat, f = Fraction(1), Fraction(0)

    def derive(witness):  # the noise values (each w.p. 1/2) and the observed label y0
        noise, y0 = witness
        s2 = sum(Fraction(1, 2) * Fraction(e) ** 2 for e in noise)
        lhs = (yhat - y0) ** 2  # E_D of a constant
        rhs = Fraction(0) + (yhat - f) ** 2 + s2
        assert lhs != rhs, f"E_D[(yhat - y0)^2] = {lhs} = Var + bias^2 + s^2: no counterexample"
        joint = sum(Fraction(1, 2) * (yhat - (f + e)) ** 2 for e in noise)
        assert joint == rhs, "averaging over the fresh label restores the identity"
        return lhs, rhs

    lhs, rhs = control(derive, ((1, -1), Fraction(1)), ((0, 0), Fraction(0)),
                       labels=("no label noise (eps = 0, y0 = f(x0))",))
    assert lhs == 0 and rhs == 2
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


@claim("capacity-lowers-bias-and-raises-variance", kind="symbolic", scope="instance")
def test_nested_least_squares_terms_monotone_for_symbolic_sizes(evidence, control):
    """For X_k an N x k design of full column rank (N, k symbolic) and the nested X_{k+1} =
    [X_k, c]: the variance factor x0^T (X_k^T X_k)^{-1} x0 = max_u phi_k(u), phi_k(u) =
    2 u^T x0 - ||X_k u||^2 (completing the square), and phi_{k+1}((u, 0)) = phi_k(u), so the
    larger model's maximum is at least the smaller's at every x0 = (a, alpha); likewise
    min_w ||f - X w||^2 = ||(I - P) f||^2 and ||f - X_{k+1} (w, 0)||^2 = ||f - X_k w||^2, so
    the bias term cannot grow; trace P_k = trace((X^T X)^{-1} X^T X) = k (cyclic trace), so
    the average variance is s^2 k / N."""
    N, k = sp.symbols("N k", integer=True, positive=True)
    X, c, Y = sp.MatrixSymbol("X", N, k), sp.MatrixSymbol("c", N, 1), sp.MatrixSymbol("Y", N, k)
    a, alpha = sp.MatrixSymbol("a", k, 1), sp.MatrixSymbol("alpha", 1, 1)
    u, f = sp.MatrixSymbol("u", k, 1), sp.MatrixSymbol("f", N, 1)
    Gi = (X.T * X).I

    def zero(expr):  # a 1 x 1 matrix expression that must vanish
        e = sp.expand(expr).doit()
        e = e.subs({a.T * u: u.T * a, f.T * X * u: u.T * X.T * f})  # scalars = their transposes
        e = e.doit()
        return e == 0 or isinstance(e, sp.ZeroMatrix)

    phi = lambda U, A, D: 2 * (U.T * A) - (D * U).T * (D * U)  # noqa: E731
    psi = lambda W, D: (f - D * W).T * (f - D * W)  # noqa: E731
    # completing the square: phi_k(u) = a^T G^-1 a - ||X (u - G^-1 a)||^2 and
    # psi_k(u) = f^T f - f^T X G^-1 X^T f + ||X (u - G^-1 X^T f)||^2 (G = X^T X)
    r = X * (u - Gi * a)
    assert zero(phi(u, a, X) - (a.T * Gi * a - r.T * r)), "phi_k: completing the square"
    q = X * (u - Gi * X.T * f)
    assert zero(psi(u, X) - (f.T * f - f.T * X * Gi * X.T * f + q.T * q)), "psi_k: the square"

    # average in-sample variance / s^2 = trace(X G^-1 X^T) / N = trace(G^-1 X^T X) / N
    tr = sp.Trace((Gi * X.T * X).doit()).doit() / N

    def derive(statement):
        larger, avg_var = statement  # the (k+1)-feature design, the average variance / s^2
        u1 = sp.BlockMatrix([[u], [sp.ZeroMatrix(1, 1)]])
        x0 = sp.BlockMatrix([[a], [alpha]])
        # the smaller model is the larger one with the new coefficient fixed at 0
        assert zero(sp.block_collapse(phi(u1, x0, larger(X, c)) - phi(u, a, X))), \
            "the larger model does not contain the smaller: variance may fall"
        assert zero(sp.block_collapse(psi(u1, larger(X, c)) - psi(u, X))), \
            "the larger model does not contain the smaller: bias may grow"
        assert sp.cancel(tr - avg_var(k, N)) == 0, f"trace(P_k) / N = {tr}, not {avg_var(k, N)}"

    control(derive, (lambda D, col: sp.BlockMatrix([[D, col]]), lambda kk, NN: kk / NN),
            (lambda D, col: sp.BlockMatrix([[Y, col]]), lambda kk, NN: kk / NN),
            (lambda D, col: sp.BlockMatrix([[D, col]]), lambda kk, NN: (kk + 1) / NN),
            labels=("models not nested (the larger design drops X_k)",
                    "average variance s^2 (k + 1) / N"))
    evidence.note("sympy, symbolic N x k: x0^T (X^T X)^{-1} x0 = max_u 2 u^T x0 - ||X u||^2 and "
                  "min_w ||f - X w||^2 = ||(I - P) f||^2 by completing the square; the nested "
                  "model [X, c] with the new coefficient 0 is the smaller one, so its variance "
                  "at every x0 is at least, and its residual at most, the smaller model's; "
                  "trace P_k = k, so the average variance is s^2 k / N")


@claim("capacity-lowers-bias-and-raises-variance", kind="exact", scope="instance")
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


@claim("capacity-lowers-bias-and-raises-variance", kind="symbolic", scope="instance")
def test_pointwise_bias_can_grow_with_capacity(evidence, control):
    X = sp.Matrix([[1, 0], [1, 1], [1, 2], [1, 3]])  # constant, then linear: x = 0..3
    x0 = sp.Matrix([1, 0])  # the point x = 0

    def derive(f):  # the true values f(x) at x = 0..3
        f = sp.Matrix(f)
        fit = [(x0[:k, :].T * (X[:, :k].T * X[:, :k]).inv() * X[:, :k].T * f)[0] for k in (1, 2)]
        bias2 = [(v - f[0]) ** 2 for v in fit]
        assert bias2[1] > bias2[0], f"bias^2 at x0 = {bias2}: it does not grow with capacity"
        return bias2

    bias2 = control(derive, [0, 1, 0, 0], [0, 1, 2, 3], [1, 1, 1, 1],
                    labels=("f linear (the larger model is exact)", "f constant"))
    assert bias2 == [sp.Rational(1, 16), sp.Rational(4, 25)], bias2
    evidence.note("a limit of the picture (the bias falls on average, not at every point): "
                  "x = 0, 1, 2, 3 with f = (0, 1, 0, 0): at x0 = 0 least squares on {1} "
                  "predicts 1/4 (bias^2 1/16), on {1, x} predicts 2/5 (bias^2 4/25)")


@claim("capacity-lowers-bias-and-raises-variance", kind="symbolic", scope="instance")
def test_min_norm_variance_can_fall_past_threshold(evidence, control):
    # one sample (N = 1): feature 1 alone, then two features; s^2 = 1
    def var_at(x_row, x0):  # Var[x0 . X^+ y] = ||(X^+)^T x0||^2
        X = sp.Matrix([x_row])
        return ((X.pinv().T * sp.Matrix(x0)).norm()) ** 2

    def derive(witness):  # the two-feature sample and test point
        row, x0 = witness
        v1, v2 = var_at([1], [1]), var_at(row, x0)
        assert v2 < v1, f"variance {v1} -> {v2}: it does not fall past the threshold"
        return v1, v2

    v1, v2 = control(derive, ([1, 1], [1, 0]), ([1, 0], [1, 0]), ([1, 1], [1, 1]),
                     labels=("second feature 0 on the sample", "test point (1, 1)"))
    assert (v1, v2) == (1, sp.Rational(1, 4)), (v1, v2)
    evidence.note("a limit of the picture (past the interpolation threshold, which the article "
                  "treats next): N = 1, min-norm least squares: with the single feature x = 1 "
                  "the variance at x0 = 1 is s^2; adding a second feature (x = (1, 1), "
                  "x0 = (1, 0)) gives s^2 / 4")


@claim("total-error-optimum-at-bias-variance-crossing", kind="symbolic", target="counterexample")
@claim("total-error-optimum-at-bias-variance-crossing", kind="symbolic", scope="instance",
       target="corrected")
def test_optimum_is_not_at_crossing_symbolic(evidence, control):
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

    def derive(witness):  # (theta, s) where the optimum is not at the crossing
        sub = dict(zip((theta, s), witness))
        l_opt, l_cross = crit[0].subs(sub), cross[0].subs(sub)
        t_opt, t_cross = total.subs(sub).subs(lam, l_opt), total.subs(sub).subs(lam, l_cross)
        assert sp.diff(total, lam, 2).subs(sub).subs(lam, l_opt) > 0
        assert t_opt < t_cross, f"total error {t_opt} at the optimum, {t_cross} at the crossing"
        return l_opt, l_cross, t_opt, t_cross

    got = control(derive, (1, 2), (1, 1), (3, 3), labels=("theta = s = 1", "theta = s = 3"))
    assert got == (4, 2, sp.Rational(4, 5), sp.Rational(8, 9)), got
    evidence.counterexample("1-D ridge with theta = 1, s^2 = 4: bias^2 = var at lam = 2 (total "
                            "8/9) but the total error is minimal at lam = 4 (total 4/5, where "
                            "bias^2 = 16/25 and variance = 4/25)")
    evidence.note("sympy: d(total)/dlam = 0 at lam* = s^2/theta^2; crossing at s/theta; equal "
                  "only if s = theta")
