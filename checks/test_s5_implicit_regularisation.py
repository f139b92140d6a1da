"""Evidence for §5.1: gradient descent's implicit bias towards the minimum-norm interpolant.

The proof has three steps, proved for symbolic sizes (MatrixSymbol) and also evaluated
exactly by sympy on a generic 2x3 system (symbolic entries, one size): (i) an
iterate in the row space stays there, (ii) the error to X^+ y contracts by I - eta X^T X,
(iii) X^+ y = X^T (X X^T)^{-1} y is the only interpolant in the row space, hence the one of
smallest norm. Integer instances are then replayed exactly in rational arithmetic, and the
implementation's gradient descent is compared with X^+ y within the contraction bound.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from checks.support import strategies as S
from claimledger.symbolic import coefficient_on

claim = pytest.mark.claim


def _generic(n: int = 2, d: int = 3):
    X = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"x{i}{j}", real=True))
    y = sp.Matrix(n, 1, lambda i, _: sp.Symbol(f"y{i}", real=True))
    return X, y


@claim("gd-from-zero-converges-to-min-norm-interpolant", kind="exact", scope="instance")
def test_gd_limit_proof_steps_exact_2x3(evidence):
    """The proof's steps as polynomial identities in the entries of a generic 2 x 3 system
    (the size fixed, the entries symbolic; inverses cleared with the adjugate): exact
    evaluation at one size, a cross-check of test_gd_limit_proof_for_symbolic_sizes that
    does not rely on sympy cancelling MatrixSymbol inverses."""
    X, y = _generic()
    eta = sp.Symbol("eta", positive=True)
    c = sp.Matrix(2, 1, sp.symbols("c0 c1", real=True))
    w = X.T * c  # (i) an iterate in the row space ...
    step = w - eta * X.T * (X * w - y)
    c_next = c - eta * (X * X.T * c - y)
    assert (step - X.T * c_next).expand() == sp.zeros(3, 1), "step leaves the row space"
    # (ii) with w* = X^T (X X^T)^{-1} y = X^T adj(G) y / det(G), G = X X^T: X w* = y, and
    # the error contracts by I - eta X^T X (both multiplied through by det(G) to stay
    # polynomial)
    G = X * X.T
    det, w_num = G.det(), X.T * G.adjugate() * y  # w_num = det(G) w*
    assert (X * w_num - det * y).expand() == sp.zeros(2, 1), "w* does not interpolate"
    lhs = det * step - w_num  # det(G) (w_{t+1} - w*)
    rhs = (sp.eye(3) - eta * X.T * X) * (det * w - w_num)
    assert (lhs - rhs).expand() == sp.zeros(3, 1), "e_{t+1} != (I - eta X^T X) e_t"
    # (iii) any interpolant is w* + n with X n = 0, and w* . n = y^T adj(G) (X n) / det(G) = 0
    n = sp.Matrix(3, 1, sp.symbols("n0 n1 n2", real=True))
    assert ((w_num.T * n)[0] - (y.T * G.adjugate().T * (X * n))[0]).expand() == 0
    evidence.note("sympy, exact (generic 2x3 X): row-space invariance of the GD step; X w* = y for "
                  "w* = X^T (X X^T)^{-1} y; e_{t+1} = (I - eta X^T X) e_t; w* . n = 0 whenever "
                  "X n = 0, so ||w* + n||^2 = ||w*||^2 + ||n||^2 (w* is the smallest "
                  "interpolant); on the row space I - eta X^T X has eigenvalues 1 - eta s_i^2 in "
                  "(-1, 1) for 0 < eta < 2 / s_max^2")


def _vanishes(expr) -> bool:
    """A matrix expression built from MatrixSymbols is identically zero (after expanding and
    cancelling inverses)."""
    e = expr
    for _ in range(2):  # products of sums need a second round once inverses cancel
        e = sp.expand(e).doit()
        if e == 0 or isinstance(e, sp.ZeroMatrix):
            return True
    return False



@claim("gd-from-zero-converges-to-min-norm-interpolant", kind="symbolic")
def test_gd_limit_proof_for_symbolic_sizes(evidence, control):
    # X is N x d of full row rank, for symbolic N and d (sympy MatrixSymbol)
    N, d = sp.symbols("N d", integer=True, positive=True)
    X, y = sp.MatrixSymbol("X", N, d), sp.MatrixSymbol("y", N, 1)
    c, u, v = sp.MatrixSymbol("c", N, 1), sp.MatrixSymbol("u", d, 1), sp.MatrixSymbol("v", d, 1)
    eta, lam, smax = sp.symbols("eta lambda s_max", positive=True)
    pinv = X.T * (X * X.T).I
    # (i) induction: w_0 = 0 = X^T 0 is in the row space; if w_t = X^T c then
    # w_{t+1} = X^T (c - eta (X X^T c - y)) is in it too
    w = X.T * c
    step = w - eta * X.T * (X * w - y)
    assert _vanishes(step - X.T * (c - eta * (X * X.T * c - y))), "a step left the row space"
    # (iii) along an eigenvector v of X^T X (X^T X v = lambda v, 0 < lambda <= s_max^2) the
    # error map I - eta X^T X multiplies by a factor read off the eigen-equation
    factor = coefficient_on(sp.expand((sp.Identity(d) - eta * X.T * X) * v).subs(X.T * X * v,
                                                                             lam * v), v)
    # the factor depends on eta lambda = x only; |factor| < 1 on an interval (0, x_max) of x,
    # i.e. eta < x_max / lambda, and the largest eigenvalue s_max^2 binds
    x = sp.Symbol("x", real=True)
    fx = sp.expand(factor.subs(eta, x / lam))
    assert not fx.has(lam), fx
    region = sp.solve_univariate_inequality(sp.Abs(fx) < 1, x, relational=False)
    assert isinstance(region, sp.Interval) and region.inf == 0, region
    binding = region.sup / smax**2

    def derive(statement):  # the statement: the limit w*(X, y), and eta < c / ||X||_2^2
        limit, c_step = statement
        ws = limit(X, y)
        # (ii) w* interpolates, lies in the row space (the iterates never leave it) and the
        # error obeys e_{t+1} = (I - eta X^T X) e_t, contracting for eta < binding
        assert _vanishes(X * ws - y), "X w* != y"
        assert _vanishes((sp.Identity(d) - pinv * X) * ws), "w* is not in the row space"
        err = (step - ws) - (sp.Identity(d) - eta * X.T * X) * (w - ws)
        assert _vanishes(err), "e_{t+1} != (I - eta X^T X) e_t"
        assert sp.simplify(binding - c_step / smax**2) == 0, \
            f"the error contracts iff eta < {binding}, not {c_step / smax**2}"
        # (iv) w* is the smallest interpolant: every interpolant is w* + u with X u = 0, and
        # w*^T u ends in X u, so ||w* + u||^2 = ||w*||^2 + ||u||^2
        cross = sp.expand(ws.T * u).doit()
        assert all(t.args[-2:] == (X, u) for t in sp.MatAdd.make_args(cross)), cross
        return ws

    ws = control(derive, (lambda A, b: A.T * (A * A.T).I * b, 2),
                 (lambda A, b: (A.T * A).I * A.T * b, 2), (lambda A, b: A.T * b, 2),
                 (lambda A, b: A.T * (A * A.T).I * b, 1),
                 labels=("w* = (X^T X)^-1 X^T y (the over-determined normal equations)",
                         "w* = X^T y", "eta < 1 / ||X||_2^2"))
    cross = (ws.T * u).doit()
    assert sp.simplify(cross.subs(X * u, sp.ZeroMatrix(N, 1))) == sp.ZeroMatrix(1, 1)
    norm2 = ((ws + u).T * (ws + u)).expand()
    pyth = sp.simplify((norm2 - ws.T * ws - u.T * u - 2 * (ws.T * u)).expand().doit()
                       .subs(u.T * X.T, sp.ZeroMatrix(1, N)).subs(X * u, sp.ZeroMatrix(N, 1)))
    assert all(isinstance(t, sp.ZeroMatrix) or t == 0 for t in sp.Add.make_args(pyth)
               + sp.MatAdd.make_args(pyth)), pyth
    evidence.note("sympy, X an N x d MatrixSymbol (symbolic N, d): the GD step keeps w in the "
                  "row space (induction from w0 = 0); X w* = y for w* = X^T (X X^T)^{-1} y, "
                  "which lies in the row space; e_{t+1} = (I - eta X^T X) e_t; on an eigenvector "
                  "of X^T X the factor is 1 - eta lambda, |1 - eta lambda| < 1 iff eta < "
                  "2/lambda, so e_t -> 0 for eta < 2 / ||X||_2^2; w*^T u = 0 when X u = 0, so w* "
                  "is the smallest interpolant")


def _frac_matrix(A):
    return [[Fraction(int(v)) for v in row] for row in np.asarray(A)]


def _mat_vec(A, v):
    return [sum(a * b for a, b in zip(row, v)) for row in A]


def _transpose(A):
    return [list(col) for col in zip(*A)]


def _solve(A, b):
    """Exact Gauss-Jordan solve of a nonsingular square system."""
    n = len(A)
    M = [row[:] + [b[i]] for i, row in enumerate(A)]
    for col in range(n):
        piv = next(r for r in range(col, n) if M[r][col] != 0)
        M[col], M[piv] = M[piv], M[col]
        for r in range(n):
            if r != col and M[r][col] != 0:
                f = M[r][col] / M[col][col]
                M[r] = [a - f * c for a, c in zip(M[r], M[col])]
    return [M[i][n] / M[i][i] for i in range(n)]


def _steps_to_contract(rho: float, factor: float) -> int:
    """Smallest T with rho^T <= factor (1 when rho is 0), capped at 20 000."""
    if rho <= factor:
        return 1
    return min(20_000, math.ceil(math.log(factor) / math.log(rho)))


def _exact_min_norm(X, y):
    Xf = _frac_matrix(X)
    XT = _transpose(Xf)
    G = [[sum(a * b for a, b in zip(r1, r2)) for r2 in Xf] for r1 in Xf]
    c = _solve(G, [Fraction(int(v)) for v in y])
    return _mat_vec(XT, c), Xf, XT, c


@claim("gd-from-zero-converges-to-min-norm-interpolant", kind="exact", scope="instance")
@given(system=S.underdetermined_systems(max_rows=4, max_cols=7))
def test_gd_from_zero_reaches_pseudo_inverse_solution(impl, evidence, system):
    X, y = system
    w_star, Xf, XT, _ = _exact_min_norm(X, y)
    assert _mat_vec(Xf, w_star) == [Fraction(int(v)) for v in y], "X w* != y (exact)"
    # exact GD in the row space: w_t = X^T c_t, c_{t+1} = c_t - eta (X X^T c_t - y)
    fro2 = int(np.sum(X.astype(np.int64) ** 2))
    eta = Fraction(1, fro2)  # ||X||_2^2 <= ||X||_F^2, so eta < 2 / s_max^2
    G = [[sum(a * b for a, b in zip(r1, r2)) for r2 in Xf] for r1 in Xf]
    c = [Fraction(0)] * len(Xf)
    w = [Fraction(0)] * len(XT)
    for _ in range(3):
        grad = _mat_vec(XT, [a - Fraction(int(b)) for a, b in zip(_mat_vec(Xf, w), y)])
        w = [a - eta * g for a, g in zip(w, grad)]
        c = [a - eta * (g - Fraction(int(b))) for a, g, b in zip(c, _mat_vec(G, c), y)]
        assert w == _mat_vec(XT, c), "an exact GD iterate left the row space"
    # the implementation: contraction factor rho = max |1 - eta s_i^2| over nonzero s_i
    s = np.linalg.svd(X.astype(float), compute_uv=False)
    rho = max(abs(1 - float(eta) * s.max() ** 2), abs(1 - float(eta) * s.min() ** 2))
    steps = _steps_to_contract(rho, 1e-10)
    w_gd = impl.least_squares_gd(X, y, eta=float(eta), steps=steps)
    w_ref = np.array([float(v) for v in w_star])
    norm = float(np.linalg.norm(w_ref))
    bound = rho**steps * norm  # ||w_T - w*|| <= rho^T ||w_0 - w*|| from w_0 = 0
    # each step adds a rounding error of order eps ||w*||, contracted by rho per step: at
    # most eps ||w*|| / (1 - rho) <= eps ||w*|| * steps in total; 64 covers the constants
    err = float(np.linalg.norm(w_gd - w_ref))
    assert err <= bound + 64 * np.finfo(float).eps * norm * (1 + steps), \
        f"||w_GD - X^+ y|| = {err:.3g} exceeds the contraction bound {bound:.3g}"
    np.testing.assert_allclose(impl.min_norm_least_squares(X, y), w_ref, rtol=1e-9,
                               atol=1e-9 * max(norm, 1.0),
                               err_msg="min_norm_least_squares != X^T (X X^T)^{-1} y")
    # tolerance: pinv of an integer matrix with entries <= 3 and N <= 4 is accurate to
    # ~cond * eps; cond stays below 1e4 on these sizes, so 1e-9 leaves a wide margin
    evidence.count("under-determined integer systems (exact w*, exact GD iterates)")
    evidence.worst("GD steps used", steps, at=f"rho={rho:.4g}")
    evidence.worst("||w_GD - X^+ y|| / ||X^+ y||", err / max(norm, 1e-300))


@claim("sgd-prefers-min-norm-interpolant", kind="exact", target="counterexample")
def test_gd_from_nonzero_start_misses_min_norm(impl, evidence, control):
    """X = [[1, 0]], y = [1], eta = 1 = 1 / ||x||^2: gradient descent from w0 is run exactly
    in rationals (the iterates w - eta X^T (X w - y)), so the limit is derived independently
    of the implementation: from w0 = (0, 1) it is (1, 1), an interpolant but not the
    minimum-norm one (1, 0) = X^T (X X^T)^-1 y (exact). The implementation's GD and
    min-norm solver must return those rationals exactly. Negative controls: w0 = 0 and
    w0 = (3, 0) (in the row space), from which GD does reach the minimum-norm interpolant,
    must be rejected."""
    X, y = np.array([[1.0, 0.0]]), np.array([1.0])
    Xq = [[Fraction(1), Fraction(0)]]
    yq = [Fraction(1)]
    w_min = [Xq[0][j] * yq[0] / sum(v * v for v in Xq[0]) for j in range(2)]  # X^T (XX^T)^-1 y
    assert [Fraction(float(v)) for v in impl.min_norm_least_squares(X, y)] == w_min

    def gd_exact(w0, eta=Fraction(1), steps=5):
        w = [Fraction(v) for v in w0]
        for _ in range(steps):
            r = sum(a * b for a, b in zip(Xq[0], w)) - yq[0]
            w = [wj - eta * Xq[0][j] * r for j, wj in enumerate(w)]
        return w

    def derive(w0):  # the counterexample: from w0, GD reaches an interpolant, not X^+ y
        w = gd_exact(w0)
        assert sum(a * b for a, b in zip(Xq[0], w)) == yq[0], f"GD from {w0} -> {w}: not an interpolant"
        assert w != w_min, f"GD from {w0} -> {w}, the minimum-norm one"
        got = impl.least_squares_gd(X, y, eta=1.0, steps=5, w0=np.array(w0, dtype=float))
        assert [Fraction(float(v)) for v in got] == w, \
            f"the implementation's GD from {w0} returned {got}, not {w}"
        return w

    # eta = 1 = 1 / ||x||^2: the first step lands on the interpolant closest to w0, exactly
    w = control(derive, [0.0, 1.0], [0.0, 0.0], [3.0, 0.0],
                labels=("w0 = 0", "w0 = (3, 0) (in the row space)"))
    assert w == [1, 1], f"GD from (0, 1) -> {w}"
    evidence.counterexample("X = [[1, 0]], y = [1], w0 = (0, 1): gradient descent converges to "
                            "(1, 1) (norm sqrt 2), an interpolant but not the smallest one, "
                            "(1, 0) (exact rational iterates; the implementation agrees)")


@claim("sgd-prefers-min-norm-interpolant", kind="symbolic", target="corrected")
def test_gd_and_sgd_limit_from_any_start_symbolic(evidence, control):
    # symbolic N x d, any start w0: every (S)GD step moves along the row space, whether it
    # uses the full gradient X^T (X w - y) or a mini-batch S X ... with a selection S
    N, d, B = sp.symbols("N d B", integer=True, positive=True)
    X, y = sp.MatrixSymbol("X", N, d), sp.MatrixSymbol("y", N, 1)
    c, w0, u = sp.MatrixSymbol("c", N, 1), sp.MatrixSymbol("w0", d, 1), sp.MatrixSymbol("u", d, 1)
    S = sp.MatrixSymbol("S", B, N)  # rows of the identity: the mini-batch
    eta = sp.Symbol("eta", positive=True)
    w = w0 + X.T * c  # induction hypothesis: w_t - w0 in the row space (c = 0 at t = 0)
    full = w - eta * X.T * (X * w - y)
    sgd = w - eta * (S * X).T * (S * X * w - S * y)
    assert _vanishes(full - w0 - X.T * (c - eta * (X * w - y)))
    assert _vanishes(sgd - w0 - X.T * (c - eta * S.T * (S * X * w - S * y)))
    pinv = X.T * (X * X.T).I

    def derive(limit):  # the statement: the limit as a function of X, y, w0
        w_inf = limit(X, y, w0)
        # the limit is an interpolant in w0 + rowspace (the iterates never leave it, and
        # the error contracts there); these two conditions determine it: the difference of
        # two such points lies in the row space and in the null space, so it is 0
        assert _vanishes(X * w_inf - y), "the limit does not interpolate"
        assert _vanishes((sp.Identity(d) - pinv * X) * (w_inf - w0)), \
            "the limit is not in w0 + the row space of X"
        return w_inf

    w_inf = control(derive, lambda A, b, s0: A.T * (A * A.T).I * b
                    + (sp.Identity(d) - A.T * (A * A.T).I * A) * s0,
                    lambda A, b, s0: A.T * (A * A.T).I * b,
                    lambda A, b, s0: s0 + A.T * (A * A.T).I * b,
                    labels=("X^+ y from any start (the article's reading)", "w0 + X^+ y"))
    # and the interpolant nearest w0: (w_inf - w0)^T u = 0 whenever X u = 0
    cross = ((w_inf - w0).T * u).expand().doit()
    terms = sp.MatAdd.make_args(cross)
    assert all(t.args[-2:] == (X, u) for t in terms), cross  # each term ends in X u
    assert all(sp.simplify(t.subs(X * u, sp.ZeroMatrix(N, 1))) == sp.ZeroMatrix(1, 1)
               for t in terms), cross
    evidence.note("sympy, symbolic N x d, any w0: full-batch and mini-batch steps keep "
                  "w - w0 in the row space; the interpolant there is X^+ y + (I - X^+ X) w0, "
                  "orthogonal to the null space from w0, i.e. the interpolant nearest w0 "
                  "(the minimum-norm one only when w0 is in the row space, e.g. w0 = 0)")


@claim("sgd-prefers-min-norm-interpolant", kind="sampled", target="corrected")
@given(system=S.underdetermined_systems(max_rows=3, max_cols=6),
       start=st.lists(st.integers(-3, 3), min_size=6, max_size=6), order_seed=st.integers(0, 99))
def test_gd_and_sgd_converge_to_interpolant_nearest_start(impl, evidence, system, start,
                                                          order_seed):
    X, y = system
    n, d = X.shape
    w0 = np.array(start[:d], dtype=float)
    Xf = X.astype(float)
    pinv = np.linalg.pinv(Xf)
    target = pinv @ y + (np.eye(d) - pinv @ Xf) @ w0  # projection of w0 onto {X w = y}
    top = np.linalg.norm(Xf, 2) ** 2
    low = np.linalg.svd(Xf, compute_uv=False).min() ** 2
    eta = 1.0 / top
    rho = 1 - low / top
    steps = _steps_to_contract(rho, 1e-10)
    w = impl.least_squares_gd(X, y, eta=eta, steps=steps, w0=w0)
    scale = max(np.linalg.norm(target), 1.0)
    # w_T - target = M^T (w0 - target), M = I - eta X^T X to the power T, and w0 - target lies
    # in the row space, where ||M|| = rho; so ||w_T - target|| <= rho^T ||w0 - target||. The step cap leaves rho^T well above 1e-10
    # for ill-conditioned systems (root seed 34: rho = 0.99926, rho^T = 4e-7), so the bound,
    # not a fixed tolerance, is what is asserted. Slack: rounding, at most 64 eps scale per
    # step as in the test above, and pinv's error, a small multiple of cond * eps * scale.
    err = float(np.linalg.norm(w - target))
    bound = rho**steps * float(np.linalg.norm(w0 - target))
    eps64 = 64 * np.finfo(float).eps
    pinv_slack = eps64 * np.sqrt(top / low) * scale
    slack = eps64 * scale * (1 + steps) + pinv_slack
    assert err <= bound + slack, \
        (f"||w_GD - (X^+ y + (I - X^+ X) w0)|| = {err:.3g} exceeds the contraction bound "
         f"{bound:.3g} + {slack:.2g} after {steps} steps (rho = {rho:.6g})")
    # SGD (one sample per step, shuffled sweeps) keeps w - w0 in the row space as well
    g = np.random.default_rng(order_seed)
    v = np.zeros(d)
    row_norms = np.sum(Xf**2, axis=1)
    kaczmarz_steps = 0
    for _ in range(5000):  # Kaczmarz steps (eta_i = 1 / ||x_i||^2) converge linearly
        for i in g.permutation(n):
            v = v - (Xf[i] @ v - y[i]) / row_norms[i] * Xf[i]
        kaczmarz_steps += n
        if np.linalg.norm(Xf @ v - y) <= 1e-13 * scale:
            break
    # the claim's content: every Kaczmarz step adds a multiple of a row, so v stays in the
    # row space; there, ||v - X^+ y|| <= ||X v - y|| / sigma_min (exact, converged or not)
    sgd_slack = eps64 * scale * (1 + kaczmarz_steps) + pinv_slack
    null_part = float(np.linalg.norm(v - pinv @ (Xf @ v)))
    assert null_part <= sgd_slack, f"SGD left the row space by {null_part:.3g}"
    sgd_err = float(np.linalg.norm(v - pinv @ y))
    sgd_bound = float(np.linalg.norm(Xf @ v - y)) / np.sqrt(low)
    assert sgd_err <= sgd_bound + sgd_slack, \
        f"||v_SGD - X^+ y|| = {sgd_err:.3g} exceeds ||X v - y|| / sigma_min = {sgd_bound:.3g}"
    moved = float(np.linalg.norm(target - pinv @ y))
    if moved > 1e-9:
        evidence.count("starts outside the row space: limit is not the minimum-norm solution")
    evidence.count("systems: GD from w0 -> nearest interpolant; SGD from 0 -> X^+ y")
    evidence.worst("GD ||w_T - target|| / ||w0 - target||",
                   err / max(float(np.linalg.norm(w0 - target)), 1e-300), at=f"rho={rho:.6g}")
