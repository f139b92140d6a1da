"""Evidence for §2.3: universal approximation, constructively, with certified errors.

The certifier
-------------
``certify_1d`` bounds g - f over a whole interval for any one-hidden-layer sigmoid network
g(t) = sum_i a_i sigma(w_i t + b_i), never evaluating the implementation: it reads the
network's parameters only. The interval is cut into cells; on a cell [u, v]

* a neuron's sigma(w t + b) lies between its values at the ends (sigma is monotone), so
  g([u, v]) is enclosed neuron by neuron;
* neurons whose centre -b/w lies farther than R = (T + 1) / min|w| from the cell are
  saturated: within e^-T of 0 or 1, summed with prefix sums (T = 36);
* f([u, v]) is enclosed by the target itself (Lipschitz: f(m) +- L (v - u)/2; monotone:
  [f(u), f(v)]), each float evaluation widened by an explicit rounding allowance;
* cells whose enclosure of g - f is wider than a tolerance are bisected (a few rounds).

The union of the cells is the interval, so min/max over cells of the enclosures bound
g - f everywhere on it: a Lipschitz-grid certificate, not a sample. Rounding model: each
float64 operation has relative error <= u = 2^-53 and numpy's exp <= 64 u (glibc documents
< 1 ulp); sums of n terms err by <= n u sum|terms|. Every enclosure is widened by these
bounds. As a cross-check the worst cell of every certificate is re-enclosed with
mpmath.iv (120 bits) and must also meet the bound.

On the unit square the network's neurons are grouped by direction (each must be
parallel to one ridge direction, up to a residual that is added to its pre-activation
error); g - f = sum_j (g_j - phi_j)(t_j) + constants, and the ranges of the groups add.
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

U = 2.0 ** -53  # float64 unit roundoff
T_SAT = 36.0  # beyond |z| >= 36 a sigmoid is within e^-36 ~ 2.3e-16 of 0 or 1
SPREAD = 1.05  # the construction's design constant (article §2.3 claim statement)


def _sig(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


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

    def rounding(self, t):
        # argument w t + p: 2 ulp of its size; sin, product, sum: a few ulp of |c|
        return 16 * U * sum(abs(c) * (2 + abs(w) * np.abs(t) + abs(p))
                            for c, w, p in zip(self.c, self.w, self.p))

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

    def rounding(self, t):
        # Horner: |error| <= gamma_{2n} sum_k |c_k| |t|^k (Higham, Accuracy and Stability)
        big = np.maximum(1.0, np.abs(t))
        return 4 * (len(self.c) + 2) * U * sum(abs(ck) * big ** k for k, ck in enumerate(self.c))

    def iv(self, x):
        out = ivz.iv.mpf(0)
        for ck in list(self.c)[::-1]:
            out = out * x + ivz.iv.mpf(ck)
        return out

    def __str__(self):
        return " + ".join(f"{ck:.3g} t^{k}" for k, ck in enumerate(self.c))


def lipschitz_enclosure(f, L):
    """f([u, v]) within f(m) +- (L r + rounding), r >= max(m - u, v - m)."""

    def enclose(u, v):
        m = 0.5 * (u + v)
        r = np.maximum(m - u, v - m) * (1 + 4 * U)
        fm = f(m)
        rad = L * r * (1 + 4 * U) + f.rounding(m) + 4 * U * np.abs(fm)
        return fm - rad, fm + rad

    return enclose


# -- the certifier ------------------------------------------------------------------------
@dataclass
class Certificate:
    """g - f lies in [lo, hi] on the whole interval (a union of ``cells`` cells)."""

    lo: float
    hi: float
    cells: int
    worst: tuple

    @property
    def sup(self) -> float:
        return max(-self.lo, self.hi)


class _Network1D:
    """g(t) = sum a_i sigma(w_i t + b_i + r_i) with unknown |r_i| <= z_err_i, prepared for
    cell enclosures (neurons sorted by centre, prefix sums of the saturated parts)."""

    def __init__(self, a, w, b, z_err=None):
        a, w, b = (np.asarray(v, dtype=float) for v in (a, w, b))
        z_err = np.zeros_like(a) if z_err is None else np.asarray(z_err, dtype=float)
        assert a.ndim == 1 and a.shape == w.shape == b.shape == z_err.shape
        assert np.all(np.isfinite(a) & np.isfinite(w) & np.isfinite(b)), "non-finite network"
        assert np.all(z_err <= 0.5), "pre-activation error too large for the saturation test"
        const = w == 0
        s = _sig(b[const])
        zc = z_err[const] / 4  # sigma' <= 1/4
        ac = a[const]
        self.const = (ac, b[const], z_err[const])
        self.c_lo = float(np.sum(np.minimum(ac * (s - zc), ac * (s + zc))))
        self.c_hi = float(np.sum(np.maximum(ac * (s - zc), ac * (s + zc))))
        nz = ~const
        order = np.argsort(-b[nz] / w[nz], kind="stable")
        self.a, self.w, self.b = a[nz][order], w[nz][order], b[nz][order]
        self.ze = z_err[nz][order]
        self.t = -self.b / self.w
        self.R = (T_SAT + 1) / np.min(np.abs(self.w)) if self.w.size else 0.0
        self.pos = np.concatenate([[0.0], np.cumsum(np.where(self.w > 0, self.a, 0.0))])
        neg = np.where(self.w < 0, self.a, 0.0)
        self.neg = np.concatenate([np.cumsum(neg[::-1])[::-1], [0.0]])
        abs_a = float(np.sum(np.abs(a)))
        self.abs_a = abs_a
        self.slack = math.exp(-T_SAT) * abs_a + 4 * (a.size + 64) * U * (abs_a + 1)

    def enclose(self, u, v):
        """Arrays (glo, ghi) with glo <= g(t) <= ghi for t in [u_k, v_k]."""
        glo = np.full(u.shape, self.c_lo - self.slack)
        ghi = np.full(u.shape, self.c_hi + self.slack)
        if not self.w.size:
            return glo, ghi
        i0 = np.searchsorted(self.t, u - self.R, side="left")
        i1 = np.searchsorted(self.t, v + self.R, side="right")
        sat = self.pos[i0] + self.neg[i1]
        glo += sat
        ghi += sat
        K = int(np.max(i1 - i0))
        step = max(1, 2_000_000 // max(K, 1))  # bounded memory
        for s in range(0, u.size, step):
            sl = slice(s, s + step)
            idx = i0[sl, None] + np.arange(K)
            mask = idx < i1[sl, None]
            idx = np.minimum(idx, self.t.size - 1)
            w, b, a = self.w[idx], self.b[idx], self.a[idx]
            uu, vv = u[sl, None], v[sl, None]
            zu, zv = w * uu + b, w * vv + b
            err = self.ze[idx] + 4 * U * (np.abs(w) * np.maximum(np.abs(uu), np.abs(vv))
                                          + np.abs(b)) + 1e-300
            s_lo = _sig(np.minimum(zu, zv) - err) * (1 - 64 * U)
            s_hi = np.minimum(_sig(np.maximum(zu, zv) + err) * (1 + 64 * U), 1.0)
            lo_c = np.where(a >= 0, a * s_lo, a * s_hi)
            hi_c = np.where(a >= 0, a * s_hi, a * s_lo)
            glo[sl] += np.sum(np.where(mask, lo_c, 0.0), axis=1)
            ghi[sl] += np.sum(np.where(mask, hi_c, 0.0), axis=1)
        return glo, ghi

    def enclose_iv(self, u: float, v: float):
        """The same enclosure on one cell in mpmath.iv (exact sums, rigorous sigmoid)."""
        iv = ivz.iv
        x = iv.mpf([u, v])
        i0 = int(np.searchsorted(self.t, u - self.R, side="left"))
        i1 = int(np.searchsorted(self.t, v + self.R, side="right"))
        sat = math.fsum(self.a[:i0][self.w[:i0] > 0]) + math.fsum(self.a[i1:][self.w[i1:] < 0])
        total = iv.mpf([sat - abs(sat) * 2 * U, sat + abs(sat) * 2 * U])
        for ac, bc, zc in zip(*self.const):
            total += iv.mpf(ac) * ivz.sigmoid(iv.mpf(bc) + iv.mpf([-zc, zc]))
        tail = iv.exp(-iv.mpf(T_SAT)) * iv.mpf(math.fsum(np.abs(self.a)) * (1 + 2 * U))
        total += iv.mpf([-ivz.hi(tail), ivz.hi(tail)])
        for i in range(i0, i1):
            z = iv.mpf(self.w[i]) * x + iv.mpf(self.b[i]) + iv.mpf([-self.ze[i], self.ze[i]])
            total += iv.mpf(self.a[i]) * ivz.sigmoid(z)
        return total


def certify_1d(net: _Network1D, A: float, B: float, f_enclose, *, tol: float,
               cells: int, rounds: int = 8) -> Certificate:
    """Enclose g - f on [A, B]; cells wider than ``tol`` in g - f are bisected."""
    edges = np.linspace(A, B, cells + 1)
    u, v = edges[:-1], edges[1:]
    lo_all, hi_all, n_cells, worst, worst_val = np.inf, -np.inf, 0, (A, B), -np.inf
    for r in range(rounds + 1):
        glo, ghi = net.enclose(u, v)
        flo, fhi = f_enclose(u, v)
        elo = glo - fhi - 4 * U * (np.abs(glo) + np.abs(fhi))
        ehi = ghi - flo + 4 * U * (np.abs(ghi) + np.abs(flo))
        split = (ehi - elo > tol) if r < rounds else np.zeros(u.shape, bool)
        done = ~split
        if np.any(done):
            lo_all = min(lo_all, float(np.min(elo[done])))
            hi_all = max(hi_all, float(np.max(ehi[done])))
            mag = np.maximum(-elo, ehi)
            k = int(np.argmax(np.where(done, mag, -np.inf)))
            if mag[k] > worst_val:
                worst_val, worst = float(mag[k]), (float(u[k]), float(v[k]))
            n_cells += int(np.sum(done))
        if not np.any(split):
            break
        m = 0.5 * (u[split] + v[split])
        u, v = np.concatenate([u[split], m]), np.concatenate([m, v[split]])
    return Certificate(lo=lo_all, hi=hi_all, cells=n_cells, worst=worst)


def recheck_worst_cell_iv(net: _Network1D, f_iv, cert: Certificate):
    """|g - f| on the worst cell, enclosed again in mpmath.iv (120 bits)."""
    with ivz.precision(120):
        u, v = cert.worst
        e = net.enclose_iv(u, v) - f_iv(ivz.iv.mpf([u, v]))
        return max(abs(float(ivz.lo(e))), abs(float(ivz.hi(e)))) * (1 + 1e-12)


def network_1d(net):
    coef = np.asarray(net.coef, dtype=float)
    weight = np.asarray(net.weight, dtype=float)
    assert weight.ndim == 2 and weight.shape[1] == 1, f"1-D network, weight {weight.shape}"
    return _Network1D(coef, weight[:, 0], np.asarray(net.bias, dtype=float))


def _evaluate(coef, weight, bias, X):
    """g at the rows of X from the parameters (our own evaluation, chunked)."""
    out = np.zeros(X.shape[0])
    for s in range(0, coef.size, 2048):
        sl = slice(s, s + 2048)
        out += _sig(X @ weight[sl].T + bias[sl]) @ coef[sl]
    return out


def sampled_violation(net, f, X, eps):
    """A sampled point where |g - f| >= eps, if any: a cheap counterexample that spares a
    long certificate for a network whose neurons are not local (see ``non_local``)."""
    coef, W, b = (np.asarray(v, dtype=float) for v in (net.coef, net.weight, net.bias))
    err = np.abs(_evaluate(coef, W, b, X) - f(X))
    k = int(np.argmax(err))
    return (X[k], float(err[k])) if err[k] >= eps else None


def non_local(n1: _Network1D, A: float, B: float, cells: int) -> bool:
    """Whether certifying would evaluate > 2e6 neuron-cell pairs (sigmoids too flat for
    their spacing: every neuron is active on every cell)."""
    if not n1.w.size:
        return False
    edges = np.linspace(A, B, cells + 1)
    window = (np.searchsorted(n1.t, edges[1:] + n1.R, "right")
              - np.searchsorted(n1.t, edges[:-1] - n1.R))
    return int(np.max(window)) * cells > 2e6


def certified_sup_1d(net, f, a, b, eps, *, L=None, enclosure=None):
    n1 = network_1d(net)
    cells = 8 * max(net.coef.size, 8)
    if non_local(n1, a, b, cells):
        bad = sampled_violation(net, lambda X: f(X[:, 0]), np.linspace(a, b, 513)[:, None], eps)
        assert bad is None, f"|g - f| = {bad[1]:.4g} >= eps = {eps} at x = {bad[0]} (sampled)"
    enc = enclosure or lipschitz_enclosure(f, L)
    cert = certify_1d(n1, a, b, enc, tol=eps / 4, cells=cells)
    return cert, n1


# -- 2.3: Cybenko's statement -------------------------------------------------------------
@claim("uat-cybenko-hypotheses-as-stated", kind="symbolic", target="counterexample")
def test_constant_activation_satisfies_hypotheses_but_not_conclusion(impl, evidence):
    c, x = sp.symbols("c x", real=True)
    sigma = sp.Rational(1, 2) + 0 * x  # continuous, monotone (non-decreasing), bounded
    assert sp.diff(sigma, x) == 0 and sigma.is_constant()
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
        cert, _ = certified_sup_1d(net, f, 0.0, 1.0, 0.25, L=f.lipschitz)
        assert cert.sup < 0.25, f"logistic network for {f}: certified sup {cert.sup} >= 1/4"
        evidence.note(f"with the logistic sigma (non-constant, sigmoidal) a width-{net.width} "
                      f"network meets eps = 1/4 for f(x) = {f}: certified sup {cert.sup:.4g}")


# -- 2.3: steps, bumps, the three regions --------------------------------------------------
def _sigma_sym(x):
    return 1 / (1 + sp.exp(-x))


@claim("steep-sigmoid-tends-to-step-at-c", kind="symbolic")
def test_steep_sigmoid_limits_and_width_symbolic(impl, evidence):
    a, d, p = sp.symbols("alpha d p", positive=True)
    assert sp.limit(_sigma_sym(a * d), a, sp.oo) == 1, "z > c"
    assert sp.limit(_sigma_sym(-a * d), a, sp.oo) == 0, "z < c"
    assert _sigma_sym(a * 0) == sp.Rational(1, 2), "z = c"
    # the band where p <= sigma(alpha (z - c)) <= 1 - p is |z - c| <= log((1-p)/p)/alpha
    w = sp.log((1 - p) / p) / a
    assert sp.simplify(_sigma_sym(a * w) - (1 - p)) == 0
    assert sp.diff(2 * w, a).equals(-2 * sp.log((1 - p) / p) / a ** 2)  # < 0 for p < 1/2
    slope = sp.diff(_sigma_sym(a * (sp.Symbol("z") - sp.Symbol("c"))), sp.Symbol("z")) \
        .subs(sp.Symbol("z"), sp.Symbol("c"))
    assert sp.simplify(slope - a / 4) == 0, "slope at c"
    # not uniform: at z = c the distance to the step (H(0) = 1) is 1/2 for every alpha
    alphas = np.array([1.0, 10.0, 100.0, 1000.0])
    at_c = impl.sigmoid(alphas * 0.0)
    np.testing.assert_array_equal(at_c, 0.5, err_msg="sigma(alpha * 0) must be 1/2")
    off = impl.sigmoid(alphas * 0.05)
    assert np.all(np.diff(off) > 0) and 1 - off[-1] < 1e-20, "no convergence at z = c + 0.05"
    evidence.note("sympy: limits 1 (z > c), 0 (z < c), 1/2 at z = c; the band "
                  "{p <= sigma <= 1-p} has width 2 log((1-p)/p)/alpha, decreasing in alpha; "
                  "slope alpha/4 at c; sup distance to the step stays 1/2 (at z = c)")


def _D_sym():
    a, dl, z, c = sp.symbols("alpha delta z c", real=True)
    return a, dl, z, c, _sigma_sym(a * (z - c)) - _sigma_sym(a * (z - c - dl))


@claim("sigmoid-difference-three-region-table", kind="symbolic", target="corrected")
def test_sigmoid_difference_lemmas_symbolic(evidence):
    a, dl, z, c, D = _D_sym()
    s = sp.Symbol("s", real=True)
    u = sp.Symbol("u", real=True)
    sig_p = sp.diff(_sigma_sym(u), u)
    assert sp.simplify(sig_p.subs(u, -u) - sig_p) == 0, "sigma' is even"
    assert sp.simplify(sp.diff(sig_p, u) - sig_p * (1 - 2 * _sigma_sym(u))) == 0, \
        "sigma'' = sigma' (1 - 2 sigma): < 0 for u > 0, so sigma' decreases in |u|"
    mid = c + dl / 2
    assert sp.simplify((D.subs(z, mid + s) - D.subs(z, mid - s)).rewrite(sp.exp)) == 0, \
        "D is symmetric about c + delta/2"
    peak = D.subs(z, mid)
    assert sp.simplify((peak - sp.tanh(a * dl / 4)).rewrite(sp.exp)) == 0, "peak"
    edge = D.subs(z, c)
    assert sp.simplify(edge - (sp.Rational(1, 2) - _sigma_sym(-a * dl))) == 0, "D(c)"
    t = sp.Symbol("t", real=True)
    assert sp.simplify(1 - (_sigma_sym(t) - _sigma_sym(-t)) - 2 * _sigma_sym(-t)) == 0
    evidence.note("sympy: sigma' even with sigma'' = sigma'(1 - 2 sigma) (so D' = alpha "
                  "(sigma'(u) - sigma'(u - alpha delta)) > 0 iff u < alpha delta / 2: D rises "
                  "to c + delta/2 and falls after); D symmetric about c + delta/2; "
                  "peak tanh(alpha delta/4); D(c) = 1/2 - sigma(-alpha delta); "
                  "1 - (sigma(t) - sigma(-t)) = 2 sigma(-t)")
    evidence.counterexample("z = c lies in the table's region [c, c + delta] where D ~ 1 is "
                            "claimed, but D(c) = 1/2 - sigma(-alpha delta) < 1/2 for every "
                            "alpha, delta > 0 (e.g. alpha = 100, delta = 1: D(c) = 0.5 - "
                            "3.7e-44), and just left of c (region 'D ~ 0') D is ~ 1/2 as well")


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


@claim("sigmoid-difference-three-region-table", kind="interval", target="counterexample")
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


@claim("bump-sum-is-one-hidden-layer-sigmoid-network", kind="symbolic", scope="instance")
def test_bump_sum_regroups_into_neurons_symbolic(evidence):
    N = 5
    y = sp.symbols(f"y1:{N + 1}", real=True)
    Sg = sp.symbols(f"S1:{N}", real=True)  # S_k = sigma(alpha (x - c_k)), k = 1..N-1
    steps = [1, *Sg, 0]  # S_0 = 1 (edge at -inf), S_N = 0 (edge at +inf)
    bumps = [steps[k] - steps[k + 1] for k in range(N)]
    g_bumps = sum(yk * Bk for yk, Bk in zip(y, bumps))
    g_neurons = 2 * y[0] * _sigma_sym(0) + sum((y[k + 1] - y[k]) * Sg[k] for k in range(N - 1))
    assert sp.expand(g_bumps - g_neurons) == 0
    assert sp.expand(sum(bumps) - 1) == 0, "the bumps are a partition of unity"
    evidence.note(f"sympy (N = {N}): sum_k y_k B_k = 2 y_1 sigma(0) + sum_k (y_(k+1) - y_k) "
                  "sigma(alpha x - alpha c_k), one neuron per cell; sum_k B_k = 1")


@claim("bump-sum-is-one-hidden-layer-sigmoid-network", kind="sampled")
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


@claim("step-functions-approximate-continuous-uniformly", kind="sampled")
@given(target=S.trig_targets(), eps=S.uat_eps())
@example(target=([1.0], [2 * math.pi], [0.0], 0.0, 1.0), eps=0.01)  # slope L is attained
def test_step_function_error_certified(impl, evidence, target, eps):
    c, w, p, a, b = target
    f = Trig(c=tuple(c), w=tuple(w), p=tuple(p))
    L = f.lipschitz
    plan = impl.uat_plan_1d(a, b, eps, lipschitz=L)
    e, nodes = np.asarray(plan.edges), np.asarray(plan.nodes)
    assert e[0] == a and e[-1] == b and np.all(np.diff(e) > 0), "cells must tile [a, b]"
    assert np.all((e[:-1] <= nodes) & (nodes <= e[1:])), "each node inside its cell"
    q = 8  # sub-cells per cell
    frac = np.arange(q + 1) / q
    u = (e[:-1, None] + (e[1:] - e[:-1])[:, None] * frac[None, :-1]).ravel()
    v = np.concatenate([u[1:], [e[-1]]])
    v[q - 1::q] = e[1:]  # sub-cells end exactly on the cell edges
    k = np.repeat(np.arange(nodes.size), q)
    flo, fhi = lipschitz_enclosure(f, L)(u, v)
    yk = f(nodes)[k]
    dev = np.maximum(np.abs(fhi - yk), np.abs(yk - flo)) + f.rounding(nodes[k])
    sup = float(np.max(dev)) * (1 + 8 * U)
    assert sup <= eps / 2, f"step error {sup} > eps/2 = {eps / 2} with {nodes.size} cells"
    evidence.count("targets (trigonometric sums)")
    evidence.worst("certified sup|S - f| / eps", sup / eps, at=f"eps={eps:.3g}, f={f}")


# -- 2.3: the construction, certified -----------------------------------------------------
def _check_uat_1d(impl, evidence, f, a, b, eps, label):
    L = f.lipschitz
    net = impl.uat_network_1d(f, a, b, eps, lipschitz=L)
    width = math.ceil(SPREAD * L * (b - a) / eps) if L > 0 else 1
    assert net.width == max(1, width), f"width {net.width}, the rule gives {width}"
    cert, n1 = certified_sup_1d(net, f, a, b, eps, L=L)
    assert cert.sup < eps, f"{label}: certified sup {cert.sup} >= eps {eps} (f = {f})"
    iv_sup = recheck_worst_cell_iv(n1, f.iv, cert)
    assert iv_sup < eps, f"{label}: mpmath.iv re-enclosure of the worst cell {iv_sup} >= eps"
    evidence.count(f"{label} targets certified")
    evidence.worst("certified sup|g - f| / eps", cert.sup / eps, at=f"eps={eps:.3g}, f={f}")
    return net, cert


@claim("uat-construction-meets-eps-on-interval", kind="sampled")
@settings(max_examples=30)  # each example is a certificate; eps = 1e-3 runs below anyway
@given(target=S.trig_targets(), eps=S.uat_eps())
def test_uat_trigonometric_targets_certified(impl, evidence, target, eps):
    c, w, p, a, b = target
    _check_uat_1d(impl, evidence, Trig(c=tuple(c), w=tuple(w), p=tuple(p)), a, b, eps,
                  "trigonometric")


@claim("uat-construction-meets-eps-on-interval", kind="sampled")
@settings(max_examples=30)  # as above
@given(target=S.poly_targets(), eps=S.uat_eps())
@example(target=([1.0, 0.5], 0.0, 1.0), eps=0.01)  # a constant term far above eps
def test_uat_polynomial_targets_certified(impl, evidence, target, eps):
    c, a, b = target
    _check_uat_1d(impl, evidence, Poly(c=tuple(c), a=a, b=b), a, b, eps, "polynomial")


@claim("uat-construction-meets-eps-on-interval", kind="sampled")
def test_uat_width_grows_like_inverse_eps(impl, evidence):
    f = Trig(c=(1.0,), w=(2 * math.pi,), p=(0.0,))
    rows = []
    for eps in (1e-1, 3e-2, 1e-2, 3e-3, 1e-3):
        net, cert = _check_uat_1d(impl, evidence, f, 0.0, 1.0, eps, "sin(2 pi x)")
        rows.append([eps, net.width, cert.sup, cert.sup / eps, net.width * eps, cert.cells])
    widths = np.array([r[1] for r in rows], float)
    slope = np.polyfit(np.log([r[0] for r in rows]), np.log(widths), 1)[0]
    assert -1.05 < slope < -0.95, f"log width / log eps slope {slope}"
    evidence.table("Width of the bump construction vs eps for f(x) = sin(2 pi x) on [0, 1] "
                   "(L = 2 pi); certified sup|g - f| over the whole interval",
                   ["eps", "hidden width N", "certified sup|g-f|", "sup / eps", "N * eps",
                    "certificate cells"], rows)
    evidence.note(f"width ~ 1.05 L / eps: log-log slope {slope:.4f}; at eps = 1e-3 the "
                  f"network has {rows[-1][1]} neurons and certified sup {rows[-1][2]:.4g}")


@claim("uat-construction-meets-eps-on-interval", kind="sampled")
def test_uat_non_lipschitz_target_by_modulus(impl, evidence):
    eps = 0.05

    def f(t):
        return np.sqrt(np.asarray(t, dtype=float))

    def enclose(u, v):  # sqrt is increasing; np.sqrt is correctly rounded (IEEE 754)
        return np.sqrt(u) * (1 - 2 * U), np.sqrt(v) * (1 + 2 * U)

    net = impl.uat_network_1d(f, 0.0, 1.0, eps, modulus=np.sqrt)
    n1 = network_1d(net)
    if non_local(n1, 0.0, 1.0, 8 * net.width):
        bad = sampled_violation(net, lambda X: f(X[:, 0]), np.linspace(0, 1, 513)[:, None], eps)
        assert bad is None, f"|g - f| = {bad[1]:.4g} >= eps at x = {bad[0]} (sampled)"
    cert = certify_1d(n1, 0.0, 1.0, enclose, tol=eps / 4, cells=8 * net.width)
    assert cert.sup < eps, f"sqrt: certified sup {cert.sup} >= {eps}"

    def f_iv(x):
        return ivz.iv.mpf([ivz.lo(ivz.iv.sqrt(ivz.lo(x))), ivz.hi(ivz.iv.sqrt(ivz.hi(x)))])

    assert recheck_worst_cell_iv(n1, f_iv, cert) < eps
    evidence.note(f"f = sqrt on [0, 1] (modulus omega(t) = sqrt t, not Lipschitz), eps = {eps}: "
                  f"width {net.width}, certified sup {cert.sup:.4g} ({cert.cells} cells)")


# -- 2.3: the unit square -----------------------------------------------------------------
def _canonical(d):
    d = np.asarray(d, dtype=int)
    g = math.gcd(*[abs(int(v)) for v in d])
    d = d // g
    first = d[np.flatnonzero(d)[0]]
    return tuple(int(v) for v in (d if first > 0 else -d))


@dataclass(frozen=True)
class RidgeGroup:
    """phi(t) = sum_j c_j psi_j(k_j t + ...) for the ridges parallel to one direction."""

    terms: tuple  # (k, kind, c, s): k t is the ridge's own coordinate d_j . x

    def __call__(self, t):
        t = np.asarray(t, dtype=float)
        out = np.zeros_like(t)
        for k, kind, c, s in self.terms:
            out = out + (c * np.sin(k * t + s) if kind == "sin" else c * (k * t - s) ** 2)
        return out

    def lipschitz_on(self, t_lo, t_hi):
        m = max(abs(t_lo), abs(t_hi))
        return math.fsum(abs(c * k) if kind == "sin" else 2 * abs(c * k) * (abs(k) * m + abs(s))
                         for k, kind, c, s in self.terms) * (1 + 16 * U)

    def rounding(self, t):
        return 32 * U * sum(abs(c) * (2 + abs(k) * np.abs(t) + abs(s)) ** 2
                            for k, _, c, s in self.terms)

    def iv(self, x):
        iv = ivz.iv
        out = iv.mpf(0)
        for k, kind, c, s in self.terms:
            arg = iv.mpf(k) * x
            out += iv.mpf(c) * (iv.sin(arg + iv.mpf(s)) if kind == "sin"
                                else (arg - iv.mpf(s)) ** 2)
        return out


def certify_ridge_network(net, ridges, eps, f=None):
    """Certified [lo, hi] of g - f on [0, 1]^2 for f = sum_j phi_j(d_j . x); ``f`` (on rows
    of points) allows a sampled counterexample first when the neurons are not local."""
    W = np.asarray(net.weight, dtype=float)
    coef, bias = np.asarray(net.coef, dtype=float), np.asarray(net.bias, dtype=float)
    assert W.ndim == 2 and W.shape[1] == 2, f"weights of shape {W.shape}"
    groups: dict[tuple, list] = {}
    for d, kind, c, s in ridges:
        key = _canonical(d)
        k = int(np.dot(d, key) // np.dot(key, key))
        groups.setdefault(key, []).append((k, kind, c, s))
    keys = list(groups)
    member = np.full(W.shape[0], -1)
    lam = np.zeros(W.shape[0])
    zerr = np.zeros(W.shape[0])
    const = np.all(W == 0, axis=1)
    for gi, key in enumerate(keys):
        kv = np.array(key, float)
        lg = W @ kv / (kv @ kv)
        resid = np.abs(W - lg[:, None] * kv[None, :]).sum(axis=1)
        bound = resid + 4 * U * (np.abs(W).sum(axis=1) + np.abs(lg) * np.abs(kv).sum())
        hit = (member < 0) & ~const & (resid <= 1e-9 * np.abs(W).sum(axis=1))
        member[hit], lam[hit], zerr[hit] = gi, lg[hit], bound[hit]  # |x_k| <= 1 on the box
    stray = np.flatnonzero((member < 0) & ~const)
    assert stray.size == 0, \
        f"{stray.size} neurons not parallel to any ridge, e.g. W = {W[stray[0]]}"
    member[const] = 0
    lo = hi = 0.0
    rows, per_group_tol = [], eps / (4 * len(keys))
    for gi, key in enumerate(keys):
        sel = member == gi
        phi = RidgeGroup(terms=tuple(groups[key]))
        t_lo = float(sum(min(0, v) for v in key))
        t_hi = float(sum(max(0, v) for v in key))
        L = phi.lipschitz_on(t_lo, t_hi)
        n1 = _Network1D(coef[sel], lam[sel], bias[sel], zerr[sel])
        cells = 8 * max(int(sel.sum()), 8)
        if f is not None and non_local(n1, t_lo, t_hi, cells):
            grid = np.stack(np.meshgrid(*[np.linspace(0, 1, 33)] * 2), -1).reshape(-1, 2)
            bad = sampled_violation(net, f, grid, eps)
            assert bad is None, f"|g - f| = {bad[1]:.4g} >= eps = {eps} at x = {bad[0]}"
        cert = certify_1d(n1, t_lo, t_hi, lipschitz_enclosure(phi, L), tol=per_group_tol,
                          cells=cells)
        iv_sup = recheck_worst_cell_iv(n1, phi.iv, cert)
        lo, hi = lo + cert.lo, hi + cert.hi
        rows.append((key, int(sel.sum()), cert, iv_sup))
    return lo, hi, rows


@claim("uat-construction-meets-eps-on-unit-square", kind="sampled")
@settings(max_examples=15)  # up to three certificates per example
@given(ridges=S.ridge_targets(max_entry=1), eps=S.uat_eps(lo=3e-3, hi=1e-1))
@example(ridges=[((1, 0), "sin", 1.0, 1.0), ((1, 1), "square", 0.5, 0.5)], eps=0.02)
def test_uat_unit_square_certified(impl, evidence, ridges, eps):
    impl_ridges = []
    for d, kind, c, s in ridges:
        dv = np.array(d, float)
        t_lo, t_hi = float(np.minimum(dv, 0).sum()), float(np.maximum(dv, 0).sum())
        prof = RidgeGroup(terms=((1, kind, c, s),))
        impl_ridges.append((dv, prof, prof.lipschitz_on(t_lo, t_hi)))
    net = impl.uat_network_ridges(impl_ridges, [0.0, 0.0], [1.0, 1.0], eps)
    lo, hi, groups = certify_ridge_network(
        net, ridges, eps, f=lambda X: sum(p(X @ d) for d, p, _ in impl_ridges))
    sup = max(-lo, hi)
    assert sup < eps, f"certified sup {sup} >= eps {eps} for ridges {ridges}"
    for key, n, cert, iv_sup in groups:
        assert iv_sup <= cert.sup + eps / (4 * len(groups)), \
            f"mpmath.iv re-enclosure {iv_sup} of group {key}'s worst cell exceeds {cert.sup}"
    evidence.count("ridge sums on [0, 1]^2 certified")
    evidence.worst("certified sup|g - f| / eps (unit square)", sup / eps,
                   at=f"eps={eps:.3g}, width {net.coef.size}, ridges {ridges}")


@claim("uat-construction-meets-eps-on-unit-square", kind="sampled")
def test_uat_product_x1_x2_on_unit_square(impl, evidence, rng):
    eps = 1e-2
    # x1 x2 = ((x1 + x2)^2 - (x1 - x2)^2) / 4: two quadratic ridges
    ridges = [((1, 1), "square", 0.25, 0.0), ((1, -1), "square", -0.25, 0.0)]
    impl_ridges = [(np.array(d, float), RidgeGroup(terms=((1, kind, c, s),)),
                    RidgeGroup(terms=((1, kind, c, s),)).lipschitz_on(*t_range))
                   for (d, kind, c, s), t_range in zip(ridges, [(0.0, 2.0), (-1.0, 1.0)])]
    net = impl.uat_network_ridges(impl_ridges, [0.0, 0.0], [1.0, 1.0], eps)
    lo, hi, groups = certify_ridge_network(net, ridges, eps)
    assert max(-lo, hi) < eps, f"x1 x2: certified sup {max(-lo, hi)}"
    xs = rng.random((5, 2))  # a spot check beside the certificate
    spot = np.max(np.abs(net(xs) - xs[:, 0] * xs[:, 1]))
    assert spot <= max(-lo, hi)
    evidence.note(f"f(x) = x1 x2 on [0,1]^2, eps = {eps}: one hidden layer of "
                  f"{net.coef.size} sigmoids (ridges x1+x2, x1-x2), certified "
                  f"g - f in [{lo:.3g}, {hi:.3g}]")
