"""Evidence for §4.1: singular values, spectral radius and the chain product with depth.

Exact statements are checked with sympy or in rational arithmetic (``Fraction``); the
numerical ones on hypothesis-generated matrices, where numpy's SVD is backward stable:
a computed singular value is off by at most ~ k n eps sigma_max(A), far below the
relative tolerance 1e-9 used throughout (justified at each use).
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

from checks.support import strategies as S
from claimledger.symbolic import linear

claim = pytest.mark.claim

# cheap property checks: half the profile's examples (30 under ci, 300 under thorough) keep
# the section inside its time budget
HALF = settings(max_examples=max(30, settings().max_examples // 2))

# SVD and matrix-vector products of matrices up to 24 x 24 and chains up to 12 deep carry
# relative errors below ~1e-13; 1e-9 leaves four orders of margin and still catches any
# real violation of the inequalities (which would be O(1)).
REL = 1e-9


def _sv(A: np.ndarray) -> np.ndarray:
    """Singular values, descending. Matrices beyond 32 x 32 go through eigvalsh of the Gram
    matrix: OpenBLAS' threaded SVD stalls when the cores are shared, and the only use of
    large ones here is sigma_max (absolute error ~eps sigma_max)."""
    A = np.atleast_2d(A)
    if max(A.shape) <= 32:
        return np.linalg.svd(A, compute_uv=False)
    G = A.T @ A if A.shape[0] >= A.shape[1] else A @ A.T
    return np.sqrt(np.clip(np.linalg.eigvalsh(G), 0, None))[::-1]


def _frac_mat(rows) -> list[list[Fraction]]:
    return [[Fraction(v) for v in r] for r in rows]


def _fmul(A, B):
    return [[sum(A[i][k] * B[k][j] for k in range(len(B))) for j in range(len(B[0]))]
            for i in range(len(A))]


def _fpow(A, k):
    out = [[Fraction(int(i == j)) for j in range(len(A))] for i in range(len(A))]
    for _ in range(k):
        out = _fmul(out, A)
    return out


# -- operator norm, spectral radius ----------------------------------------------------
def _operator_norm_gap_for_any_size(ref="max", equality_at="top"):
    """sympy, symbolic size n: with A = U Sigma V^T (U, V orthogonal: the SVD, which every
    real m x n matrix has) and c = V^T v, ||A v||^2 = c^T Sigma^T Sigma c = sum_i s_i^2 c_i^2 and
    ||v||^2 = ||c||^2, so s_ref^2 ||v||^2 - ||A v||^2 = sum_i (s_ref^2 - s_i^2) c_i^2. The
    statement (ref = "max": s_ref = s_1, the largest) makes every term nonnegative - the sign
    of s_ref^2 - s_i^2 is derived from the ordering s_1 >= s_i >= 0 - and the sum >= 0 by
    induction over n (empty sum 0; each step adds a nonnegative term). It is 0 for
    v = V e_1 (c = e_1, ``equality_at="top"``). A perturbed statement (ref = "min": s_ref =
    s_n, the smallest; or equality at the bottom singular vector c = e_n) fails the same
    assertions. Returns the note."""
    n = sp.symbols("n", integer=True, positive=True)
    i = sp.symbols("i", integer=True, positive=True)
    m = sp.symbols("m", integer=True, positive=True)
    U, Sg, V = sp.MatrixSymbol("U", m, m), sp.MatrixSymbol("Sigma", m, n), sp.MatrixSymbol("V", n, n)
    v = sp.MatrixSymbol("v", n, 1)
    A = U * Sg * V.T
    # ||A v||^2 = v^T V Sigma^T U^T U Sigma V^T v; U^T U = I leaves (V^T v)^T Sigma^T Sigma (V^T v)
    sq = ((A * v).T * (A * v)).subs(U.T * U, sp.Identity(n))
    assert sq == (V.T * v).T * Sg.T * Sg * (V.T * v), sq
    assert ((V.T * v).T * (V.T * v)).subs(V * V.T, sp.Identity(n)) == v.T * v, "||V^T v|| = ||v||"
    # in the coordinates c = V^T v, with Sigma^T Sigma = diag(s_i^2) (n x n; s_i = 0 for
    # i > min(m, n)), singular values ordered s_1 >= s_2 >= ... >= s_n >= 0
    c = sp.IndexedBase("c", real=True)
    s = sp.IndexedBase("s", nonnegative=True)
    s_ref = s[1] if ref == "max" else s[n]
    norm_v2 = sp.Sum(c[i]**2, (i, 1, n))
    norm_Av2 = sp.Sum(s[i]**2 * c[i]**2, (i, 1, n))
    gap = sp.Sum((s_ref**2 - s[i]**2) * c[i]**2, (i, 1, n))
    assert sp.expand(linear(gap) - linear(s_ref**2 * norm_v2 - norm_Av2)) == 0
    # the sign of d_i = s_ref^2 - s_i^2 from the ordering: s_1 = s_i + t_i (t_i >= 0) for
    # the largest, s_i = s_n + t_i for the smallest
    si, ti = sp.symbols("s_i t_i", nonnegative=True)
    d_i = sp.expand((si + ti)**2 - si**2 if ref == "max" else si**2 - (si + ti)**2)
    # induction over n (a finite sum is defined by G(0) = 0, G(k + 1) = G(k) + f(k + 1)):
    # the base is 0 and every step adds d_(k+1) c_(k+1)^2 >= 0, so G(n) >= 0 for every n
    k = sp.symbols("k", integer=True, nonnegative=True)
    d = sp.IndexedBase("d")
    assert sp.Sum(d[i] * c[i]**2, (i, 1, 0)).doit() == 0, "G(0) = 0"
    step = sp.Sum(d[i] * c[i]**2, (i, k + 1, k + 1)).doit().subs(d[k + 1], d_i)
    assert step.is_nonnegative, f"G(k+1) - G(k) = {step} is not >= 0"
    # equality along the stated singular vector: c = e_idx gives G = s_ref^2 - s_idx^2
    idx = 1 if equality_at == "top" else n
    at = sp.Sum((s_ref**2 - s[i]**2) * sp.KroneckerDelta(i, idx)**2, (i, 1, n)).doit()
    assert at == 0, f"at c = e_{idx}: s_ref^2 ||v||^2 - ||A v||^2 = {at}"
    return ("sympy, symbolic m x n: s_1^2 ||v||^2 - ||A v||^2 = sum_i (s_1^2 - s_i^2) c_i^2 with "
            "c = V^T v (U^T U = I, ||V^T v|| = ||v||), >= 0 by induction over n (G(0) = 0, "
            "G(k+1) - G(k) = d_(k+1) c_(k+1)^2 >= 0, the sign of d from the ordering of the "
            "singular values); = 0 at c = e_1, the top right singular vector")


@claim("operator-norm-bound-with-equality-on-top-singular-vector", kind="symbolic")
def test_operator_norm_bound_for_any_size(evidence, control):
    """Negative controls: the bound with sigma_min in place of sigma_max, and equality
    along the bottom right singular vector, must be rejected by the same derivation."""
    note = control(lambda st: _operator_norm_gap_for_any_size(*st), ("max", "top"),
                   ("min", "top"), ("max", "bottom"),
                   labels=("||A v|| <= sigma_min(A) ||v||",
                           "equality along the bottom singular vector"))
    evidence.note(note)


@claim("operator-norm-bound-with-equality-on-top-singular-vector", kind="sampled")
@HALF
@given(A=S.real_matrices(max_dim=6), v_seed=st.integers(0, 2**32 - 1))
def test_operator_norm_bound_on_matrices(evidence, A, v_seed):
    U, s, Vt = np.linalg.svd(A)
    v = np.random.default_rng(v_seed).normal(size=A.shape[1])
    smax = s[0]
    slack = REL * smax * np.linalg.norm(v) + 1e-300
    assert np.linalg.norm(A @ v) <= smax * np.linalg.norm(v) + slack, "||Av|| > s_max ||v||"
    top = Vt[0]
    np.testing.assert_allclose(np.linalg.norm(A @ top), smax, rtol=REL, atol=1e-12 * (1 + smax),
                               err_msg="||A v1|| = sigma_max on the top right singular vector")
    if len(s) > 1 and s[1] < s[0] * (1 - 1e-6):
        other = Vt[1]  # a direction orthogonal to v1 is stretched strictly less
        assert np.linalg.norm(A @ other) < smax * (1 - 1e-7)
    evidence.count("matrices (1x1 .. 6x6, entries in [-10, 10])")


@claim("spectral-radius-at-most-largest-singular-value", kind="symbolic")
def test_spectral_radius_bound_for_any_size(evidence, control):
    """For a real n x n J (symbolic n) with J v = lambda v, v = x + i y != 0 complex:
    summing |(J v)_i|^2 = |lambda v_i|^2 over the entries gives ||J x||^2 + ||J y||^2 =
    |lambda|^2 ||v||^2 (J real, so J x and J y are the real and imaginary parts of J v),
    and the operator-norm bound (proved here again for any size) ||J u||^2 = s_1^2 ||u||^2 -
    P_u with P_u >= 0 gives |lambda|^2 = s_1^2 - (P_x + P_y)/||v||^2 <= s_1^2. Negative
    controls: rho <= sigma_min (the operator-norm step then fails) and rho = sigma_max for
    every J (the nilpotent example refutes it) must be rejected."""
    n = sp.symbols("n", integer=True, positive=True)
    i = sp.symbols("i", integer=True, positive=True)
    p, q, x, y = (sp.IndexedBase(name, real=True) for name in ("p", "q", "x", "y"))  # p = Jx, q = Jy
    lam_re, lam_im = sp.symbols("a b", real=True)
    lam = lam_re + sp.I * lam_im
    vi = x[i] + sp.I * y[i]
    jv = p[i] + sp.I * q[i]
    # entrywise |lambda v_i|^2 and |(J v)_i|^2, summed by linearity
    lhs = linear(sp.Sum(sp.expand((lam * vi) * sp.conjugate(lam * vi)), (i, 1, n)))
    rhs = linear(sp.Sum(sp.expand(jv * sp.conjugate(jv)), (i, 1, n)))
    nx, ny = sp.Sum(x[i]**2, (i, 1, n)), sp.Sum(y[i]**2, (i, 1, n))
    jx, jy = sp.Sum(p[i]**2, (i, 1, n)), sp.Sum(q[i]**2, (i, 1, n))
    s1 = sp.symbols("s1", nonnegative=True)
    Px, Py = sp.symbols("P_x P_y", nonnegative=True)
    L2, NX, NY = sp.symbols("L2 N_x N_y", positive=True)  # |lambda|^2, ||x||^2, ||y||^2
    assert sp.expand(lhs - (lam_re**2 + lam_im**2) * linear(nx + ny)) == 0, \
        "sum_i |lambda v_i|^2 = |lambda|^2 ||v||^2"
    assert sp.expand(rhs - linear(jx + jy)) == 0, "||J v||^2 = ||J x||^2 + ||J y||^2"
    # the eigen-equation, entrywise |lambda v_i|^2 = |(J v)_i|^2 and summed, with the
    # operator-norm step ||J x||^2 = s_1^2 ||x||^2 - P_x (and for y): solve for |lambda|^2
    eig = sp.Eq(L2 * (NX + NY), rhs.subs({jx: s1**2 * NX - Px, jy: s1**2 * NY - Py}))
    t = sp.symbols("t", positive=True)
    sym = sp.Matrix([[2, 1], [1, 2]])
    nil = sp.Matrix([[0, t], [0, 0]])

    def rho_vs_sigma(stmt):
        ref, relation = stmt
        note = _operator_norm_gap_for_any_size(ref)  # ||J u||^2 = s_ref^2 ||u||^2 - P_u
        sol = sp.solve(eig, L2)
        assert len(sol) == 1, f"|lambda|^2 from the eigen-equation: {sol}"
        slack = sp.cancel(s1**2 - sol[0])
        assert slack.is_nonnegative, f"s^2 - |lambda|^2 = {slack}"
        for J in (sym, nil):
            rho = max(abs(e) for e in J.eigenvals())
            smax = max(sp.sqrt(e) for e in (J.T * J).eigenvals())
            assert (rho <= smax) if relation == "<=" else (rho == smax), \
                f"rho = {rho}, sigma_max = {smax} for {J.tolist()}"
        return note

    note = control(rho_vs_sigma, ("max", "<="), ("min", "<="), ("max", "=="),
                   labels=("rho <= sigma_min", "rho = sigma_max for every square J"))
    assert max(abs(e) for e in sym.eigenvals()) == 3 and set(nil.eigenvals()) == {0}
    evidence.note("sympy, symbolic n: |lambda|^2 ||v||^2 = ||Jv||^2 = ||Jx||^2 + ||Jy||^2 <= "
                  "s_1^2 ||v||^2 for an eigenpair (lambda, x + iy) of a real J; the operator-norm "
                  f"step proved in this check ({note}); [[2,1],[1,2]]: rho = sigma_max = 3; "
                  "[[0,t],[0,0]]: rho = 0, sigma_max = t")


@claim("spectral-radius-at-most-largest-singular-value", kind="sampled")
@HALF
@given(J=S.real_matrices(max_dim=6, square=True))
def test_spectral_radius_at_most_sigma_max(evidence, J):
    rho = float(np.max(np.abs(np.linalg.eigvals(J))))
    smax = float(_sv(J)[0])
    # eigenvalues of non-normal matrices can be ill-conditioned: a defective eigenvalue is
    # computed to ~sqrt(eps) ||J||, hence this absolute slack (still far below any O(1)
    # violation)
    assert rho <= smax * (1 + REL) + 1e-6 * max(smax, 1e-300), (rho, smax)
    if smax > 0:
        evidence.least("rho / sigma_max (1 = normal-like)", rho / smax)
        evidence.worst("rho / sigma_max", rho / smax)
    evidence.count("square matrices")


@claim("spectral-radius-interchangeable-with-singular-value", kind="symbolic", target="counterexample")
def test_layers_with_zero_spectral_radius_can_explode(evidence, control):
    """Layers alternating A = [[0, 2], [0, 0]] and a second layer B(A): both spectral radii
    are 0 (so rho-bar^L = 0) while ||(B A)^k|| = 4^k = sigma_max-bar^(2k). The statement's
    B = A^T must pass; the same assertions must reject B = A (one fixed layer repeated:
    there the spectral radius is right, A^2 = 0) and B = -A (its product with A is 0 too)."""
    A = sp.Matrix([[0, 2], [0, 0]])

    def explodes(second_layer):
        B = second_layer(A)
        assert set(A.eigenvals()) == {0} and set(B.eigenvals()) == {0}, "rho(A) = rho(B) = 0"
        smax = max(sp.sqrt(e) for e in (A.T * A).eigenvals())
        assert smax == 2 and max(sp.sqrt(e) for e in (B.T * B).eigenvals()) == smax
        rows = []
        for k in (1, 2, 5, 10):
            Pk = (B * A)**k
            norm = max(sp.sqrt(e) for e in (Pk.T * Pk).eigenvals())
            assert norm == smax**(2 * k), f"||(BA)^{k}|| = {norm}, not {smax**(2 * k)}"
            rows.append([2 * k, 0, int(norm), int(smax**(2 * k))])
        return B, rows

    B, rows = control(explodes, lambda M: M.T, lambda M: M, lambda M: -M,
                      labels=("B = A (one layer repeated)", "B = -A"))
    assert B * A == sp.Matrix([[0, 0], [0, 4]])
    evidence.table("chain A, B, A, B, ... of 2k layers", ["layers", "rho-bar^L",
                   "||product||", "sigma_max-bar^L"], rows)
    evidence.counterexample("A = [[0,2],[0,0]], B = A^T: rho(A) = rho(B) = 0, so rho-bar^L = 0, "
                            "but (BA)^k = diag(0, 4^k) has norm 4^k = sigma_max-bar^(2k): the "
                            "spectral radius predicts no gradient, the product explodes")


@claim("chain-product-scales-as-mean-factor-power",
       "spectral-radius-interchangeable-with-singular-value", kind="sampled", target="corrected")
@HALF
@given(mats=st.lists(S.real_matrices(min_dim=3, max_dim=3, square=True, bound=3.0),
                     min_size=1, max_size=6),
       v_seed=st.integers(0, 2**32 - 1))
def test_chain_product_between_sigma_min_and_sigma_max_products(evidence, mats, v_seed):
    v = np.random.default_rng(v_seed).normal(size=3)
    out = v.copy()
    for J in mats:
        out = J @ out
    hi = math.prod(float(_sv(J)[0]) for J in mats) * np.linalg.norm(v)
    lo = math.prod(float(_sv(J)[-1]) for J in mats) * np.linalg.norm(v)
    got = float(np.linalg.norm(out))
    slack = REL * hi + 1e-300
    assert got <= hi + slack, f"||prod J v|| = {got} > prod sigma_max ||v|| = {hi}"
    assert got >= lo - slack, f"||prod J v|| = {got} < prod sigma_min ||v|| = {lo}"
    if hi > 0:
        evidence.least("||prod J v|| / (prod sigma_max ||v||)", got / hi)
    evidence.count("chains of 1-6 random 3x3 layers")


@claim("chain-product-scales-as-mean-factor-power",
       "chain-product-explodes-when-every-sigma-max-above-one", kind="exact", target="counterexample")
def test_rotating_layers_decay_despite_sigma_max_two(evidence, control):
    """J = [[0, 2], [1/8, 0]] in every layer, in rational arithmetic: its singular values
    (square roots of the eigenvalues of J^T J) are 1/8 and 2, so sigma_max = 2 > 1, yet
    J^2 = I/4 and ||J^L|| = 2^-L for even L -> 0. Negative controls: [[0, 2], [1/2, 0]]
    (J^2 = I: no decay) and diag(2, 1/8) (a growing direction) - sigma_max = 2 as well -
    must be rejected by the same assertions."""
    def decays(rows_of_J):
        J = _frac_mat(rows_of_J)
        JtJ = _fmul([list(r) for r in zip(*J)], J)
        svals2 = sp.Matrix(JtJ).eigenvals()
        assert max(svals2) == 4, f"sigma_max^2 = {max(svals2)}"
        rows = []
        for L in (2, 10, 20, 40):
            P = _fpow(J, L)
            norm2 = max(sp.Matrix(_fmul([list(r) for r in zip(*P)], P)).eigenvals())
            assert norm2 == Fraction(1, 4**L), f"||J^{L}||^2 = {norm2}, not 4^-{L}"
            rows.append([L, 2**L, float(sp.sqrt(norm2))])
        return rows

    rows = control(decays, [[0, 2], [Fraction(1, 8), 0]], [[0, 2], [Fraction(1, 2), 0]],
                   [[2, 0], [0, Fraction(1, 8)]],
                   labels=("J = [[0, 2], [1/2, 0]]", "J = diag(2, 1/8)"))
    evidence.table("J = [[0, 2], [1/8, 0]] repeated", ["L", "sigma_max^L (predicted growth)",
                   "||J^L|| (exact)"], rows)
    evidence.counterexample("J = [[0, 2], [1/8, 0]] in every layer: sigma_max(J) = 2 > 1, yet "
                            "J^2 = I/4 exactly, so ||J^L|| = 2^-L for even L -> 0 (rho(J) = 1/2)")


@claim("chain-product-scales-as-mean-factor-power", kind="sampled", target="corrected")
@HALF
@given(diag=st.lists(st.lists(st.floats(0.1, 3.0), min_size=3, max_size=3), min_size=1,
                     max_size=8))
def test_aligned_layers_attain_the_sigma_max_product(evidence, diag):
    # positive diagonal layers with their largest entry in the same place share the top
    # singular vector: ||prod D_l|| = prod sigma_max(D_l)
    prod = np.ones(3)
    for d in diag:
        prod = prod * np.sort(d)[::-1]
    np.testing.assert_allclose(np.max(prod), math.prod(max(d) for d in diag), rtol=1e-12,
                               atol=0, err_msg="aligned layers: ||prod|| = prod sigma_max")
    evidence.count("chains of positive diagonal layers (equality case)")


@claim("chain-product-vanishes-when-every-sigma-max-below-one", kind="exact", scope="instance")
def test_factors_below_one_can_leave_product_at_one_half(evidence, control):
    """Scalar layers J_l = f(l) < 1: the product prod_{l <= L} f(l) in closed form (sympy)
    and its limit, which must be positive (no decay to 0), checked exactly in rationals for
    L <= 200 against the closed form. The statement's f(l) = 1 - 1/(l+1)^2 gives
    (L+2)/(2(L+1)) -> 1/2. Negative controls: f(l) = 1 - 1/(l+1) (product 1/(L+1) -> 0) and
    f(l) = 9/10 (a uniform q < 1) must be rejected."""
    l, L = sp.symbols("l L", positive=True, integer=True)

    def stays_away_from_zero(f):
        closed = sp.simplify(sp.product(f(l), (l, 1, L)))
        limit = sp.limit(closed, L, sp.oo)
        assert limit > 0, f"prod f(l) = {closed} -> {limit}"
        num, den = (sp.Poly(e, L) for e in sp.fraction(sp.cancel(closed)))
        p = Fraction(1)
        for k in range(1, 201):
            fk = Fraction(str(f(Fraction(k))))
            assert fk < 1
            p *= fk
            assert p == Fraction(int(num.eval(k)), int(den.eval(k))), f"L = {k}"
        return closed, limit

    closed, limit = control(stays_away_from_zero, lambda t: 1 - 1 / (t + 1)**2,
                            lambda t: 1 - 1 / (t + 1), lambda t: sp.Rational(9, 10),
                            labels=("f(l) = 1 - 1/(l+1)", "f(l) = 9/10"))
    assert sp.simplify(closed - (L + 2) / (2 * (L + 1))) == 0 and limit == sp.Rational(1, 2)
    evidence.note("why the bound needs q = max_l sigma_max(J_l) fixed as depth grows: scalar "
                  "layers J_l = 1 - 1/(l+1)^2 < 1 have prod_{l<=L} J_l = (L+2)/(2(L+1)) -> 1/2 "
                  "(sympy, and exactly in rationals for L <= 200), while for each L the bound "
                  "q^L with q = 1 - 1/(L+1)^2 holds")
    for k in (1, 10, 200):
        q = 1 - Fraction(1, (k + 1)**2)
        assert Fraction(k + 2, 2 * (k + 1)) <= q**k, "the product obeys q^L for its own max q"


@claim("chain-product-vanishes-when-every-sigma-max-below-one", kind="sampled")
@HALF
@given(mats=st.lists(S.real_matrices(min_dim=3, max_dim=3, square=True, bound=3.0),
                     min_size=1, max_size=8),
       q=st.floats(0.05, 0.99))
def test_uniform_factor_below_one_gives_exponential_decay(evidence, mats, q):
    P = np.eye(3)
    for J in mats:
        s = float(_sv(J)[0])
        # sigma_max(Jq) = q; a (near-)zero layer stays zero (q / s would overflow for a
        # subnormal s)
        Jq = J * (q / s) if s > 1e-150 else np.zeros_like(J)
        P = Jq @ P
    L = len(mats)
    assert float(_sv(P)[0]) <= q**L * (1 + REL), "||prod|| > q^L with sigma_max <= q"
    evidence.count("chains with sigma_max(J_l) <= q < 1")


@claim("chain-product-explodes-when-every-sigma-max-above-one", kind="sampled", target="corrected")
@HALF
@given(mats=st.lists(S.real_matrices(min_dim=3, max_dim=3, square=True, bound=3.0),
                     min_size=1, max_size=8),
       q=st.floats(1.01, 2.0), v_seed=st.integers(0, 2**32 - 1))
def test_uniform_sigma_min_above_one_gives_growth(evidence, mats, q, v_seed):
    v = np.random.default_rng(v_seed).normal(size=3)
    out = v.copy()
    used = 0
    for J in mats:
        U, s, Vt = np.linalg.svd(J)
        s = np.maximum(s, q)  # the same singular vectors, every singular value >= q
        out = (U * s) @ Vt @ out
        used += 1
    assert np.linalg.norm(out) >= q**used * np.linalg.norm(v) * (1 - REL)
    evidence.count("chains with sigma_min(J_l) >= q > 1")


def _lower_gap_for_any_size():
    """The lower companion of the operator-norm bound, symbolic n: for A (m x n, m >= n) with
    singular values s_1 >= ... >= s_n, ||A v||^2 - s_n^2 ||v||^2 = sum_i (s_i^2 - s_n^2) c_i^2
    >= 0 (c = V^T v, the same coordinates as the upper bound); for m < n, A has a kernel and
    sigma_min = 0 makes the bound trivial."""
    n = sp.symbols("n", integer=True, positive=True)
    i = sp.symbols("i", integer=True, positive=True)
    c = sp.IndexedBase("c", real=True)
    s = sp.IndexedBase("s", nonnegative=True)
    e = sp.IndexedBase("e")  # e_i = s_i^2 - s_n^2 (s_n the smallest)
    sn = sp.symbols("s_n", nonnegative=True)
    gap = linear(sp.Sum(s[i]**2 * c[i]**2, (i, 1, n)) - sn**2 * sp.Sum(c[i]**2, (i, 1, n)))
    assert sp.expand(gap - linear(sp.Sum((s[i]**2 - sn**2) * c[i]**2, (i, 1, n)))) == 0
    k = sp.symbols("k", integer=True, nonnegative=True)
    assert sp.Sum(e[i] * c[i]**2, (i, 1, 0)).doit() == 0
    # e_i = s_i^2 - s_n^2 with s_i = s_n + t_i (t_i >= 0: s_n the smallest), derived sign
    ti = sp.symbols("t_i", nonnegative=True)
    e_i = sp.expand((sn + ti)**2 - sn**2)
    step = sp.Sum(e[i] * c[i]**2, (i, k + 1, k + 1)).doit().subs(e[k + 1], e_i)
    assert step.is_nonnegative, "each induction step adds e_(k+1) c_(k+1)^2 >= 0"


@claim("chain-product-scales-as-mean-factor-power", kind="symbolic", target="corrected")
@claim("chain-product-vanishes-when-every-sigma-max-below-one", kind="symbolic")
@claim("chain-product-explodes-when-every-sigma-max-above-one", kind="symbolic", target="corrected")
@claim("spectral-radius-interchangeable-with-singular-value", kind="symbolic", scope="instance",
       target="corrected")
def test_chain_product_bounds_by_induction_over_depth(evidence, control):
    """For any depth L and layers J_1..J_L: (prod sigma_min(J_l)) ||v|| <= ||J_L ... J_1 v||
    <= (prod sigma_max(J_l)) ||v||. Induction over L: L = 0 is ||v|| = ||v||; the step
    applies the one-layer bounds (upper: the operator-norm bound; lower: its sigma_min
    companion, both proved here for any size) to u = J_L ... J_1 v. Corollaries: every
    sigma_max <= q gives ||product|| <= q^L (decay for q < 1); every sigma_min >= q gives
    growth >= q^L ||v|| (q > 1); positive diagonal layers with their largest entries in one
    place attain prod sigma_max. (The Gelfand limit in the spectral-radius correction is
    not proved here: scope instance for that claim.) Each step is shown as a polynomial in
    nonnegative slacks (sympy's sign rules). Negative controls: the factors swapped (upper
    bound by prod sigma_min, lower bound by prod sigma_max) and the uniform bounds q^(2L)
    and q^(L+1) in place of q^L must be rejected by the same steps."""
    _operator_norm_gap_for_any_size()
    _lower_gap_for_any_size()
    a, lo, hi, smin, t = sp.symbols("a lo hi s_min t", nonnegative=True)
    smax = smin + t  # sigma_min <= sigma_max
    factor = {"max": smax, "min": smin}
    g_hi, g_lo, g_up, g_dn = sp.symbols("g_hi g_lo g_up g_dn", nonnegative=True)
    # hypotheses of the step as nonnegative slacks: a = ||u|| with lo <= a <= hi, and the
    # one-layer bounds: the new norm b satisfies smin a <= b <= smax a
    b_up = smax * (hi - g_hi) - g_up        # b <= smax a, a = hi - g_hi
    b_dn = smin * (lo + g_lo) + g_dn        # b >= smin a, a = lo + g_lo
    P, q, L = sp.symbols("P q L", nonnegative=True)
    gP, gf = sp.symbols("g_P g_f", nonnegative=True)

    def bounds(stmt):
        up, dn, bound_up, bound_dn = stmt
        # step L -> L + 1 of the product bounds: b <= F_up hi and b >= F_dn lo
        assert sp.expand(factor[up] * hi - b_up).is_nonnegative, "upper step fails"
        assert sp.expand(b_dn - factor[dn] * lo).is_nonnegative, "lower step fails"
        # uniform factors f_l in [0, q]: prod_{l <= L} f_l <= bound_up(L) by induction (base
        # P_0 = 1; step with P <= bound_up(L), P = bound_up(L) - g_P, f = q - g_f:
        # P f = (bound_up(L) - g_P) q - P g_f)
        assert (bound_up(0) - 1).is_nonnegative, f"base: P_0 = 1 > {bound_up(0)}"
        Pf = (bound_up(L) - gP) * q - P * gf
        assert sp.expand((Pf - P * (q - gf)).subs(P, bound_up(L) - gP)) == 0
        assert sp.expand(bound_up(L + 1) - Pf).is_nonnegative, "uniform upper step fails"
        # f_l >= q: prod f_l >= bound_dn(L); P = bound_dn(L) + g_P, f = q + g_f
        assert (1 - bound_dn(0)).is_nonnegative, f"base: P_0 = 1 < {bound_dn(0)}"
        Pf = (bound_dn(L) + gP) * q + P * gf
        assert sp.expand((Pf - P * (q + gf)).subs(P, bound_dn(L) + gP)) == 0
        assert sp.expand(Pf - bound_dn(L + 1)).is_nonnegative, "uniform lower step fails"

    power = lambda k: q**k  # noqa: E731
    control(bounds, ("max", "min", power, power), ("min", "min", power, power),
            ("max", "max", power, power), ("max", "min", lambda k: q**(2 * k), power),
            ("max", "min", lambda k: q**(k + 1), power),
            ("max", "min", power, lambda k: q**(k + 1)),
            labels=("upper bound prod sigma_min", "lower bound prod sigma_max",
                    "||product|| <= q^(2L)", "||product|| <= q^(L+1)",
                    "growth >= q^(L+1)"))
    # aligned positive diagonal layers: entry i of the product is prod_l d_(l,i) <=
    # prod_l d_(l,1) when d_(l,1) = max_i d_(l,i): the product's norm is prod sigma_max
    d1, p1 = sp.symbols("d1 p1", positive=True)
    gd, gp = sp.symbols("g_d g_p", nonnegative=True)
    assert sp.expand(p1 * d1 - (p1 - gp) * (d1 - gd) - (gp * d1 + gd * (p1 - gp))) == 0
    evidence.note("sympy: one-layer bounds s_min ||u|| <= ||J u|| <= s_max ||u|| for any size; "
                  "induction over depth (step slacks: s_max hi - b = s_max g_hi + g_up, b - s_min "
                  "lo = s_min g_lo + g_dn); uniform q: q^L bounds both ways; aligned positive "
                  "diagonal layers attain prod sigma_max")


# -- vanishing gradients in training --------------------------------------------------------
EARLY_DEPTH, EARLY_WIDTH, EARLY_STEPS, EARLY_LR, EARLY_BATCH = 8, 16, 100, 0.5, 64
EARLY_RATIO = 1e-2  # "barely updates": the first layer moves < 1% as much as the last
# the test must pass w.p. >= 1 - 1e-6 when the true rate of such nets is >= 0.999 (measured
# ratios are ~1e-5, three orders below the threshold): the exact one-sided binomial needs
EARLY_EFFECT = 0.499  # true rate 0.999 against the null 1/2 ...
EARLY_NETS = 33       # ... which takes 33 nets (binomial_one_sided_sample_size(0.5, 0.999))


def _train_deep_sigmoid_net(rng):
    """A width-16, 8-layer sigmoid MLP (Xavier weights, zero biases, linear read-out) trained
    by full-batch gradient descent (step 0.5, 100 steps) on the regression target
    sin(x_1) + x_2/2 of 64 Gaussian inputs. Returns each layer's relative weight change
    ||W_l(T) - W_l(0)|| / ||W_l(0)|| and the first and last losses."""
    n, B = EARLY_WIDTH, EARLY_BATCH
    Ws = [rng.normal(0, math.sqrt(1 / n), size=(n, n)) for _ in range(EARLY_DEPTH)]
    bs = [np.zeros(n) for _ in range(EARLY_DEPTH)]
    w_out = rng.normal(0, math.sqrt(1 / n), size=n)
    X = rng.normal(size=(B, n))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1]
    W0 = [W.copy() for W in Ws]
    losses = []
    for _ in range(EARLY_STEPS):
        acts = [X]
        for W, b in zip(Ws, bs):
            acts.append(expit(acts[-1] @ W.T + b))
        r = acts[-1] @ w_out - y
        losses.append(float(np.mean(r**2)))
        g_out = (2 / B) * acts[-1].T @ r
        g = (2 / B) * r[:, None] * w_out[None, :]  # dL/da_L
        grads = []
        for l in range(EARLY_DEPTH - 1, -1, -1):
            a = acts[l + 1]
            d = g * a * (1 - a)  # dL/dz_l
            grads.append((d.T @ acts[l], d.sum(axis=0)))
            g = d @ Ws[l]
        for l, (gW, gb) in enumerate(reversed(grads)):
            Ws[l] -= EARLY_LR * gW
            bs[l] -= EARLY_LR * gb
        w_out -= EARLY_LR * g_out
    rel = [float(np.linalg.norm(W - W0_) / np.linalg.norm(W0_)) for W, W0_ in zip(Ws, W0)]
    return rel, losses[0], losses[-1]


def _check_backprop_of_early_net(rng):
    """The hand-written backward pass of _train_deep_sigmoid_net against central
    differences on one weight of the first layer (a depth-3 copy keeps it quick)."""
    n = 4
    Ws = [rng.normal(0, 0.5, size=(n, n)) for _ in range(3)]
    X = rng.normal(size=(5, n))
    y = rng.normal(size=5)
    w_out = rng.normal(size=n)

    def loss(W1):
        a = X
        for W in [W1] + Ws[1:]:
            a = expit(a @ W.T)
        return float(np.mean((a @ w_out - y)**2))

    acts = [X]
    for W in Ws:
        acts.append(expit(acts[-1] @ W.T))
    g = (2 / 5) * (acts[-1] @ w_out - y)[:, None] * w_out[None, :]
    for l in range(2, -1, -1):
        d = g * acts[l + 1] * (1 - acts[l + 1])
        grad = d.T @ acts[l]
        g = d @ Ws[l]
    E = np.zeros((n, n))
    E[1, 2] = 1e-6
    fd = (loss(Ws[0] + E) - loss(Ws[0] - E)) / 2e-6
    np.testing.assert_allclose(grad[1, 2], fd, rtol=1e-5, atol=1e-9,
                               err_msg="backprop of the first layer = central difference")


@claim("deep-sigmoid-net-input-layers-barely-update", kind="statistical")
def test_first_layer_of_a_deep_sigmoid_net_barely_moves(evidence, rng):
    from claimledger import stattests as T

    _check_backprop_of_early_net(rng)
    rows, hits, ratios, drops = [], 0, [], 0
    for k in range(EARLY_NETS):
        rel, l0, l1 = _train_deep_sigmoid_net(rng)
        ratio = rel[0] / rel[-1]
        ratios.append(ratio)
        hits += ratio < EARLY_RATIO
        drops += l1 < l0
        if k < 4:
            rows.append([k, f"{rel[0]:.2e}", f"{rel[-1]:.2e}", f"{ratio:.2e}", f"{l0:.3f}",
                         f"{l1:.3f}"])
    # the claim is about typical nets: the rate of "first layer moves < 1% of the last"
    # exceeds 1/2 (exact one-sided binomial, alpha 1e-6)
    assert EARLY_NETS == T.binomial_one_sided_sample_size(0.5, 0.5 + EARLY_EFFECT)
    out = T.binomial_one_sided(hits, EARLY_NETS, 0.5, alternative="greater",
                               false_fail_rate=T.MAX_FALSE_FAIL_RATE, effect=EARLY_EFFECT)
    out.assert_ok(f"first-layer / last-layer relative update < {EARLY_RATIO} in more than half "
                  f"of the nets ({hits}/{EARLY_NETS})")
    evidence.table(f"{EARLY_DEPTH}-layer sigmoid nets of width {EARLY_WIDTH}, {EARLY_STEPS} GD "
                   f"steps of {EARLY_LR}", ["net", "||dW_1||/||W_1||", "||dW_L||/||W_L||",
                                            "ratio", "loss before", "loss after"], rows)
    evidence.note(f"{hits}/{EARLY_NETS} nets with ratio < {EARLY_RATIO} (median ratio "
                  f"{float(np.median(ratios)):.2e}); the training loss fell in {drops}/"
                  f"{EARLY_NETS}; {out.evidence()}")


# -- sigmoid numbers -----------------------------------------------------------------
@claim("sigmoid-derivative-peaks-at-quarter", kind="symbolic")
def test_sigmoid_derivative_symbolic(evidence, control):
    """sigma' = sigma (1 - sigma); with u = sigma(z) in (0, 1), peak - u (1 - u) must be the
    square (u - 1/2)^2 (>= 0, zero only at sigma = 1/2), whose solution z is the stated
    location; sigma' is even and decreasing in |z|. Negative controls: the peak 1/2 (sigma
    itself at 0), the peak 1, and the location z = 1 must be rejected."""
    # sizeless: a statement about one real function of one real variable
    z = sp.symbols("z", real=True)
    s = 1 / (1 + sp.exp(-z))
    ds = sp.diff(s, z)
    assert sp.simplify(ds - s * (1 - s)) == 0, "sigma' = sigma (1 - sigma)"
    u = sp.symbols("u", real=True)  # u = sigma(z) in (0, 1)
    at_half = sp.solve(sp.Eq(s, sp.Rational(1, 2)), z)

    def peak(stmt):
        value, where = stmt
        assert sp.expand(value - u * (1 - u) - (u - sp.Rational(1, 2))**2) == 0, \
            f"{value} - sigma' is not the square (sigma - 1/2)^2"
        assert at_half == [where], f"the maximum is at z in {at_half}"
        assert ds.subs(z, where) == value, f"sigma'({where}) = {ds.subs(z, where)}"

    control(peak, (sp.Rational(1, 4), 0), (sp.Rational(1, 2), 0), (1, 0),
            (sp.Rational(1, 4), 1), labels=("peak 1/2", "peak 1", "peak at z = 1"))
    assert sp.simplify(ds.subs(z, -z) - ds) == 0, "even: a bell curve"
    dds = sp.diff(ds, z)
    assert sp.simplify(dds - ds * (1 - 2 * s)) == 0
    # for z > 0: sigma > 1/2 so sigma'' = sigma'(1 - 2 sigma) < 0: strictly decreasing in |z|
    zp = sp.symbols("zp", positive=True)
    assert sp.simplify((1 - 2 * s.subs(z, zp) + sp.tanh(zp / 2)).rewrite(sp.exp)) == 0
    evidence.note("sympy: sigma' = sigma(1-sigma); 1/4 - u(1-u) = (u-1/2)^2 >= 0 with equality "
                  "iff sigma(z) = 1/2 iff z = 0; sigma' even; sigma'' = sigma'(1-2 sigma) = "
                  "-sigma' tanh(z/2) < 0 for z > 0")


@claim("sigmoid-ten-layer-derivative-product-below-1e-6", kind="symbolic")
def test_ten_sigmoid_derivatives_at_most_quarter_to_the_tenth(evidence, rng, control):
    """The key step, proved here: 0 < sigma'(z) <= cap for every real z, the cap's slack
    cap - sigma' = (cap - 1/4) + (u - 1/2)^2 with u = sigma(z) in (0, 1); then a product of
    L factors in (0, cap] is in (0, cap^L] (induction over L, base P_0 = 1, step slack a
    polynomial in nonnegative slacks), and cap^L is compared exactly with "about 1e-6"
    (within 5 %). Negative controls: the caps 1/2 and 1/5 (1/5 is below sigma'(0)) and
    nine layers instead of ten must be rejected."""
    z = sp.symbols("z", real=True)
    s = 1 / (1 + sp.exp(-z))
    assert sp.simplify(sp.diff(s, z) - s * (1 - s)) == 0, "sigma' = sigma (1 - sigma)"
    assert sp.simplify(s.subs(z, 0)) == sp.Rational(1, 2) and s.is_positive and \
        sp.simplify(1 - s - 1 / (1 + sp.exp(z))) == 0, "0 < sigma < 1"
    u = sp.symbols("u", positive=True)
    P, f = sp.symbols("P f", positive=True)
    L = sp.symbols("L", integer=True, nonnegative=True)
    gP, gf = sp.symbols("g_P g_f", nonnegative=True)  # the slacks cap^L - P, cap - f

    def product_bound(stmt):
        cap, layers = stmt
        slack = sp.expand(cap - u * (1 - u))  # cap - sigma'(z), u = sigma(z)
        assert sp.expand(slack - (u - sp.Rational(1, 2))**2) == cap - sp.Rational(1, 4) and \
            cap - sp.Rational(1, 4) >= 0, f"sigma' <= {cap} fails at u = 1/2 (z = 0)"
        # induction: P_(L+1) = P_L f_(L+1) <= cap^(L+1) when P_L <= cap^L and f <= cap
        step = sp.expand(cap**(L + 1) - (cap**L - gP) * (cap - gf))
        assert sp.expand(step - (gP * cap + gf * (cap**L - gP))) == 0, "slack of the step"
        bound = Fraction(str(cap))**layers
        assert abs(bound / Fraction(1, 10**6) - 1) < Fraction(1, 20), \
            f"{cap}^{layers} = {float(bound):.3g}, not about 1e-6"
        return bound

    bound = control(product_bound, (sp.Rational(1, 4), 10), (sp.Rational(1, 2), 10),
                    (sp.Rational(1, 5), 10), (sp.Rational(1, 4), 9),
                    labels=("cap 1/2", "cap 1/5", "nine layers"))
    # ... and gP cap + gf P >= 0 because P = cap^L - gP > 0
    assert bound == Fraction(1, 1048576)
    assert Fraction(9, 10**7) < bound < Fraction(1, 10**6), "0.25^10 ~ 1e-6"
    # equality iff every z_l = 0; spot-check a few layer inputs in floating point
    for _ in range(100):
        zs = rng.normal(0, 3, size=10)
        prod = float(np.prod(expit(zs) * (1 - expit(zs))))
        assert 0 < prod <= float(bound)
    evidence.note(f"sympy: sigma' = 1/4 - (sigma - 1/2)^2 in (0, 1/4]; by induction a product of "
                  f"L such factors is in (0, 4^-L]; exact: 0.25^10 = 1/1048576 = "
                  f"{float(bound):.6g} (within 5% of 1e-6), attained iff all z_l = 0")


@claim("sigmoid-layer-scale-tops-out-at-quarter", kind="exact", target="counterexample")
def test_weights_multiply_the_sigmoid_factor(evidence, rng, control):
    """A one-unit sigmoid layer at z = 0 with weight W: its Jacobian sigma'(0) W (sigma'(0)
    computed exactly) must exceed the claimed cap 1/4 for the statement's W = 8. Negative
    controls: W = 1 and W = 1/2, for which the cap holds, must be rejected."""
    z = sp.symbols("z", real=True)
    d0 = sp.diff(1 / (1 + sp.exp(-z)), z).subs(z, 0)
    assert d0 == sp.Rational(1, 4)

    def exceeds_cap(W):
        J = Fraction(str(d0)) * W  # layer Jacobian sigma'(0) * W at z = 0
        assert J > Fraction(1, 4), f"J = {J} <= 1/4"
        return J

    J = control(exceeds_cap, Fraction(8), Fraction(1), Fraction(1, 2),
                labels=("W = 1", "W = 1/2"))
    assert J == 2
    evidence.counterexample("1-unit sigmoid layer with W = 8 at z = 0: J = sigma'(0) W = 2, "
                            "eight times the claimed cap 0.25 (ten such layers: 2^10, not 1e-6)")
    rows = []
    for n in (32, 128):  # small: BLAS-3 work stalls when the cores are shared
        Ws = [rng.normal(0, math.sqrt(1 / n), size=(n, n)) for _ in range(2)]
        smax = [float(_sv(W)[0]) for W in Ws]
        zz = rng.normal(0, 1, size=n)
        D = expit(zz) * (1 - expit(zz))
        layer = float(_sv(D[:, None] * Ws[0])[0])
        assert layer <= 0.25 * smax[0] * (1 + REL), "||diag(s') W|| <= ||W|| / 4"
        rows.append([n, f"{min(smax):.3f}..{max(smax):.3f}", f"{layer:.3f}"])
    evidence.table("Xavier square layers (sigma_w^2 = 1/n)", ["n", "sigma_max(W)",
                   "sigma_max(diag(sigma'(z)) W), z ~ N(0,1)"], rows)
    evidence.note("the layer factor is bounded by sigma_max(W)/4; Xavier square weights have "
                  "sigma_max ~ 2 (edge 2 of the quarter-circle law), so the worst case per layer "
                  "is ~0.5, not 0.25")


@claim("sigmoid-layer-scale-tops-out-at-quarter", kind="sampled", target="corrected")
@HALF
@given(W=S.real_matrices(max_dim=6, square=True), z_seed=st.integers(0, 2**32 - 1))
def test_sigmoid_layer_bounded_by_quarter_of_weight_norm(evidence, W, z_seed):
    z = np.random.default_rng(z_seed).normal(0, 2, size=W.shape[0])
    D = expit(z) * (1 - expit(z))
    sw = float(_sv(W)[0])
    assert float(_sv(D[:, None] * W)[0]) <= 0.25 * sw * (1 + REL) + 1e-300
    evidence.count("sigmoid layers")


# -- the figure's numbers ----------------------------------------------------------------
@claim("exploding-curve-leaves-plot-near-depth-nine", kind="exact")
def test_one_point_two_curve_crosses_five_between_eight_and_nine(evidence, control):
    """Exactly in rationals: the first depth L with 1.2^L > 5 (the y-axis top) is the stated
    one, within 0.2 of ln 5 / ln 1.2, and the curves said to stay on the plot stay in
    (0, 5] for L <= 20. Negative controls: the crossing at L = 8 or 10, and the 1.2 curve
    listed among those that stay, must be rejected."""
    r = Fraction(6, 5)
    L_star = math.log(5) / math.log(1.2)

    def figure(stmt):
        L_cross, staying = stmt
        assert r**(L_cross - 1) <= 5 < r**L_cross, f"1.2^L first exceeds 5 at L != {L_cross}"
        assert abs(L_star - L_cross) < 0.2, f"ln 5 / ln 1.2 = {L_star:.3f}"
        for rate in staying:  # the other curves stay within (0, 5]
            assert all(0 < rate**L <= 5 for L in range(1, 21)), f"{rate}^L leaves the plot"

    stay = (Fraction(1, 4), Fraction(9, 10), Fraction(1))
    control(figure, (9, stay), (8, stay), (10, stay), (9, stay + (r,)),
            labels=("crossing at L = 8", "crossing at L = 10", "1.2^L stays on the plot"))
    evidence.note(f"exact: 1.2^8 = {float(r**8):.4f} < 5 < 1.2^9 = {float(r**9):.4f}; crossing "
                  f"at L = ln 5 / ln 1.2 = {L_star:.3f} ~ 9; 0.25^L, 0.9^L, 1^L stay in (0, 1]")


@claim("figure-tanh-factor-labelled-near-saturation", kind="interval", target="counterexample")
@claim("figure-tanh-factor-labelled-near-saturation", kind="interval", target="corrected")
def test_tanh_derivative_is_point_nine_only_near_zero(evidence):
    z = sp.symbols("z", real=True)
    dt = sp.diff(sp.tanh(z), z)
    assert sp.simplify(dt - (1 - sp.tanh(z)**2)) == 0
    z09 = sp.atanh(1 / sp.sqrt(10))
    assert sp.simplify(dt.subs(z, z09) - sp.Rational(9, 10)) == 0
    assert sp.simplify(sp.diff(dt, z) + 2 * sp.tanh(z) * (1 - sp.tanh(z)**2)) == 0
    # tanh' falls for z > 0 (tanh'' = -2 tanh tanh' < 0): tanh' >= 0.9 iff |z| <= z09
    from mpmath.ctx_iv import MPIntervalContext

    ivc = MPIntervalContext()  # a context of our own: mpmath's global precision is untouched
    ivc.dps = 30
    e4 = ivc.exp(ivc.mpf(4))
    at2 = 4 * e4 / (e4 + 1)**2  # 1 - tanh(2)^2 with tanh(2) = (e^4 - 1)/(e^4 + 1)
    assert at2.b < 0.0707, "tanh'(2) certified below 0.0707"
    assert abs(float(z09) - 0.32745) < 1e-5
    evidence.counterexample(f"tanh'(z) = 0.9 exactly at |z| = artanh(1/sqrt(10)) = "
                            f"{float(z09):.5f} (near-linear regime); at the start of saturation "
                            f"|z| = 2, tanh' is in {at2} (interval arithmetic) < 0.0707")


# -- measured gradients of real deep MLPs ---------------------------------------------------
_ACT = {
    "sigmoid": (expit, lambda z: expit(z) * (1 - expit(z))),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z)**2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
}
_VAR = {"xavier": 1.0, "he": 2.0, "gain1.2": 2.0 * 1.44}  # sigma_w^2 * n for square layers


def _mlp(rng, act, scheme, depth, width):
    return [rng.normal(0, math.sqrt(_VAR[scheme] / width), size=(width, width))
            for _ in range(depth)]


def _input_gradient(Ws, act, x, c):
    """Forward x_l = act(W_l x_{l-1}); loss c . x_L; return (z's, [g_L, ..., g_0]) with
    g_{l-1} = W_l^T (act'(z_l) * g_l): the chain product J_L^T ... J_1^T applied to c."""
    f, df = _ACT[act]
    zs, a = [], x
    for W in Ws:
        z = W @ a
        zs.append(z)
        a = f(z)
    gs = [c]
    for W, z in zip(reversed(Ws), reversed(zs)):
        gs.append(W.T @ (df(z) * gs[-1]))
    return zs, gs


@claim("measured-gradient-norms-obey-chain-bounds", kind="sampled")
@HALF
@given(cfg=S.mlp_configs(), seed=st.integers(0, 2**32 - 1))
def test_measured_gradient_within_chain_bounds(evidence, cfg, seed):
    act, scheme, depth, width = cfg
    r = np.random.default_rng(seed)
    Ws = _mlp(r, act, scheme, depth, width)
    x, c = r.normal(size=width), r.normal(size=width)
    zs, gs = _input_gradient(Ws, act, x, c)
    df = _ACT[act][1]
    ratio = np.linalg.norm(gs[-1]) / np.linalg.norm(c)
    upper = math.prod(float(np.max(np.abs(df(z)))) * float(_sv(W)[0]) for W, z in zip(Ws, zs))
    lower = math.prod(float(np.min(np.abs(df(z)))) * float(_sv(W)[-1]) for W, z in zip(Ws, zs))
    assert ratio <= upper * (1 + REL) + 1e-300, f"measured {ratio} > upper bound {upper}"
    assert ratio >= lower * (1 - REL) - 1e-300, f"measured {ratio} < lower bound {lower}"
    if act == "sigmoid":
        cap = 0.25**depth * math.prod(float(_sv(W)[0]) for W in Ws)
        assert ratio <= cap * (1 + REL), "sigmoid: ratio <= 0.25^L prod ||W_l||"
    if upper > 0:
        evidence.least("measured / upper chain bound", ratio / upper)
    evidence.count(f"{act} nets")


def _finite_difference_check(rng):
    Ws = _mlp(rng, "tanh", "xavier", 4, 6)
    x, c = rng.normal(size=6), rng.normal(size=6)
    _, gs = _input_gradient(Ws, "tanh", x, c)

    def loss(x0):
        a = x0
        for W in Ws:
            a = np.tanh(W @ a)
        return c @ a

    h = 1e-5
    fd = np.array([(loss(x + h * e) - loss(x - h * e)) / (2 * h) for e in np.eye(6)])
    # central differences: truncation O(h^2 |f'''|) ~ 1e-10, rounding ~ eps |f| / h ~ 1e-11
    np.testing.assert_allclose(gs[-1], fd, rtol=1e-6, atol=1e-8,
                               err_msg="Jacobian-product gradient = finite differences")


@claim("measured-gradient-norms-obey-chain-bounds", "exploding-curve-leaves-plot-near-depth-nine", kind="figure")
def test_chain_product_figure_with_measured_gradients(evidence, rng, save_figure):
    import matplotlib.pyplot as plt

    _finite_difference_check(rng)
    width, depth, nets = 128, 20, 5
    regimes = [("sigmoid", "xavier", 0.25, "sigmoid + Xavier vs 0.25^L"),
               ("tanh", "xavier", 0.9, "tanh + Xavier vs 0.9^L"),
               ("relu", "he", 1.0, "ReLU + He vs 1.0^L"),
               ("relu", "gain1.2", 1.2, "ReLU, He x 1.44 vs 1.2^L")]
    Ls = np.arange(1, depth + 1)
    measured, rows = {}, []
    for act, scheme, rho, _ in regimes:
        curves = []
        for _ in range(nets):
            Ws = _mlp(rng, act, scheme, depth, width)
            x, c = rng.normal(size=width), rng.normal(size=width)
            _, gs = _input_gradient(Ws, act, x, c)
            curves.append([np.linalg.norm(g) / np.linalg.norm(c) for g in gs[1:]])
        curves = np.array(curves)
        measured[(act, scheme)] = curves
        per_layer = float(np.exp(np.median(np.log(curves[:, -1])) / depth))
        rows.append([f"{act} + {scheme}", rho, f"{np.median(curves[:, 9]):.3g}",
                     f"{np.median(curves[:, -1]):.3g}", f"{per_layer:.3f}"])
    evidence.table(f"measured ||dL/dx_(L-k)|| / ||dL/dx_L|| (median of {nets} nets, width "
                   f"{width})", ["net", "article's rho", "k = 10", "k = 20",
                                 "per-layer factor"], rows)

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    for rho, label in [(0.25, "sigmoid' chain (0.25)^L"), (0.9, "tanh' (0.9)^L"),
                       (1.0, "ReLU' positive region (1.0)^L"), (1.2, "exploding rho = 1.2")]:
        ax1.plot(Ls, rho**Ls.astype(float), marker="o", ms=3, label=label)
    ax1.set_ylim(0, 5)
    ax1.set_xlim(1, depth)
    ax1.axvline(math.log(5) / math.log(1.2), color="grey", lw=0.8, ls=":")
    ax1.set_xlabel("depth L")
    ax1.set_ylabel("chain product rho^L")
    ax1.set_title("article's figure, regenerated (y-axis to 5)")
    ax1.legend(fontsize=8)
    for (act, scheme, rho, label), color in zip(regimes, ["C0", "C1", "C2", "C3"]):
        cur = measured[(act, scheme)]
        ax2.semilogy(Ls, np.median(cur, axis=0), color=color, label=label)
        ax2.fill_between(Ls, cur.min(axis=0), cur.max(axis=0), color=color, alpha=0.2)
        ax2.semilogy(Ls, rho**Ls.astype(float), color=color, ls="--", lw=0.8)
    ax2.set_xlabel("layers back-propagated through, k")
    ax2.set_ylabel("||dL/dx_(L-k)|| / ||dL/dx_L||")
    ax2.set_title(f"measured, deep MLPs of width {width} (median, min-max of {nets})")
    ax2.legend(fontsize=8)
    save_figure(fig, "s4_chain_product_vs_depth",
                "Left: the article's chain-product curves rho^L (the 1.2^L curve leaves the "
                "y-range at L = 8.83). Right: measured input-gradient norms of random deep MLPs "
                "(solid) against rho^L (dashed).")
    evidence.note("gradients by direct Jacobian products, cross-checked against central "
                  "finite differences on a 4-layer tanh net (rtol 1e-6)")


# -- an oversized step -----------------------------------------------------------------
@claim("oversized-step-makes-gradient-descent-diverge", kind="symbolic")
def test_gradient_descent_on_quadratic_diverges_iff_step_above_two_over_a(evidence, control):
    """Gradient descent on (a/2) theta^2: the recurrence solved by sympy, theta_k = theta_0
    (1 - eta a)^k, and the steps t = eta a with |1 - t| > 1 solved as a set, compared with
    the stated threshold c (diverges iff eta > c/a; converges for 0 < eta < c/a). Negative
    controls: the thresholds 1/a (one step lands past the minimum, but still converges) and
    4/a must be rejected."""
    a, eta, th0 = sp.symbols("a eta theta0", positive=True)
    k = sp.symbols("k", integer=True, nonnegative=True)
    theta = sp.Function("theta")
    sol = sp.rsolve(theta(k + 1) - (theta(k) - eta * a * theta(k)), theta(k),
                    {theta(0): th0})
    assert sp.simplify(sol - th0 * (1 - eta * a)**k) == 0
    t = sp.symbols("t", positive=True)  # t = eta a
    grows = sp.solveset(sp.Abs(1 - t) > 1, t, sp.Interval.open(0, sp.oo))
    shrinks = sp.solveset(sp.Abs(1 - t) < 1, t, sp.Interval.open(0, sp.oo))

    def threshold(c):
        assert grows == sp.Interval.open(c, sp.oo), f"diverges iff eta a in {grows}"
        assert shrinks == sp.Interval.open(0, c), f"converges iff eta a in {shrinks}"

    control(threshold, 2, 1, 4, labels=("eta > 1/a", "eta > 4/a"))
    evidence.note("sympy: GD on (a/2) theta^2 gives theta_k = theta_0 (1 - eta a)^k; "
                  "|1 - eta a| > 1 iff eta > 2/a (diverges), < 1 iff 0 < eta < 2/a")
