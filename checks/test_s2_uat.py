"""Evidence for §2.3: universal approximation, constructively, with rigorous error bounds.

The theorem (every target, every width)
---------------------------------------
The construction of ``implementations/uat.py`` takes N cells of width h on [a, b], nodes
x_k at the cell centres, steepness alpha = 8 / h, bumps B_k = S_(k-1) - S_k with the steps
S_k = sigma(alpha (x - c_k)) (S_0 = 1, S_N = 0) and g = sum_k f(x_k) B_k. The B_k are
positive and sum to 1, so for f with a concave, non-decreasing modulus of continuity
omega (L t for an L-Lipschitz f)

    |g(x) - f(x)| <= sum_k B_k(x) omega(|x_k - x|) <= omega(sum_k B_k(x) |x_k - x|)  (Jensen)
                  =  omega(h Phi_N((x - a) / h)),   Phi_N(t) = sum_k B_k |k - 1/2 - t|.

``test_bump_construction_error_bound_for_every_target`` proves the rest: merging the two
outer bumps into the infinite grid's only moves weight to nodes farther away, so
Phi_N <= Phi_inf on [0, N] for every N (checked in sympy), Phi_inf is 1-periodic, and
sup_[0,1] Phi_inf <= SPREAD / 2 is enclosed in mpmath interval arithmetic (outward
rounded, every cell of [0, 1], with a rigorous bound on the truncated tail). Hence
sup |g - f| <= omega(SPREAD h / 2) <= eps / 2 for the width rule of the claim: a proof
for every f, eps and N, not a sample of targets.

The implementation, target by target
------------------------------------
The implementation computes the construction in float64. For each target the checks
enclose, in interval arithmetic, the exact construction's parameters (f at the exact
nodes through the target's own mpmath.iv enclosure) and bound, over the whole domain,

    |g_impl(x) - g(x)| <= sum_i |a_i - a_i*| + sum_i |a_i*| (|w_i - w_i*|_1 M + |b_i - b_i*|) / 4

(sigma <= 1, sigma' <= 1/4, |x|_inf <= M), with every float operation rounded outward
(``np.nextafter``) and every sum taken exactly (``math.fsum``) and rounded up. So
sup |g_impl - f| <= omega(SPREAD h / 2) + gap: rigorous, with no rounding model for exp
or sin, and covering every point of the domain. A network with a wrong node, edge,
steepness or neuron has a gap of the size of f's increments and is rejected.

On the unit square the network is the concatenation of one 1-D construction per ridge
(neuron weights alpha d_j); the errors of the ridges add (triangle inequality).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given, settings

from checks import test_s2_intervals as ivz
from checks.support import strategies as S

claim = pytest.mark.claim

U = 2.0 ** -53  # float64 unit roundoff (inflates Lipschitz constants computed in float)
SPREAD = 1.05  # the construction's design constant (article §2.3 claim statement)
STEEP = 8  # alpha h of the construction
INF = np.inf


def _sig(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _dn(x):
    return np.nextafter(x, -INF)


def _up(x):
    return np.nextafter(x, INF)


def _sum_up(values) -> float:
    """An upper bound on the exact sum: fsum is correctly rounded, one step up covers it."""
    return float(_up(math.fsum(np.asarray(values, dtype=float).ravel())))


def _mul_iv(al, ah, bl, bh):
    """[al, ah] * [bl, bh] elementwise, rounded outward."""
    p = np.stack([al * bl, al * bh, ah * bl, ah * bh])
    return _dn(p.min(axis=0)), _up(p.max(axis=0))


def _dist_up(x, lo, hi):
    """An upper bound on max |x - y| over y in [lo, hi]."""
    return _up(np.maximum(np.abs(_up(x - lo)), np.abs(_up(hi - x))))


# -- targets ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trig:
    """f(t) = sum_i c_i sin(w_i t + p_i)."""

    c: tuple
    w: tuple
    p: tuple

    @property
    def lipschitz(self) -> float:
        return math.fsum(abs(c * w) for c, w in zip(self.c, self.w)) * (1 + 8 * U)

    def __call__(self, t):
        t = np.asarray(t, dtype=float)
        return sum(c * np.sin(w * t + p) for c, w, p in zip(self.c, self.w, self.p))

    def iv(self, x):
        return sum((ivz.iv.mpf(c) * ivz.iv.sin(ivz.iv.mpf(w) * x + ivz.iv.mpf(p))
                    for c, w, p in zip(self.c, self.w, self.p)), ivz.iv.mpf(0))

    def __str__(self):
        return " + ".join(f"{c:.3g} sin({w:.3g} t + {p:.3g})" for c, w, p in
                          zip(self.c, self.w, self.p))


@dataclass(frozen=True)
class Poly:
    """p(t) = sum_k c_k t^k; Lipschitz on [a, b] with sum_k k |c_k| max(|a|, |b|)^(k-1)."""

    c: tuple
    a: float
    b: float

    @property
    def lipschitz(self) -> float:
        m = max(abs(self.a), abs(self.b))
        return math.fsum(k * abs(ck) * m ** (k - 1) for k, ck in enumerate(self.c) if k) \
            * (1 + 16 * U)

    def __call__(self, t):
        return np.polyval(list(self.c)[::-1], np.asarray(t, dtype=float))

    def iv(self, x):
        out = ivz.iv.mpf(0)
        for ck in list(self.c)[::-1]:
            out = out * x + ivz.iv.mpf(ck)
        return out

    def __str__(self):
        return " + ".join(f"{ck:.3g} t^{k}" for k, ck in enumerate(self.c))


# -- the theorem: sup_x sum_k B_k |x_k - x| <= SPREAD h / 2 for every N --------------------
PHI_TERMS = 5  # k = -4..5 summed explicitly on t in [0, 1]; the rest is a rigorous tail


def _phi_inf_enclosure(cells: int = 64, rounds: int = 8):
    """Enclose sup_{t in [0, 1]} Phi_inf(t), Phi_inf(t) = sum_{k in Z} B_k(t) |k - 1/2 - t|,
    B_k(t) = s(8 (t - k + 1)) - s(8 (t - k)), over every cell of [0, 1] (bisecting cells
    whose bound is not below SPREAD / 2). Returns (upper bound, cells used)."""
    iv = ivz.iv
    cache = {}

    def s(p, m):  # sigma(8 (p - m)) at a dyadic p (an exact float), enclosed
        if (p, m) not in cache:
            cache[(p, m)] = ivz.sigmoid(iv.mpf(STEEP) * (iv.mpf(p) - m))
        return cache[(p, m)]

    K = PHI_TERMS
    q = 1 - 2 * iv.exp(iv.mpf(-STEEP))
    # k >= K+1: B_k <= s(8 (t - k + 1)) <= e^(8 (2 - k)) and |k - 1/2 - t| <= k, a series
    # whose ratio is <= 2 e^-8; k <= -K: B_k <= 1 - s(8 (t - k)) <= e^(8 k), distance
    # <= |k| + 2
    tail = ((K + 1) * iv.exp(iv.mpf(STEEP * (1 - K))) + (K + 2) * iv.exp(iv.mpf(-STEEP * K))) / q
    bound = iv.mpf(SPREAD) / 2
    todo = [(i / cells, (i + 1) / cells) for i in range(cells)]  # dyadic: exact floats
    best, used = iv.mpf(0), 0
    with ivz.precision(53):
        for r in range(rounds + 1):
            nxt = []
            for u, v in todo:
                t = iv.mpf([u, v])
                tot = iv.mpf([0, ivz.hi(tail)])
                for k in range(1 - K, K + 1):
                    hi_ = s(v, k - 1) - s(u, k)  # s increasing in t
                    lo_ = s(u, k - 1) - s(v, k)
                    B = iv.mpf([max(ivz.lo(lo_), 0), ivz.hi(hi_)])
                    tot += B * abs(iv.mpf(k) - iv.mpf(0.5) - t)
                if ivz.hi(tot) < ivz.lo(bound):
                    best, used = max(best, ivz.hi(tot)), used + 1
                elif r < rounds:
                    m = (u + v) / 2
                    nxt += [(u, m), (m, v)]
                else:
                    raise AssertionError(f"Phi_inf on [{u}, {v}] not below SPREAD/2: {tot}")
            todo = nxt
            if not todo:
                break
    return float(best), used


# -- the implementation: a rigorous bound on its distance to the exact construction --------
def _node_values(f_iv, a, b, n):
    """Enclosures [lo, hi] of f at the exact nodes a + (k - 1/2)(b - a)/n, k = 1..n."""
    iv = ivz.iv
    with ivz.precision(53):
        h = (iv.mpf(b) - iv.mpf(a)) / n
        hl, hh = float(ivz.lo(h)), float(ivz.hi(h))
        kh = np.arange(n) + 0.5  # exact
        xl, xh = _dn(a + _dn(kh * hl)), _up(a + _up(kh * hh))
        lo, hi = np.empty(n), np.empty(n)
        for k in range(n):
            y = f_iv(iv.mpf([xl[k], xh[k]]))
            lo[k], hi[k] = float(ivz.lo(y)), float(ivz.hi(y))
    return lo, hi


def _exact_construction(f_iv, a, b, n, direction=None):
    """Interval arrays (lo, hi) of the exact construction's coef, weight rows and bias on
    [a, b] with n cells (weights alpha * direction for a ridge), rounded outward."""
    iv = ivz.iv
    with ivz.precision(53):
        alpha = iv.mpf(STEEP) * n / (iv.mpf(b) - iv.mpf(a))
        h = (iv.mpf(b) - iv.mpf(a)) / n
        al, ah = float(ivz.lo(alpha)), float(ivz.hi(alpha))
        hl, hh = float(ivz.lo(h)), float(ivz.hi(h))
    k = np.arange(1, n, dtype=float)
    kh_lo, kh_hi = _dn(k * hl), _up(k * hh)  # k, h > 0
    c_lo, c_hi = _dn(a + kh_lo), _up(a + kh_hi)  # c_k = a + k h
    nb_lo, nb_hi = _mul_iv(al, ah, c_lo, c_hi)  # alpha c_k; the bias is its negative
    ylo, yhi = _node_values(f_iv, a, b, n)
    clo = np.concatenate([[_dn(2 * ylo[0])], _dn(ylo[1:] - yhi[:-1])])
    chi = np.concatenate([[_up(2 * yhi[0])], _up(yhi[1:] - ylo[:-1])])
    d = np.array([1.0]) if direction is None else np.asarray(direction, dtype=float)
    dlo, dhi = _mul_iv(al, ah, d, d)
    wlo = np.vstack([np.zeros((1, d.size)), np.tile(dlo, (n - 1, 1))])
    whi = np.vstack([np.zeros((1, d.size)), np.tile(dhi, (n - 1, 1))])
    blo = np.concatenate([[0.0], -nb_hi])
    bhi = np.concatenate([[0.0], -nb_lo])
    return (clo, chi), (wlo, whi), (blo, bhi)


def parameter_gap(coef, weight, bias, exact, M: float) -> float:
    """Rigorous upper bound on sup_{|x|_inf <= M} |g_impl(x) - g_exact(x)| (module doc)."""
    (clo, chi), (wlo, whi), (blo, bhi) = exact
    coef, weight, bias = (np.asarray(v, dtype=float) for v in (coef, weight, bias))
    assert coef.shape == clo.shape and weight.shape == wlo.shape, \
        f"network of width {coef.size} / weights {weight.shape}, construction {clo.shape}"
    da = _dist_up(coef, clo, chi)
    dw = _sum_up_rows(_dist_up(weight, wlo, whi))
    db = _dist_up(bias, blo, bhi)
    amax = _up(np.maximum(np.abs(clo), np.abs(chi)))
    dz = _up(_up(dw * M) + db)
    return float(_up(_sum_up(da) + _up(_sum_up(_up(amax * dz)) / 4)))


def _sum_up_rows(x):
    """Row sums of a non-negative array, rounded up (n_cols <= 3: direct outward adds)."""
    out = np.zeros(x.shape[0])
    for j in range(x.shape[1]):
        out = _up(out + x[:, j])
    return out


def uat_bound_1d(net, f, a, b, *, omega):
    """(sup bound, gap): sup_[a,b] |g_impl - f| <= omega(SPREAD h / 2) + gap, rigorously,
    given the theorem (``test_bump_construction_error_bound_for_every_target``)."""
    n = int(np.asarray(net.coef).shape[0])
    W = np.asarray(net.weight, dtype=float)
    assert W.ndim == 2 and W.shape[1] == 1, f"1-D network, weight {W.shape}"
    exact = _exact_construction(f.iv, a, b, n)
    gap = parameter_gap(net.coef, W, net.bias, exact, M=max(abs(a), abs(b)))
    iv = ivz.iv
    with ivz.precision(53):
        theorem = omega(iv.mpf(SPREAD) * (iv.mpf(b) - iv.mpf(a)) / (2 * n))
        return float(ivz.hi(theorem + gap)), gap


def _lipschitz_omega(L):
    return lambda t: ivz.iv.mpf(L) * t


# -- 2.3: Cybenko's statement -------------------------------------------------------------
@claim("uat-cybenko-hypotheses-as-stated", kind="symbolic", target="counterexample")
def test_constant_activation_satisfies_hypotheses_but_not_conclusion(impl, evidence, control):
    from sympy.calculus.util import continuous_domain

    c, x = sp.symbols("c x", real=True)
    a1, a2, w1, w2, b1, b2 = sp.symbols("a1 a2 w1 w2 b1 b2", real=True)

    def derive(sigma):  # the activation (a function of x) the counterexample uses
        s_x = sigma(x)
        # every network g = sum_i a_i sigma(w_i x + b_i) is a constant ...
        g = a1 * sigma(w1 * x + b1) + a2 * sigma(w2 * x + b2)
        assert sp.expand(sp.diff(g, x)) == 0, f"the networks are not constant: g' = {sp.diff(g, x)}"
        # ... though sigma meets Cybenko's hypotheses as the article lists them: continuous,
        # monotone, bounded
        assert continuous_domain(s_x, x, sp.S.Reals) == sp.S.Reals, "not continuous"
        assert sp.diff(s_x, x).is_nonnegative, "not non-decreasing"
        assert all(sp.limit(s_x, x, end).is_finite for end in (sp.oo, -sp.oo)), "unbounded"

    control(derive, lambda v: sp.Rational(1, 2) + 0 * v, lambda v: 1 / (1 + sp.exp(-v)),
            lambda v: v,
            labels=("the logistic sigma (sigmoidal: the theorem holds)",
                    "sigma(x) = x (affine networks, unbounded)"))
    # any g = sum alpha_i sigma(...) is a constant c; against f(x) = x on [0, 1]:
    # max(|c|, |c - 1|) >= (|c| + |1 - c|)/2 >= |c + (1 - c)|/2 = 1/2 (triangle inequality)
    worst = sp.Max(sp.Abs(c), sp.Abs(c - 1))
    assert sp.solveset(worst < sp.Rational(1, 2), c, sp.S.Reals) is sp.S.EmptySet
    assert worst.subs(c, sp.Rational(1, 2)) == sp.Rational(1, 2), "attained at c = 1/2"
    evidence.counterexample("sigma = 1/2 (constant: continuous, monotone, bounded); every g is "
                            "a constant c and sup_[0,1] |c - x| = max(|c|, |1 - c|) >= 1/2, so "
                            "f(x) = x is not approximated to eps = 1/4 (sympy: "
                            "{c : max(|c|, |c-1|) < 1/2} is empty)")
    # the corrected statement with the logistic sigma: the same targets (f = x, and 1 - x,
    # for which the same argument holds), the same eps, certified
    for coeffs in ((0.0, 1.0), (1.0, -1.0)):
        f = Poly(c=coeffs, a=0.0, b=1.0)
        net = impl.uat_network_1d(f, 0.0, 1.0, 0.25, lipschitz=1.0)
        sup, _ = uat_bound_1d(net, f, 0.0, 1.0, omega=_lipschitz_omega(1.0))
        assert sup < 0.25, f"logistic network for {f}: certified sup bound {sup} >= 1/4"
        evidence.note(f"with the logistic sigma (non-constant, sigmoidal) a width-{net.width} "
                      f"network meets eps = 1/4 for f(x) = {f}: sup|g - f| <= {sup:.4g} "
                      "(interval bound)")


# -- 2.3: steps, bumps, the three regions --------------------------------------------------
def _sigma_sym(x):
    return 1 / (1 + sp.exp(-x))


@claim("steep-sigmoid-tends-to-step-at-c", kind="symbolic")
def test_steep_sigmoid_limits_and_width_symbolic(impl, evidence, control):
    a, d, p, u = sp.symbols("alpha d p u", positive=True)
    assert sp.limit(_sigma_sym(a * d), a, sp.oo) == 1, "z > c"
    assert sp.limit(_sigma_sym(-a * d), a, sp.oo) == 0, "z < c"
    zz, cc = sp.symbols("z c", real=True)
    slope = sp.diff(_sigma_sym(a * (zz - cc)), zz).subs(zz, cc)

    def derive(stmt):  # (value at z = c, slope at c, half-width of {p <= sigma <= 1 - p})
        at_c, slope_at_c, half_width = stmt
        assert _sigma_sym(a * 0) == at_c, f"z = c: sigma(0) = {_sigma_sym(a * 0)}"
        assert _is_identity(slope - slope_at_c(a)), f"slope at c is {sp.simplify(slope)}"
        # the band where p <= sigma(alpha (z - c)) <= 1 - p is |z - c| <= half_width
        w = half_width(a, p)
        assert _is_identity(_sigma_sym(a * w) - (1 - p)), "sigma at the band's edge"
        # its width shrinks as alpha grows, for every p < 1/2 (p = 1 / (2 + u), u > 0)
        assert sp.simplify(sp.diff(2 * w, a).subs(p, 1 / (2 + u))).is_negative

    control(derive, (sp.Rational(1, 2), lambda a_: a_ / 4, lambda a_, p_: sp.log((1 - p_) / p_) / a_),
            (1, lambda a_: a_ / 4, lambda a_, p_: sp.log((1 - p_) / p_) / a_),
            (sp.Rational(1, 2), lambda a_: a_ / 2, lambda a_, p_: sp.log((1 - p_) / p_) / a_),
            (sp.Rational(1, 2), lambda a_: a_ / 4, lambda a_, p_: sp.log(1 / p_) / a_),
            labels=("sigma = 1 at z = c (the step's H(0) = 1)", "slope alpha / 2 at c",
                    "half-width log(1/p) / alpha"))
    # not uniform: at z = c the distance to the step (H(0) = 1) is 1/2 for every alpha
    alphas = np.array([1.0, 10.0, 100.0, 1000.0])
    at_c = impl.sigmoid(alphas * 0.0)
    np.testing.assert_array_equal(at_c, 0.5, err_msg="sigma(alpha * 0) must be 1/2")
    off = impl.sigmoid(alphas * 0.05)
    assert np.all(np.diff(off) > 0) and 1 - off[-1] < 1e-20, "no convergence at z = c + 0.05"
    evidence.note("sympy: limits 1 (z > c), 0 (z < c), 1/2 at z = c; the band "
                  "{p <= sigma <= 1-p} has width 2 log((1-p)/p)/alpha, decreasing in alpha; "
                  "slope alpha/4 at c; sup distance to the step stays 1/2 (at z = c)")


def _is_identity(expr) -> bool:
    """expr == 0 for all values of its symbols: False at once when a rational point gives a
    non-zero value (a counterexample), else sympy proves it (simplify on the exponential
    form). The point's values are positive, so they respect every symbol's assumptions."""
    point = {v: sp.Rational(2 * k + 3, k + 5) for k, v in
             enumerate(sorted(expr.free_symbols, key=sp.default_sort_key))}
    if abs(sp.N(expr.subs(point), 30)) > 1e-20:
        return False
    return sp.simplify(expr.rewrite(sp.exp)) == 0


def _D_sym():
    a, dl, z, c = sp.symbols("alpha delta z c", real=True)
    return a, dl, z, c, _sigma_sym(a * (z - c)) - _sigma_sym(a * (z - c - dl))


@claim("sigmoid-difference-three-region-table", kind="symbolic")
def test_sigmoid_difference_lemmas_symbolic(evidence, control):
    a, dl, z, c, D = _D_sym()
    s = sp.Symbol("s", real=True)
    u = sp.Symbol("u", real=True)
    sig_p = sp.diff(_sigma_sym(u), u)
    assert sp.simplify(sig_p.subs(u, -u) - sig_p) == 0, "sigma' is even"
    assert sp.simplify(sp.diff(sig_p, u) - sig_p * (1 - 2 * _sigma_sym(u))) == 0, \
        "sigma'' = sigma' (1 - 2 sigma): < 0 for u > 0, so sigma' decreases in |u|"

    # the three regions with a margin 0 < eta <= delta/2 (alpha, delta > 0): the values at
    # the inner ends of the regions, which bound D on each region by the monotonicity above
    # (D rises up to c + delta/2, falls after, symmetric about it)
    ap, dp, et = sp.symbols("alpha_p delta_p eta", positive=True)
    Dp = D.subs({a: ap, dl: dp})
    sgm = lambda v: _sigma_sym(v).rewrite(sp.exp)  # noqa: E731
    left = Dp.subs(z, c - et)        # D on z <= c - eta is at most this
    right = Dp.subs(z, c + dp + et)  # D on z >= c + delta + eta is at most this
    inner = Dp.subs(z, c + et)       # D on [c + eta, c + delta - eta] is at least this
    assert sp.simplify((sgm(-ap * et) - left - sgm(-ap * (et + dp))).rewrite(sp.exp)) == 0
    assert sp.simplify((sgm(-ap * et) - right - sgm(-ap * (et + dp))).rewrite(sp.exp)) == 0
    assert sp.simplify((1 - inner - sgm(-ap * et) - sgm(ap * (et - dp))).rewrite(sp.exp)) == 0
    # sigma is increasing (sigma' > 0) and sigma > 0, so left, right <= sigma(-alpha eta),
    # and eta - delta <= -eta gives sigma(alpha (eta - delta)) <= sigma(-alpha eta):
    # 1 - D(c + eta) <= 2 sigma(-alpha eta)
    assert sp.diff(_sigma_sym(u), u).rewrite(sp.exp).is_positive
    assert _sigma_sym(u).is_positive
    m_ = sp.Symbol("m", nonnegative=True)  # delta = 2 eta + m: the margin eta <= delta / 2
    assert sp.expand(-ap * et - ap * (et - (2 * et + m_))).is_nonnegative, "argument order"

    def derive(stmt):
        # (centre of symmetry, peak there, D(c)) as functions of (alpha, delta); the bounds
        # c_out sigma(-alpha eta) on the outer regions and 1 - D <= c_in sigma(-alpha eta)
        # on the plateau
        centre, peak_value, edge_value, c_out, c_in = stmt
        mid = c + centre(a, dl)
        assert _is_identity(D.subs(z, mid + s) - D.subs(z, mid - s)), \
            "D is not symmetric about the stated centre"
        peak = D.subs(z, mid)
        assert _is_identity(peak - peak_value(a, dl)), "peak"
        edge = D.subs(z, c)
        assert _is_identity(edge - edge_value(a, dl)), "D(c)"
        # with S = sigma(-alpha eta) > 0, P = sigma(-alpha (eta + delta)) > 0 and, by the
        # monotonicity and the argument order, sigma(alpha (eta - delta)) = S - rr (rr >= 0):
        # left = right = S - P (identities above), 1 - inner = S + (S - rr)
        S_, P_ = sp.symbols("S P", positive=True)
        rr = sp.Symbol("rr", nonnegative=True)
        out_gap = c_out * S_ - (S_ - P_)
        in_gap = c_in * S_ - (S_ + (S_ - rr))
        assert sp.expand(out_gap).is_nonnegative, f"{c_out} sigma(-alpha eta) - D = {out_gap}"
        assert sp.expand(in_gap).is_nonnegative, f"{c_in} sigma(-alpha eta) - (1 - D) = {in_gap}"

    half = sp.Rational(1, 2)
    stmt = (lambda a_, d_: d_ / 2, lambda a_, d_: sp.tanh(a_ * d_ / 4),
            lambda a_, d_: half - _sigma_sym(-a_ * d_), 1, 2)
    control(derive, stmt, (lambda a_, d_: 0 * d_,) + stmt[1:],
            stmt[:1] + (lambda a_, d_: sp.tanh(a_ * d_ / 2),) + stmt[2:],
            stmt[:2] + (lambda a_, d_: 1 + 0 * a_,) + stmt[3:], stmt[:3] + (half, 2),
            stmt[:4] + (1,),
            labels=("symmetric about c", "peak tanh(alpha delta / 2)",
                    "D(c) = 1 (the table's region [c, c + delta])",
                    "D <= sigma(-alpha eta) / 2 on the outer regions",
                    "1 - D <= sigma(-alpha eta) on the plateau"))
    t = sp.Symbol("t", real=True)
    assert sp.simplify(1 - (_sigma_sym(t) - _sigma_sym(-t)) - 2 * _sigma_sym(-t)) == 0
    # and sigma(-x) < e^(-x) for x > 0: e^(-x) - sigma(-x) = e^(-x) sigma(-x) > 0
    assert sp.simplify(sp.exp(-et) - sgm(-et) - sp.exp(-et) * sgm(-et)) == 0
    evidence.note("sympy: sigma' even with sigma'' = sigma'(1 - 2 sigma) (so D' = alpha "
                  "(sigma'(u) - sigma'(u - alpha delta)) > 0 iff u < alpha delta / 2: D rises "
                  "to c + delta/2 and falls after); D symmetric about c + delta/2; "
                  "peak tanh(alpha delta/4); D(c) = 1/2 - sigma(-alpha delta); "
                  "1 - (sigma(t) - sigma(-t)) = 2 sigma(-t). The table away from the edges, "
                  "margin 0 < eta <= delta/2: D(c - eta) = D(c + delta + eta) = "
                  "sigma(-alpha eta) - sigma(-alpha (eta + delta)) <= sigma(-alpha eta) < "
                  "e^(-alpha eta), 1 - D(c + eta) = sigma(-alpha eta) + sigma(alpha (eta - "
                  "delta)) <= 2 sigma(-alpha eta). At the edges D(c) = 1/2 - sigma(-alpha "
                  "delta) < 1/2 for every alpha (alpha = 100, delta = 1: 0.5 - 3.7e-44): the "
                  "smooth transition the article mentions")


def _D_enclosure(p, q, alpha, delta):
    """D over u = z - c in [p, q] (p may be -inf, q +inf), from the monotonicity of both
    sigmoids: [sigma(a p) - sigma(a (q - delta)), sigma(a q) - sigma(a (p - delta))].
    p, q are intervals (or infinities) so that c + eta etc. are never rounded."""
    iv = ivz.iv
    A, Dl = iv.mpf(alpha), iv.mpf(delta)

    def sg(x, shift):
        if isinstance(x, float) and math.isinf(x):
            return iv.mpf(0 if x < 0 else 1)
        return ivz.sigmoid(A * (x - shift))

    return iv.mpf([ivz.lo(sg(p, 0) - sg(q, Dl)), ivz.hi(sg(q, 0) - sg(p, Dl))])


@claim("sigmoid-difference-three-region-table", kind="interval", scope="instance")
@settings(max_examples=20)  # each example is an interval certificate over three regions
@given(alpha=S.uat_eps(lo=0.1, hi=1000.0), delta=S.uat_eps(lo=0.01, hi=10.0),
       eta_frac=S.uat_eps(lo=1e-3, hi=0.5))
def test_three_region_bounds_certified(impl, evidence, alpha, delta, eta_frac):
    iv = ivz.iv
    tiny = ivz.mpf(2) ** -100  # two enclosures of one real number may differ by rounding
    with ivz.precision(120):
        eta = iv.mpf(eta_frac) * iv.mpf(delta)  # 0 < eta <= delta/2, never rounded
        dl = iv.mpf(delta)
        s_eta = ivz.sigmoid(-iv.mpf(alpha) * eta)
        left = _D_enclosure(-math.inf, -eta, alpha, delta)
        middle = _D_enclosure(eta, dl - eta, alpha, delta)
        right = _D_enclosure(dl + eta, math.inf, alpha, delta)
        assert ivz.hi(left) <= ivz.hi(s_eta) + tiny, f"left: {left} vs {s_eta}"
        assert ivz.hi(right) <= ivz.hi(s_eta) + tiny, f"right: {right} vs {s_eta}"
        assert ivz.lo(middle) >= ivz.lo(1 - 2 * s_eta) - tiny and ivz.hi(middle) <= 1, \
            f"middle: {middle} vs 1 - 2 sigma(-alpha eta) = {1 - 2 * s_eta}"
        # D(c) = 1/2 - sigma(-alpha delta) (sympy lemma) with sigma(-alpha delta) > 0, however
        # small: the edge value is below 1/2 (it may round to 1/2 at 120 bits)
        gap = ivz.sigmoid(-iv.mpf(alpha) * dl)
        edge = _D_enclosure(iv.mpf(0), iv.mpf(0), alpha, delta)
        assert ivz.lo(gap) > 0 and ivz.hi(edge) <= 0.5, f"D(c) = {edge}"
        bound = float(ivz.hi(s_eta))
        eta_f = float(ivz.lo(eta))
    # the implementation's bump obeys the same bounds on sample points of each region
    c = 0.375
    zl = c - eta_f - np.array([0.0, 1.0, 10.0]) / alpha - 1e-12 * (1 + eta_f)
    zm = np.linspace(c + eta_f, c + delta - eta_f, 7)[1:-1]
    zr = c + delta + eta_f + np.array([0.0, 1.0, 10.0]) / alpha + 1e-12 * (1 + delta)
    Dn = [impl.sigmoid_bump(zz, c, delta, alpha) for zz in (zl, zm, zr)]
    slack = 1e-12  # float rounding of the points and of values in [0, 1]
    assert np.all(Dn[0] <= bound + slack) and np.all(Dn[2] <= bound + slack), "tails"
    assert np.all(Dn[1] >= 1 - 2 * bound - slack), "plateau"
    ref = _sig(alpha * (zm - c)) - _sig(alpha * (zm - c - delta))
    np.testing.assert_allclose(Dn[1], ref, rtol=1e-12, atol=1e-15,  # O(1) values, few ulp
                               err_msg="sigmoid_bump != sigma(a(z-c)) - sigma(a(z-c-delta))")
    evidence.count("(alpha, delta, eta) certified over all three regions (mpmath.iv)")
    evidence.least("alpha eta among the certified cases", alpha * eta_f)


def _peel(s):
    """Sum_{k=lo}^{hi} f(k) = Sum_{k=lo}^{hi-1} f(k) + f(hi) (the definition of a sum)."""
    f, (k, lo, hi) = s.function, s.limits[0]
    return sp.Sum(f, (k, lo, hi - 1)) + f.subs(k, hi)


@claim("bump-sum-is-one-hidden-layer-sigmoid-network", kind="symbolic", target="corrected")
def test_bump_sum_regroups_into_neurons_symbolic(evidence, control):
    # For every width N >= 1 and all values y_k, S_k (S_k = sigma(alpha x - alpha c_k) is
    # the step at edge c_k; S_0 = 1, S_N = 0 are the outer edges at -inf / +inf):
    #   sum_{k=1}^{N} y_k (S_{k-1} - S_k)
    #     = y_1 S_0 - y_N S_N + sum_{k=1}^{N-1} (y_{k+1} - y_k) S_k     (summation by parts)
    # by induction on N with a symbolic N (base case N = 1 and the step N -> N + 1).
    k = sp.Symbol("k", integer=True)
    N = sp.Symbol("N", integer=True, positive=True)
    y, Sg = sp.IndexedBase("y"), sp.IndexedBase("S")

    def bumps(n):
        return sp.Sum(y[k] * (Sg[k - 1] - Sg[k]), (k, 1, n))

    def derive(stmt):  # (the outer terms' coefficient of S_0 and of S_N, coefficient of S_k)
        (first, last), coef = stmt

        def neurons(n):
            return first * y[1] * Sg[0] - last * y[n] * Sg[n] + \
                sp.Sum(coef(k) * Sg[k], (k, 1, n - 1))

        assert sp.expand(bumps(1).doit() - neurons(1).doit()) == 0, "base case N = 1"
        step = (_peel(bumps(N + 1)) - bumps(N)) - (
            first * y[1] * Sg[0] - last * y[N + 1] * Sg[N + 1]
            + _peel(sp.Sum(coef(k) * Sg[k], (k, 1, N))) - neurons(N))
        assert sp.expand(step) == 0, f"induction step: residual {sp.expand(step)}"
        return neurons

    neurons = control(derive, ((1, 1), lambda k_: y[k_ + 1] - y[k_]),
                      ((1, 1), lambda k_: y[k_] - y[k_ + 1]),
                      ((0, 1), lambda k_: y[k_ + 1] - y[k_]),
                      labels=("neuron weights y_k - y_(k+1) (reversed)",
                              "the constant neuron y_1 S_0 dropped"))
    # with S_0 = 1 = 2 sigma(0 x + 0) and S_N = 0 the right side is one hidden layer:
    # a constant neuron 2 y_1 sigma(0) and N - 1 neurons (y_{k+1} - y_k) sigma(a x - a c_k)
    assert 2 * _sigma_sym(sp.Integer(0)) == 1
    g = neurons(N).subs({Sg[0]: 2 * _sigma_sym(sp.Integer(0)), Sg[N]: 0})
    assert sp.expand(g - (y[1] + sp.Sum((y[k + 1] - y[k]) * Sg[k], (k, 1, N - 1)))) == 0
    # partition of unity: y_k = 1 makes every neuron but the constant vanish
    ones = neurons(N).subs({Sg[0]: 1, Sg[N]: 0}).subs({y[1]: 1, y[N]: 1})
    ones = ones.replace(lambda e: isinstance(e, sp.Sum),
                        lambda e: sp.Sum(e.function.subs({y[k + 1]: 1, y[k]: 1}), *e.limits))
    assert sp.simplify(ones.doit()) == 1, "the bumps sum to 1"
    evidence.note("sympy, symbolic N (base case N = 1 and the step N -> N + 1): "
                  "sum_k y_k (S_(k-1) - S_k) = y_1 S_0 - y_N S_N + sum_(k<N) (y_(k+1) - y_k) "
                  "S_k; with S_0 = 2 sigma(0), S_N = 0 this is the one-hidden-layer network "
                  "2 y_1 sigma(0) + sum_k (y_(k+1) - y_k) sigma(alpha x - alpha c_k); the "
                  "bumps sum to 1")


@claim("bump-sum-is-one-hidden-layer-sigmoid-network", kind="sampled", target="corrected")
def test_network_equals_sum_of_bumps(impl, evidence):
    f = Trig(c=(1.0,), w=(2 * math.pi,), p=(0.3,))
    plan = impl.uat_plan_1d(0.0, 1.0, 0.05, lipschitz=f.lipschitz)
    net = impl.uat_network_1d(f, 0.0, 1.0, 0.05, lipschitz=f.lipschitz)
    x = np.linspace(-0.2, 1.2, 301)
    e, alpha, y = plan.edges, plan.steepness, f(plan.nodes)
    bumps = [1.0 - _sig(alpha * (x - e[1]))]
    bumps += [impl.sigmoid_bump(x, e[k - 1], e[k] - e[k - 1], alpha)
              for k in range(2, plan.width)]
    bumps += [_sig(alpha * (x - e[-2]))]
    g_bumps = sum(yk * Bk for yk, Bk in zip(y, bumps))
    g = (_sig(np.asarray(net.weight) @ x[None, :] + np.asarray(net.bias)[:, None]).T
         @ np.asarray(net.coef))
    # O(1) values, ~N = 140 terms: rounding ~1e-14; 1e-11 is a loose bound on it
    np.testing.assert_allclose(g, g_bumps, rtol=1e-11, atol=1e-11,
                               err_msg="network != sum_k f(x_k) B_k")
    assert net.width == plan.width, "one neuron per cell"
    # a telescoping sum of ~140 values in [0, 1]: its float error is < 140 ulp ~ 3e-14
    np.testing.assert_allclose(sum(bumps), 1.0, rtol=0, atol=1e-13,
                               err_msg="bumps must sum to 1 (telescoping)")
    evidence.note(f"implementation: width-{net.width} network = sum of {plan.width} scaled "
                  "bumps on 301 points of [-0.2, 1.2] (the bumps sum to 1)")


# -- the bump construction in R^n --------------------------------------------------------
def _ridge_D(a, dl, c, t):
    """The sigmoid difference of the affine form t = w . x (one hidden layer's only kind)."""
    return _sigma_sym(a * (t - c)) - _sigma_sym(a * (t - c - dl))


@claim("bump-sum-is-one-hidden-layer-sigmoid-network", kind="symbolic", target="counterexample")
def test_sigmoid_difference_of_a_ridge_is_a_slab_symbolic(evidence, control):
    """In R^n (n >= 2, symbolic) a sigmoid difference D(x) = sigma(a (w.x - c)) -
    sigma(a (w.x - c - delta)) is invariant along every u orthogonal to w, for every a,
    delta, c, w: a slab. Hence (i) for every R it takes its peak tanh(a delta / 4) at a
    point of norm >= R, and (ii) on [0, 1]^2 it takes at a box's centre the same value as
    at a point of the square at distance >= 1/2 - sqrt(2) h from the box [1/2 - h, 1/2 + h]^2
    (0.36 for h = 1/10): no slab is ~1 on the box and ~0 away from it."""
    from claimledger.symbolic import linear

    n = sp.Symbol("n", integer=True)
    i = sp.Symbol("i", integer=True, positive=True)
    w, x, u = (sp.IndexedBase(name, real=True) for name in ("w", "x", "u"))
    t = sp.Symbol("t", real=True)
    a, dl = sp.symbols("alpha delta", positive=True)
    c = sp.Symbol("c", real=True)
    wx = sp.Sum(w[i] * x[i], (i, 1, n))
    wu = sp.Sum(w[i] * u[i], (i, 1, n))
    D = lambda v: _ridge_D(a, dl, c, v)  # noqa: E731

    def slab(stmt):  # (the hidden unit's input as a function of x_i, the value of w . u)
        feature, w_dot_u = stmt
        moved = linear(sp.Sum(feature(x[i] + t * u[i]), (i, 1, n)))
        still = linear(sp.Sum(feature(x[i]), (i, 1, n)))
        # D(x + t u) = D(x): the unit's input does not move along u
        assert sp.expand(moved.subs(wu, w_dot_u) - still) == 0, \
            f"the input moves along u by {sp.expand(moved.subs(wu, w_dot_u) - still)}"
        return moved

    moved = control(slab, (lambda v: w[i] * v, 0), (lambda v: w[i] * v**2, 0),
                    (lambda v: w[i] * v, 1),
                    labels=("a unit on w . x^2 (not a ridge)", "u along w (w . u = 1)"))
    assert sp.expand(moved - (wx + t * wu)) == 0, "w . (x + t u) = w . x + t w . u"
    assert sp.simplify(D(moved.subs(wu, 0)) - D(wx)) == 0, "D(x + t u) = D(x) when w . u = 0"
    # for n >= 2 and (w1, w2) != 0, u = (-w2, w1, 0, ..., 0) is a non-zero direction with
    # w . u = 0 (if w1 = w2 = 0, u = e_1 is one)
    w1, w2 = sp.symbols("w1 w2", real=True)
    assert sp.expand(w1 * (-w2) + w2 * w1) == 0
    # (i) x_R = m w/||w||^2 + R u (u a unit vector orthogonal to w, m = c + delta/2):
    # w . x_R = m, ||x_R||^2 = m^2/||w||^2 + R^2 >= R^2, and D there is the peak
    m, R, W2 = c + dl / 2, sp.Symbol("R", positive=True), sp.Symbol("W2", positive=True)
    # w . x_R = (m/||w||^2) ||w||^2 + R w.u = m, and by Pythagoras (w orthogonal to u)
    # ||x_R||^2 = m^2/||w||^2 + R^2 >= R^2: the peak is taken outside every ball
    assert sp.simplify(W2 * (m / W2) + R * 0 - m) == 0
    assert sp.simplify((D(m) - sp.tanh(a * dl / 4)).rewrite(sp.exp)) == 0, "peak at w.x = m"
    # (ii) [0, 1]^2, box of half-width h about (1/2, 1/2); u = (-w2, w1)/|w| is a unit vector
    # orthogonal to w; p = centre + u/2 lies in the square (|u_k| <= 1) at distance 1/2 from
    # the centre, so at distance >= 1/2 - sqrt(2) h from every point of the box
    wp1, wp2 = sp.symbols("wp1 wp2", positive=True)  # |w1|, |w2| (signs do not matter)
    nrm = sp.sqrt(wp1**2 + wp2**2)
    u1, u2 = -wp2 / nrm, wp1 / nrm
    # u1^2 + u2^2 = 1 (so each |u_k| <= 1: p in [0, 1]^2) and w . u = 0
    assert sp.simplify(u1**2 + u2**2 - 1) == 0 and sp.simplify(wp1 * u1 + wp2 * u2) == 0
    h = sp.Rational(1, 10)
    gap = sp.Rational(1, 2) - sp.sqrt(2) * h
    assert gap > sp.Rational(35, 100), f"distance {gap}"
    # the implementation-free numbers for one slab: w = (1, 1), c = 1 - delta/2, the box
    # of half-width 1/10 about (1/2, 1/2), a = 100, delta = 0.2
    num = {a: 100, dl: sp.Rational(1, 5)}
    cc = 1 - sp.Rational(1, 10)
    val = D(sp.Integer(1)).subs(num).subs(c, cc)
    pnt = (sp.Rational(1, 2) - 1 / (2 * sp.sqrt(2)), sp.Rational(1, 2) + 1 / (2 * sp.sqrt(2)))
    val_p = D(pnt[0] + pnt[1]).subs(num).subs(c, cc)
    assert sp.simplify(val - val_p) == 0 and sp.N(val, 30) > sp.Rational(99, 100)
    evidence.counterexample(
        "in R^n, n >= 2 (symbolic n): D(x) = sigma(a (w.x - c)) - sigma(a (w.x - c - delta)) "
        "satisfies D(x + t u) = D(x) for every u orthogonal to w: a slab, equal to its peak "
        "tanh(a delta/4) at points of every norm R. On [0, 1]^2 with the box [0.4, 0.6]^2: "
        "for every a, delta, w, D at the centre (1/2, 1/2) equals D at a point of the square "
        f"{float(gap):.4f} away from the box; e.g. w = (1, 1), a = 100, delta = 0.2: "
        f"D = {float(sp.N(val, 20)):.6f} at the centre and at "
        f"({float(pnt[0]):.4f}, {float(pnt[1]):.4f})")


@claim("bump-sum-is-one-hidden-layer-sigmoid-network", kind="symbolic", target="corrected")
def test_second_layer_neuron_is_a_box_indicator_symbolic(evidence, control):
    """The correction in R^n (symbolic n >= 1): with 1-D bumps B_i(x_i) of steepness a on
    [c_i, c_i + delta_i], margin 0 < eta <= delta_i/2, s = sigma(-a eta) <= 1/(8n) and
    H(x) = sigma(k (sum_i B_i(x_i) - (n - 1/2))), k > 0:
      inside the box shrunk by eta  (1 - B_i <= 2 s for every i):  H >= sigma(k/4);
      outside the box grown by eta  (B_j <= s for some j, B_i < 1):  H <= sigma(-k/4);
    and sigma(-k/4) = 1 - sigma(k/4) < e^(-k/4); a eta >= log(8n) gives s < 1/(8n). The
    per-coordinate bounds are the 1-D lemmas (test_sigmoid_difference_lemmas_symbolic),
    re-derived here in the form used."""
    from claimledger.symbolic import linear

    n = sp.Symbol("n", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, positive=True)
    r = sp.IndexedBase("r", nonnegative=True)  # slacks
    q, k, s, rj, rest = sp.symbols("q k s r_j rest", nonnegative=True)
    N0 = sp.Symbol("N0", integer=True, nonnegative=True)  # n = N0 + 1 >= 1

    def gaps(stmt):  # (the neuron's threshold theta(n), the margin s <= bound(n))
        theta, bound = stmt
        # s = bound(n) - q with q >= 0 (the margin condition)
        s_val = bound(n) - q
        # inside: B_i = 1 - 2 s + r_i (1 - B_i <= 2 s); sum_i B_i - theta - 1/4 >= 0
        inside = linear(sp.Sum(1 - 2 * s_val + r[i], (i, 1, n))).doit() - theta(n)
        slack_in = sp.expand(inside - sp.Rational(1, 4))
        # outside: B_j = s - r_j (B_j <= s) and the other n - 1 bumps sum to (n - 1) - rest
        # (each < 1): -(sum_i B_i - theta) - 1/4 >= 0
        outside = (s_val - rj) + (n - 1 - rest) - theta(n)
        slack_out = sp.expand(-(outside + sp.Rational(1, 4)))
        for name, gap in (("inside", slack_in), ("outside", slack_out)):
            assert sp.together(gap.subs(n, N0 + 1)).is_nonnegative, f"{name}: {gap} >= 0?"
        return slack_in, slack_out

    slack_in, slack_out = control(
        gaps, (lambda n_: n_ - sp.Rational(1, 2), lambda n_: 1 / (8 * n_)),
        (lambda n_: n_, lambda n_: 1 / (8 * n_)), (lambda n_: n_ - 1, lambda n_: 1 / (8 * n_)),
        (lambda n_: n_ - sp.Rational(1, 2), lambda n_: 1 / (4 * n_)),
        labels=("threshold n (all bumps at 1)", "threshold n - 1", "margin s <= 1/(4n)"))
    assert sp.expand(slack_in - (2 * n * q + sp.Sum(r[i], (i, 1, n)))) == 0, slack_in
    assert sp.expand(slack_out - (sp.Rational(1, 4) - 1 / (8 * n) + q + rj + rest)) == 0
    assert sp.simplify(sp.Rational(1, 4) - 1 / (8 * n)).subs(n, 1) > 0
    assert sp.diff(sp.Rational(1, 4) - 1 / (8 * n), n).is_positive, "1/4 - 1/(8n) >= 1/8"
    # sigma increasing, so H >= sigma(k/4) inside and H <= sigma(-k/4) outside; the tail:
    kk = sp.Symbol("kk", positive=True)
    assert sp.diff(_sigma_sym(kk), kk).rewrite(sp.exp).is_positive
    assert sp.simplify(1 - _sigma_sym(kk / 4) - _sigma_sym(-kk / 4)) == 0
    assert sp.simplify(sp.exp(-kk / 4) - _sigma_sym(-kk / 4)
                       - sp.exp(-kk / 4) * _sigma_sym(-kk / 4)) == 0, "sigma(-t) < e^-t"
    # a eta >= log(8n)  =>  s = sigma(-a eta) < e^(-a eta) <= 1/(8n)
    assert sp.simplify(sp.exp(-sp.log(8 * n)) - 1 / (8 * n)) == 0
    # the 1-D bounds in the form used (alpha, delta, eta > 0, eta <= delta/2)
    ap, dp, et = sp.symbols("alpha_p delta_p eta", positive=True)
    B = lambda z: _sigma_sym(ap * z) - _sigma_sym(ap * (z - dp))  # noqa: E731  (z = x_i - c_i)
    assert sp.simplify((1 - B(et) - _sigma_sym(-ap * et)
                        - _sigma_sym(ap * (et - dp))).rewrite(sp.exp)) == 0
    assert sp.simplify((_sigma_sym(-ap * et) - B(-et)
                        - _sigma_sym(-ap * (et + dp))).rewrite(sp.exp)) == 0
    assert sp.simplify((_sigma_sym(-ap * et) - B(dp + et)
                        - _sigma_sym(-ap * (et + dp))).rewrite(sp.exp)) == 0
    assert _sigma_sym(sp.Symbol("v", real=True)).is_positive
    evidence.note("sympy, symbolic n, s = sigma(-a eta) = 1/(8n) - q: inside the box shrunk "
                  "by eta, sum_i B_i - (n - 1/2) = 1/4 + 2nq + sum_i r_i >= 1/4; outside the "
                  "box grown by eta, sum_i B_i - (n - 1/2) = -1/4 - (1/4 - 1/(8n) + q + r_j + "
                  "rest) <= -1/4; so H = sigma(k (sum B_i - (n - 1/2))) >= sigma(k/4) > 1 - "
                  "e^(-k/4) inside and <= sigma(-k/4) < e^(-k/4) outside; a eta >= log(8n) "
                  "gives s <= 1/(8n)")


@claim("bump-sum-is-one-hidden-layer-sigmoid-network", kind="interval", scope="instance",
       target="corrected")
def test_second_layer_box_neuron_certified_on_the_whole_plane(evidence):
    """One instance of the two-layer box neuron, certified over all of R^2 but the margin:
    box [0.3, 0.6] x [0.2, 0.7], steepness a = 200, margin eta = 0.02 (a eta = 4 >= log 16),
    k = 40. Inside the box shrunk by eta every x gives H >= 1 - e^-10; outside the box grown
    by eta (four half-planes, unbounded) every x gives H <= e^-10. Each B_i depends on x_i
    alone, so an enclosure of B_i over an interval of x_i (both sigmoids monotone) and of
    the other coordinate's bump over the whole line ([0, 1]) bound H over the region."""
    iv = ivz.iv
    a, eta, k = 200, "0.02", 40
    box = [("0.3", "0.3"), ("0.2", "0.5")]  # (c_i, delta_i): [0.3, 0.6] and [0.2, 0.7]
    with ivz.precision(120):
        E = iv.mpf(eta)
        half = iv.mpf("1.5")  # n - 1/2 with n = 2
        target = iv.exp(iv.mpf(-k) / 4)
        # inside: x_i - c_i in [eta, delta_i - eta] for both coordinates
        inner = [_D_enclosure(E, iv.mpf(d) - E, a, d) for _, d in box]
        H_in = ivz.sigmoid(iv.mpf(k) * (inner[0] + inner[1] - half))
        assert ivz.lo(H_in) >= ivz.hi(1 - target), f"inside: H in {H_in}"
        # outside: x_j - c_j <= -eta or >= delta_j + eta for one j; the other bump in [0, 1]
        worst = iv.mpf(0)
        for j, (_, d) in enumerate(box):
            for side in (_D_enclosure(-math.inf, -E, a, d),
                         _D_enclosure(iv.mpf(d) + E, math.inf, a, d)):
                other = iv.mpf([0, 1])
                H_out = ivz.sigmoid(iv.mpf(k) * (side + other - half))
                assert ivz.hi(H_out) <= ivz.lo(target), f"outside (j = {j}): H in {H_out}"
                worst = iv.mpf([0, max(float(ivz.hi(worst)), float(ivz.hi(H_out)))])
        in_lo, out_hi, e10 = float(ivz.lo(H_in)), float(ivz.hi(worst)), float(ivz.hi(target))
    # the same neuron in float64 on a grid: the plateau and the tails where certified
    xs = np.linspace(-1, 2, 301)
    X1, X2 = np.meshgrid(xs, xs, indexing="ij")
    B1 = _sig(a * (X1 - 0.3)) - _sig(a * (X1 - 0.6))
    B2 = _sig(a * (X2 - 0.2)) - _sig(a * (X2 - 0.7))
    H = _sig(k * (B1 + B2 - 1.5))
    inside = (X1 >= 0.32) & (X1 <= 0.58) & (X2 >= 0.22) & (X2 <= 0.68)
    outside = (X1 <= 0.28) | (X1 >= 0.62) | (X2 <= 0.18) | (X2 >= 0.72)
    assert H[inside].min() >= 1 - e10 - 1e-12 and H[outside].max() <= e10 + 1e-12
    evidence.note(f"mpmath.iv, 120 bits: box [0.3, 0.6] x [0.2, 0.7], a = 200, eta = 0.02, "
                  f"k = 40: H >= {in_lo:.10f} on the shrunk box and H <= {out_hi:.3e} on the "
                  f"four unbounded half-planes outside the grown box (e^-10 = {e10:.3e}); a "
                  "box bump needs this second-layer neuron, a single sigmoid difference of "
                  "w . x cannot be one")


@claim("step-functions-approximate-continuous-uniformly", kind="symbolic")
def test_step_function_error_bound_symbolic(evidence, control):
    # cell k of width h has edges a + (k - 1) h, a + k h and node (its centre) a + (k - 1/2) h;
    # a point of the cell is x = a + (k - 1 + s) h with s in [0, 1]
    a, k, hh = sp.Symbol("a", real=True), sp.Symbol("k", integer=True, positive=True), \
        sp.Symbol("h", positive=True)
    s_ = sp.Symbol("s", real=True)
    x = a + (k - 1 + s_) * hh

    def derive(stmt):  # (node's place in its cell, as a fraction of h; the bound / h)
        place, bound = stmt
        node = a + (k - 1 + place) * hh
        gap = sp.simplify((x - node) / hh)  # (x - x_k) / h, free of a, k and h
        assert not gap.has(a, k, hh), gap
        # |x - x_k| <= bound h for every s in [0, 1]
        worse = sp.solveset(sp.Abs(gap) > bound, s_, sp.Interval(0, 1))
        assert worse is sp.S.EmptySet, f"|x - x_k| > {bound} h for s in {worse}"

    half = sp.Rational(1, 2)
    control(derive, (half, half), (0, half), (half, sp.Rational(1, 4)),
            labels=("nodes at the cells' left edges", "|x - x_k| <= h / 4"))
    # so |x - x_k| <= h / 2 < SPREAD h / 2
    # |S(x) - f(x)| = |f(x_k) - f(x)| <= omega(|x - x_k|) <= omega(h / 2) (omega
    # non-decreasing), and omega(h / 2) -> 0 as h -> 0 for a uniformly continuous f
    # (Heine-Cantor on a compact interval): the width rule omega(SPREAD h / 2) <= eps / 2
    # gives a uniform error <= eps / 2
    evidence.note("sympy: a point of cell k is x = a + (k - 1 + s) h, s in [0, 1], and "
                  "x - x_k = (s - 1/2) h, so |x - x_k| <= h/2 and |S(x) - f(x)| <= "
                  "omega(h/2) <= omega(1.05 h/2) <= eps/2 for every f, eps and N")


@claim("step-functions-approximate-continuous-uniformly", kind="interval", scope="instance")
@given(target=S.trig_targets(), eps=S.uat_eps())
@example(target=([1.0], [2 * math.pi], [0.0], 0.0, 1.0), eps=0.01)  # slope L is attained
def test_step_function_plan_of_the_implementation(impl, evidence, target, eps):
    c, w, p, a, b = target
    f = Trig(c=tuple(c), w=tuple(w), p=tuple(p))
    L = f.lipschitz
    plan = impl.uat_plan_1d(a, b, eps, lipschitz=L)
    e, nodes = np.asarray(plan.edges), np.asarray(plan.nodes)
    assert e[0] == a and e[-1] == b and np.all(np.diff(e) > 0), "cells must tile [a, b]"
    assert np.all((e[:-1] <= nodes) & (nodes <= e[1:])), "each node inside its cell"
    # sup over the cell of |x - node|, rounded up; then the step error <= L * that
    reach = float(np.max(_up(np.maximum(_up(nodes - e[:-1]), _up(e[1:] - nodes)))))
    iv = ivz.iv
    with ivz.precision(53):
        sup = float(ivz.hi(iv.mpf(L) * iv.mpf(reach)))
    assert sup <= eps / 2, f"step error bound {sup} > eps/2 = {eps / 2} with {nodes.size} cells"
    evidence.count("targets (trigonometric sums): the implementation's cells and nodes")
    evidence.worst("rigorous sup|S - f| bound / eps", sup / eps, at=f"eps={eps:.3g}, f={f}")


# -- 2.3: the construction, for every target (the theorem) ---------------------------------
@claim("uat-construction-meets-eps-on-interval", kind="interval")
@claim("uat-construction-meets-eps-on-unit-square", kind="interval")
@claim("uat-cybenko-hypotheses-as-stated", kind="interval", scope="instance", target="corrected")
def test_bump_construction_error_bound_for_every_target(evidence):
    # (1) merging lemma: for t in [0, N] the finite construction's outer bumps collect the
    # infinite grid's bumps k <= 1 (node 1/2) and k >= N (node N - 1/2) (telescoping:
    # 1 - S_1 = sum_(k <= 1) (S_(k-1) - S_k)); each such node k - 1/2 is at least as far
    # from t as the collecting node, so Phi_N <= Phi_inf on [0, N]. Left side: k = 1 - m,
    # u = t >= 0; right side (mirror): k = N + m, u = N - t >= 0; both read
    # |m + u - 1/2| >= |u - 1/2| for integers m >= 0 (m = 0 is equality). For m = p + 1:
    pp, u = sp.Symbol("p", integer=True, nonnegative=True), sp.Symbol("u", nonnegative=True)
    far = pp + 1 + u - sp.Rational(1, 2)  # |m + u - 1/2| for m >= 1: this is >= 1/2 > 0
    assert far.is_positive, "far distance is its own absolute value"
    for near in (sp.Rational(1, 2) - u, u - sp.Rational(1, 2)):  # the two signs of u - 1/2
        assert sp.expand(far - near).is_nonnegative, f"merge: {far} >= {near}"
    kk = sp.Symbol("k", integer=True)
    t = sp.Symbol("t", real=True)
    # (2) periodicity: B_(k+1)(t + 1) = B_k(t) and |(k + 1) - 1/2 - (t + 1)| = |k - 1/2 - t|
    st_ = sp.Function("s")
    Bk = lambda k_, t_: st_(STEEP * (t_ - k_ + 1)) - st_(STEEP * (t_ - k_))
    assert sp.simplify(Bk(kk + 1, t + 1) - Bk(kk, t)) == 0
    # (3) sup_[0,1] Phi_inf <= SPREAD / 2, enclosed on every cell of [0, 1]
    sup, cells = _phi_inf_enclosure()
    assert sup < SPREAD / 2
    evidence.note(f"interval arithmetic (mpmath.iv, outward rounded) on {cells} cells covering "
                  f"[0, 1], with a rigorous tail beyond |k| > {PHI_TERMS}: sup Phi_inf <= "
                  f"{sup:.6f} < SPREAD/2 = {SPREAD / 2}; with the merging lemma and the "
                  "periodicity (sympy) sum_k B_k(x)|x_k - x| <= 1.05 h/2 for every N, so "
                  "|g - f| <= omega(1.05 h/2) <= eps/2 for every f with a concave modulus "
                  "omega (Jensen); on the unit square the ridges' errors add")


# -- 2.3: the construction of the implementation, target by target -------------------------
def _check_uat_1d(impl, evidence, f, a, b, eps, label):
    L = f.lipschitz
    net = impl.uat_network_1d(f, a, b, eps, lipschitz=L)
    width = math.ceil(SPREAD * L * (b - a) / eps) if L > 0 else 1
    assert net.width == max(1, width), f"width {net.width}, the rule gives {width}"
    sup, gap = uat_bound_1d(net, f, a, b, omega=_lipschitz_omega(L))
    assert sup < eps, f"{label}: rigorous sup bound {sup} >= eps {eps} (f = {f}, gap {gap})"
    evidence.count(f"{label} targets certified")
    evidence.worst("rigorous sup|g - f| bound / eps", sup / eps, at=f"eps={eps:.3g}, f={f}")
    evidence.worst("distance of the float network to the exact construction", gap,
                   at=f"eps={eps:.3g}, f={f}")
    return net, sup


@claim("uat-construction-meets-eps-on-interval", kind="interval", scope="instance")
@settings(max_examples=12)  # each example encloses f at every node; the theorem covers all
@given(target=S.trig_targets(), eps=S.uat_eps(lo=3e-3))
def test_uat_trigonometric_targets_certified(impl, evidence, target, eps):
    c, w, p, a, b = target
    _check_uat_1d(impl, evidence, Trig(c=tuple(c), w=tuple(w), p=tuple(p)), a, b, eps,
                  "trigonometric")


@claim("uat-construction-meets-eps-on-interval", kind="interval", scope="instance")
@settings(max_examples=12)  # as above
@given(target=S.poly_targets(), eps=S.uat_eps(lo=3e-3))
@example(target=([1.0, 0.5], 0.0, 1.0), eps=0.01)  # a constant term far above eps
def test_uat_polynomial_targets_certified(impl, evidence, target, eps):
    c, a, b = target
    _check_uat_1d(impl, evidence, Poly(c=tuple(c), a=a, b=b), a, b, eps, "polynomial")


@claim("uat-construction-meets-eps-on-interval", kind="interval", scope="instance")
def test_uat_width_grows_like_inverse_eps(impl, evidence):
    f = Trig(c=(1.0,), w=(2 * math.pi,), p=(0.0,))
    rows = []
    for eps in (1e-1, 3e-2, 1e-2, 3e-3):  # every eps is covered by the theorem above
        net, sup = _check_uat_1d(impl, evidence, f, 0.0, 1.0, eps, "sin(2 pi x)")
        x = np.linspace(0.0, 1.0, 4001)
        seen = float(np.max(np.abs(net(x) - f(x))))  # a sample, beside the bound
        assert seen <= sup, f"sampled error {seen} above the rigorous bound {sup}"
        rows.append([eps, net.width, sup, sup / eps, net.width * eps, seen])
    widths = np.array([r[1] for r in rows], float)
    slope = np.polyfit(np.log([r[0] for r in rows]), np.log(widths), 1)[0]
    assert -1.05 < slope < -0.95, f"log width / log eps slope {slope}"
    evidence.table("Width of the bump construction vs eps for f(x) = sin(2 pi x) on [0, 1] "
                   "(L = 2 pi): rigorous bound on sup|g - f| over the whole interval and the "
                   "largest error seen on 4001 points",
                   ["eps", "hidden width N", "sup|g-f| bound", "bound / eps", "N * eps",
                    "sampled max|g-f|"], rows)
    evidence.note(f"width ~ 1.05 L / eps: log-log slope {slope:.4f}; at eps = 3e-3 the "
                  f"network has {rows[-1][1]} neurons and sup|g - f| <= {rows[-1][2]:.4g}")


@claim("uat-construction-meets-eps-on-interval", kind="interval", scope="instance")
def test_uat_non_lipschitz_target_by_modulus(impl, evidence):
    eps = 0.05

    class Sqrt:
        def __call__(self, t):
            return np.sqrt(np.asarray(t, dtype=float))

        def iv(self, x):
            return ivz.iv.sqrt(x)

    f = Sqrt()
    net = impl.uat_network_1d(f, 0.0, 1.0, eps, modulus=np.sqrt)
    sup, gap = uat_bound_1d(net, f, 0.0, 1.0, omega=ivz.iv.sqrt)  # sqrt: concave modulus
    assert sup < eps, f"sqrt: rigorous sup bound {sup} >= {eps}"
    evidence.note(f"f = sqrt on [0, 1] (modulus omega(t) = sqrt t, concave, not Lipschitz), "
                  f"eps = {eps}: width {net.width}, sup|g - f| <= {sup:.4g} (gap {gap:.2g})")


# -- 2.3: Hornik's bounded non-sigmoidal sigma, and ReLU, on one target ------------------
def _centred_sup(e_iv, de_iv, cells: int = 64, rounds: int = 8, below: float = 0.05):
    """A rigorous bound on sup_[0,1] |e| by the mean-value form e(m) + e'([u, v]) [u - m,
    v - m] on every cell (bisected while the bound is not below ``below``)."""
    iv = ivz.iv
    todo, best, used = [(i / cells, (i + 1) / cells) for i in range(cells)], 0.0, 0
    with ivz.precision(53):
        for r in range(rounds + 1):
            nxt = []
            for u, v in todo:
                m = (u + v) / 2  # dyadic: exact
                enc = e_iv(iv.mpf(m)) + de_iv(iv.mpf([u, v])) * iv.mpf([u - m, v - m])
                bound = max(abs(float(ivz.lo(enc))), abs(float(ivz.hi(enc))))
                if float(_up(bound)) < below:
                    best, used = max(best, float(_up(bound))), used + 1
                elif r < rounds:
                    nxt += [(u, m), (m, v)]
                else:
                    raise AssertionError(f"|g - f| on [{u}, {v}] not below {below}: {enc}")
            todo = nxt
            if not todo:
                break
    return best, used


@claim("bounded-non-sigmoidal-and-relu-networks-approximate", kind="interval")
def test_cos_and_relu_networks_approximate_x_squared(evidence):
    iv = ivz.iv
    eps = 0.05
    # cos (bounded, continuous, non-constant, no limits at +-inf: not sigmoidal): the
    # cosine series x^2 = 1/3 + sum_j 4 (-1)^j / (j pi)^2 cos(j pi x) on [0, 1], cut at
    # j = 10; the network's parameters are the floats below, enclosed exactly
    J = 10
    coef = [1 / 3] + [4 * (-1) ** j / (j * math.pi) ** 2 for j in range(1, J + 1)]
    weight = [0.0] + [j * math.pi for j in range(1, J + 1)]  # neuron 0: cos(0 x + 0) = 1

    def e_cos(x):
        return sum((iv.mpf(a) * iv.cos(iv.mpf(w) * x) for a, w in zip(coef, weight)),
                   iv.mpf(0)) - x * x

    def de_cos(x):
        return -sum((iv.mpf(a) * iv.mpf(w) * iv.sin(iv.mpf(w) * x)
                     for a, w in zip(coef, weight)), iv.mpf(0)) - 2 * x

    sup_cos, cells_cos = _centred_sup(e_cos, de_cos, below=eps)
    # ReLU (unbounded: Leshno et al. 1993): the interpolant of x^2 at 0, 1/3, 2/3, 1,
    # g = (1/3) relu(x) + (2/3) relu(x - 1/3) + (2/3) relu(x - 2/3)
    knots, slopes = [0.0, 1 / 3, 2 / 3], [1 / 3, 2 / 3, 2 / 3]

    def relu_iv(t):
        return iv.mpf([max(ivz.lo(t), 0), max(ivz.hi(t), 0)])

    def step_iv(t):  # relu' on an interval: [0, 1], exact where the sign is fixed
        return iv.mpf([1 if ivz.lo(t) > 0 else 0, 1 if ivz.hi(t) >= 0 else 0])

    def e_relu(x):
        return sum((iv.mpf(a) * relu_iv(x - iv.mpf(k)) for a, k in zip(slopes, knots)),
                   iv.mpf(0)) - x * x

    def de_relu(x):
        return sum((iv.mpf(a) * step_iv(x - iv.mpf(k)) for a, k in zip(slopes, knots)),
                   iv.mpf(0)) - 2 * x

    sup_relu, cells_relu = _centred_sup(e_relu, de_relu, below=eps)
    assert sup_cos < eps and sup_relu < eps
    xs = np.linspace(0, 1, 1001)
    g_cos = sum(a * np.cos(w * xs) for a, w in zip(coef, weight))
    g_relu = sum(a * np.maximum(xs - k, 0) for a, k in zip(slopes, knots))
    for g, sup in ((g_cos, sup_cos), (g_relu, sup_relu)):
        assert np.max(np.abs(g - xs ** 2)) <= sup, "a sample above the rigorous bound"
    evidence.note(f"f = x^2 on [0, 1], eps = {eps}: sigma = cos, {J + 1} neurons (cosine "
                  f"series): sup|g - f| <= {sup_cos:.4f} ({cells_cos} cells); sigma = ReLU, 3 "
                  f"neurons (interpolant on 3 cells): sup|g - f| <= {sup_relu:.4f} "
                  f"({cells_relu} cells); mean-value interval enclosures on every cell of [0, 1]")


# -- 2.3: the unit square -----------------------------------------------------------------
@dataclass(frozen=True)
class Ridge:
    """phi(t) = c sin(t + s) ("sin") or c (t - s)^2 ("square")."""

    kind: str
    c: float
    s: float

    def __call__(self, t):
        t = np.asarray(t, dtype=float)
        return self.c * np.sin(t + self.s) if self.kind == "sin" else self.c * (t - self.s) ** 2

    def lipschitz_on(self, t_lo, t_hi):
        m = max(abs(t_lo - self.s), abs(t_hi - self.s))
        return (abs(self.c) if self.kind == "sin" else 2 * abs(self.c) * m) * (1 + 16 * U)

    def iv(self, x):
        iv = ivz.iv
        arg = x + iv.mpf(self.s) if self.kind == "sin" else x - iv.mpf(self.s)
        return iv.mpf(self.c) * (iv.sin(arg) if self.kind == "sin" else arg ** 2)


def uat_bound_ridges(net, ridges, eps):
    """Rigorous bound on sup_[0,1]^2 |g_impl - f| for f = sum_j phi_j(d_j . x): the
    network must be the concatenation of the ridges' 1-D constructions at eps / J."""
    J = len(ridges)
    coef, W, bias = (np.asarray(v, dtype=float) for v in (net.coef, net.weight, net.bias))
    assert W.ndim == 2 and W.shape[1] == 2, f"weights of shape {W.shape}"
    start, total, rows = 0, 0.0, []
    iv = ivz.iv
    for d, prof in ridges:
        dv = np.asarray(d, dtype=float)
        t_lo, t_hi = float(np.minimum(dv, 0).sum()), float(np.maximum(dv, 0).sum())
        L = prof.lipschitz_on(t_lo, t_hi)
        n = max(1, math.ceil(SPREAD * L * (t_hi - t_lo) / (eps / J))) if L > 0 else 1
        sl = slice(start, start + n)
        assert sl.stop <= coef.size, f"network too narrow: {coef.size} neurons"
        exact = _exact_construction(prof.iv, t_lo, t_hi, n, direction=dv)
        gap = parameter_gap(coef[sl], W[sl], bias[sl], exact, M=1.0)
        with ivz.precision(53):
            part = float(ivz.hi(iv.mpf(L) * iv.mpf(SPREAD) * (iv.mpf(t_hi) - iv.mpf(t_lo))
                                / (2 * n) + gap))
        total = float(_up(total + part))
        rows.append((tuple(d), n, part, gap))
        start += n
    assert start == coef.size, f"{coef.size - start} neurons beyond the ridges' constructions"
    return total, rows


@claim("uat-construction-meets-eps-on-unit-square", kind="interval", scope="instance")
@settings(max_examples=10)  # each example encloses every ridge at every node
@given(ridges=S.ridge_targets(max_entry=1), eps=S.uat_eps(lo=3e-3, hi=1e-1))
@example(ridges=[((1, 0), "sin", 1.0, 1.0), ((1, 1), "square", 0.5, 0.5)], eps=0.02)
def test_uat_unit_square_certified(impl, evidence, ridges, eps):
    parts = [(np.array(d, float), Ridge(kind, c, s)) for d, kind, c, s in ridges]
    impl_ridges = []
    for dv, prof in parts:
        t_lo, t_hi = float(np.minimum(dv, 0).sum()), float(np.maximum(dv, 0).sum())
        impl_ridges.append((dv, prof, prof.lipschitz_on(t_lo, t_hi)))
    net = impl.uat_network_ridges(impl_ridges, [0.0, 0.0], [1.0, 1.0], eps)
    sup, rows = uat_bound_ridges(net, parts, eps)
    assert sup < eps, f"rigorous sup bound {sup} >= eps {eps} for ridges {ridges}"
    evidence.count("ridge sums on [0, 1]^2 certified")
    evidence.worst("rigorous sup|g - f| bound / eps (unit square)", sup / eps,
                   at=f"eps={eps:.3g}, width {net.coef.size}, ridges {ridges}")


@claim("uat-construction-meets-eps-on-unit-square", kind="interval", scope="instance")
def test_uat_product_x1_x2_on_unit_square(impl, evidence, rng):
    eps = 1e-2
    # x1 x2 = ((x1 + x2)^2 - (x1 - x2)^2) / 4: two quadratic ridges
    parts = [(np.array([1.0, 1.0]), Ridge("square", 0.25, 0.0)),
             (np.array([1.0, -1.0]), Ridge("square", -0.25, 0.0))]
    impl_ridges = [(d, p, p.lipschitz_on(float(np.minimum(d, 0).sum()),
                                         float(np.maximum(d, 0).sum()))) for d, p in parts]
    net = impl.uat_network_ridges(impl_ridges, [0.0, 0.0], [1.0, 1.0], eps)
    sup, rows = uat_bound_ridges(net, parts, eps)
    assert sup < eps, f"x1 x2: rigorous sup bound {sup}"
    xs = rng.random((5, 2))  # a spot check beside the bound
    spot = np.max(np.abs(net(xs) - xs[:, 0] * xs[:, 1]))
    assert spot <= sup
    evidence.note(f"f(x) = x1 x2 on [0,1]^2, eps = {eps}: one hidden layer of "
                  f"{net.coef.size} sigmoids (ridges x1+x2, x1-x2), sup|g - f| <= {sup:.3g} "
                  "(interval bound)")
