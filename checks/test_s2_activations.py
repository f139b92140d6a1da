"""Evidence for §2.4, analytic part: every entry of the activation table and its prose.

Limits and one-sided derivatives come from sympy; inequalities between transcendental
numbers (Swish's minimum, the SiLU/GeLU distance) from mpmath interval arithmetic (see
``checks/test_s2_intervals.py``). Each claim also gets a check on the implementation, so
a wrong activation or derivative fails it.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

from checks import test_s2_intervals as ivz
from checks.support import kinks
from claimledger.symbolic import linear

claim = pytest.mark.claim

z = sp.Symbol("z", real=True)
h = sp.Symbol("h", positive=True)


def sig(x):
    return 1 / (1 + sp.exp(-x))


def Phi(x):
    return (1 + sp.erf(x / sp.sqrt(2))) / 2


def phi(x):
    return sp.exp(-x ** 2 / 2) / sp.sqrt(2 * sp.pi)


def gelu(x):
    return x * Phi(x)


#: sympy limits, memoised: a negative control re-runs a derivation whose limits do not
#: depend on the statement
_limit = functools.lru_cache(maxsize=None)(sp.limit)


def _exp_form(d):
    """d with tanh, cosh, ... written as exponentials and factored (sympy decides signs and
    limits of this form quickly)."""
    return sp.factor(d.rewrite(sp.exp))


def _positive_everywhere(d) -> bool:
    """d > 0 for every real z (decided by sympy on the exponential form)."""
    return _exp_form(d).is_positive is True


# -- saturation, chain products, dying -----------------------------------------------------
@claim("saturation-limits-of-sigmoid-and-tanh", kind="symbolic", target="counterexample")
@claim("saturation-limits-of-sigmoid-and-tanh", kind="symbolic", target="corrected")
def test_saturation_limits_symbolic(impl, evidence, control):
    # sizeless: limits of two real functions (sigmoid, tanh) of one real variable
    big = np.array([-40.0, 40.0])
    out = {"sigmoid": impl.sigmoid(big), "tanh": impl.tanh(big)}

    def derive(limits):  # {name: (limit as z -> -inf, limit as z -> +inf)}
        for name, f in (("sigmoid", sig(z)), ("tanh", sp.tanh(z))):
            lo, hi = limits[name]
            got = (_limit(f, z, -sp.oo), _limit(f, z, sp.oo))
            assert got == (lo, hi), f"{name}: limits at -inf, +inf are {got}, not {(lo, hi)}"
            d = _exp_form(sp.diff(f, z))
            assert _limit(d, z, sp.oo) == 0 and _limit(d, z, -sp.oo) == 0
            # never exactly zero: sigma' = e^-z / (1 + e^-z)^2 and tanh' = 1 - tanh^2 > 0
            assert _positive_everywhere(d), f"{name}' = {d} is not positive everywhere"
            # the exact distances to the limits are e^-40 ~ 4e-18 and 2 e^-80: atol 1e-17
            # covers them and nothing of a wrong limit; a relative tolerance would be
            # meaningless at 0
            np.testing.assert_allclose(out[name], [float(lo), float(hi)], rtol=0, atol=1e-17,
                                       err_msg=f"{name}(-+40) must be within 1e-17 of its limits")

    control(derive, {"sigmoid": (0, 1), "tanh": (-1, 1)},
            {"sigmoid": (1, 0), "tanh": (1, -1)}, {"sigmoid": (0, 1), "tanh": (0, 1)},
            labels=("as paired in the article: sigmoid -> 0 / 1 and tanh -> -+1 as z -> +-inf",
                    "tanh -> 0 / 1 (sigmoid's limits)"))
    evidence.counterexample("paired as written ('z -> +-inf approaching 0 / 1', 'tanh "
                            "approaching -+1'): lim_{z->+inf} sigmoid = 1, not 0, and "
                            "lim_{z->+inf} tanh = +1, not -1 (sympy)")
    assert np.all(impl.sigmoid_grad(big) < 1e-17) and np.all(impl.tanh_grad(big) < 1e-34)
    evidence.note("sympy: sigmoid -> 0 (z -> -inf), 1 (z -> +inf); tanh -> -+1 as z -> -+inf; "
                  "both derivatives -> 0 on both sides and are positive everywhere")


def _sup_of_sigmoid_slope_is(c) -> None:
    """sup_z sigmoid'(z) = c, attained: with t = e^-z > 0, sigmoid' = t / (1 + t)^2, and
    c (1 + t)^2 - t >= 0 on t > 0 with equality somewhere iff c is the supremum."""
    t = sp.Symbol("t", positive=True)  # t = e^-z
    d = sp.diff(sig(z), z)
    assert sp.simplify(d.subs(z, -sp.log(t)) - t / (1 + t) ** 2) == 0, "sigmoid' = t/(1+t)^2"
    gap = sp.Poly(c * (1 + t) ** 2 - t, t)  # (1 + t)^2 (c - sigmoid')
    # its minimum over t >= 0: at t = 0 or at a critical point (it grows without bound)
    assert gap.LC() > 0, f"c (1+t)^2 - t = {gap.as_expr()} is unbounded below"
    crit = [r for r in sp.real_roots(gap.diff(t)) if r >= 0] + [sp.Integer(0)]
    low = min(gap.eval(r) for r in crit)
    assert low >= 0, f"sigmoid' <= {c} fails: min over t of c (1+t)^2 - t is {low}"
    gap = gap.as_expr()
    touch = sp.solveset(gap, t, sp.Interval.open(0, sp.oo))
    assert touch != sp.S.EmptySet, f"sigmoid' never reaches {c}: not its supremum"
    return touch


@claim("saturating-chain-product-decays-exponentially", kind="symbolic", target="corrected")
def test_sigmoid_slope_at_most_quarter_symbolic(evidence, control):
    L = sp.Symbol("L", integer=True, nonnegative=True)  # the depth
    l = sp.Symbol("l", integer=True, positive=True)  # a layer, 1 <= l <= L
    zl = sp.IndexedBase("z", real=True)  # the pre-activations z_1, ..., z_L

    def derive(stmt):  # (sup sigmoid', tanh'(0))
        c, tanh0 = stmt
        _sup_of_sigmoid_slope_is(c)
        assert sp.diff(sig(z), z).subs(z, 0) == c, "the supremum is sigmoid'(0)"
        assert sp.diff(sp.tanh(z), z).subs(z, 0) == tanh0, "tanh'(0)"
        # prod_{l=1}^{L} sigmoid'(z_l) <= c^L for every depth L, by induction on L.
        # Base L = 0: the empty product is 1 = c^0.
        chain = sp.Product(sp.diff(sig(z), z).subs(z, zl[l]), (l, 1, L))
        assert chain.subs(L, 0).doit() == 1 == c ** 0, "base case"
        # Step: P_{L+1} = P_L s with s = sigmoid'(z_{L+1}) in (0, c] (sigmoid' > 0 and the
        # supremum above) and 0 < P_L <= c^L (the hypothesis); with the slacks
        # u = c^L - P_L >= 0 and v = c - s >= 0, c^{L+1} - P_{L+1} = c u + P_L v >= 0
        assert _positive_everywhere(sp.diff(sig(z), z)), "sigmoid' > 0: P_L > 0"
        P, cL = sp.symbols("P cL", positive=True)  # P_L, and c^L
        u, v = sp.symbols("u v", nonnegative=True)
        assert sp.simplify(c ** (L + 1) - c * c ** L) == 0, "c^{L+1} = c c^L"
        gap = sp.expand((c * cL - P * (c - v)).subs(cL, P + u))
        assert gap.is_nonnegative, f"c^(L+1) - P_(L+1) = {gap} is not >= 0"
        # tanh: with every z_l = 0 the product is tanh'(0)^L, 1 at every depth
        tanh_chain = sp.Product(sp.diff(sp.tanh(z), z).subs(z, zl[l]), (l, 1, L))
        flat = sp.Product(tanh_chain.function.subs(zl[l], 0), *tanh_chain.limits)
        assert sp.simplify(flat.doit()) == 1, f"prod tanh'(0) over L layers = {flat.doit()}"

    quarter = sp.Rational(1, 4)
    control(derive, (quarter, 1), (sp.Rational(1, 5), 1), (sp.Rational(1, 2), 1),
            (quarter, quarter),
            labels=("sigmoid' <= 1/5 (too small)", "sigmoid' <= 1/2 (never attained)",
                    "tanh'(0) = 1/4 (as sigmoid)"))
    evidence.note("sympy: sigmoid' = t/(1+t)^2 with (1+t)^2 - 4t = (1-t)^2 >= 0, so "
                  "sigmoid' <= 1/4 and, by induction on a symbolic depth L, prod_{l<=L} "
                  "sigmoid'(z_l) <= 4^-L for every input; tanh'(0) = 1, so prod_{l<=L} "
                  "tanh'(0) = 1 for every L")
    evidence.counterexample("all pre-activations z_l = 0: prod_{l=1}^{L} tanh'(0) = 1 for "
                            "every depth L - no decay (exponential decay needs |z_l| >= m > 0, "
                            "then the product is <= (1 - tanh^2 m)^L)")


@claim("saturating-chain-product-decays-exponentially", kind="sampled", target="counterexample")
@given(zs=st.lists(st.floats(-50, 50), min_size=1, max_size=40),
       m=st.floats(0.1, 5.0))
def test_chain_products_on_implementation(impl, evidence, zs, m):
    zs = np.array(zs)
    L = zs.size
    p_sig = np.prod(impl.sigmoid_grad(zs))
    assert p_sig <= 0.25 ** L * (1 + 1e-12), f"sigmoid chain {p_sig} > 4^-{L}"
    assert np.prod(impl.tanh_grad(np.zeros(L))) == 1.0, "tanh'(0)^L must be exactly 1"
    away = np.where(zs >= 0, np.maximum(zs, m), np.minimum(zs, -m))
    bound = (1 - math.tanh(m) ** 2) ** L
    assert np.prod(impl.tanh_grad(away)) <= bound * (1 + 1e-10) + 1e-300, \
        "tanh chain with |z_l| >= m must be <= sech^2(m)^L"
    evidence.count("random chains checked")


@claim("dying-region-is-exact-zero-saturation-is-not", kind="symbolic")
def test_relu_dies_sigmoid_saturates(impl, evidence, control):
    # sizeless: ReLU, sigmoid and tanh, each one real function of one real variable
    neg, pos = sp.Symbol("n", negative=True), sp.Symbol("p", positive=True)

    def derive(stmt):  # (the activation with a dying region, those that only saturate)
        dying, saturating = stmt
        assert dying.subs(z, neg) == 0 and sp.diff(dying, z).subs(z, neg) == 0, \
            f"{dying}: not exactly 0 with slope 0 for z < 0"
        assert dying.subs(z, pos) == pos and sp.diff(dying, z).subs(z, pos) == 1
        # saturation is not dying: the derivatives are positive for every real z (the key
        # step of the claim's second half)
        for f in saturating:
            assert _positive_everywhere(sp.diff(f, z)), f"{f}' = {sp.diff(f, z)} is not > 0"

    relu = sp.Max(0, z)
    control(derive, (relu, (sig(z), sp.tanh(z))), (sp.Max(z / 100, z), (sig(z), sp.tanh(z))),
            (relu, (sig(z), sp.tanh(z), relu)),
            labels=("Leaky ReLU max(z/100, z) dies", "ReLU only saturates (no zero slope)"))
    zn = -np.logspace(-300, 300, 61)
    np.testing.assert_array_equal(impl.relu(zn), 0.0, err_msg="relu(z) = 0 for z < 0")
    np.testing.assert_array_equal(impl.relu_grad(zn), 0.0, err_msg="relu'(z) = 0 for z < 0")
    np.testing.assert_array_equal(impl.relu_grad(-zn), 1.0, err_msg="relu'(z) = 1 for z > 0")
    mid = np.linspace(-700.0, 700.0, 141)
    assert np.all(impl.sigmoid_grad(mid) > 0), "sigmoid' must stay positive (|z| <= 700)"
    assert np.all(impl.tanh_grad(mid / 2.5) > 0), "tanh' must stay positive (|z| <= 280)"
    evidence.note("sympy: for z < 0 Max(0, z) = 0 with derivative 0; for z > 0 derivative 1; "
                  "sigmoid' = e^-z/(1 + e^-z)^2 > 0 and tanh' = 1/cosh^2 > 0 for every real z; "
                  "implementation: relu and relu' exactly 0 on -10^[-300, 300]; sigmoid' > 0 on "
                  "[-700, 700] and tanh' > 0 on [-280, 280] (float64 underflows to exactly 0 "
                  f"beyond ~745 and ~372: sigmoid'(-746) = {float(impl.sigmoid_grad(-746.0))})")


def _dead_relu_network():
    """x -> h = relu(u x + c) -> (relu(h), relu(w h + b)) -> relu(v1 a + v2 d): an MLP whose
    second hidden unit d is dead on the training input, with loss (y_hat - y)^2 / 2."""
    u, c, w, b, v1, v2 = sp.symbols("u c w b v1 v2", real=True)
    x, y = sp.Rational(1), sp.Rational(0)
    hid = sp.Max(0, u * x + c)
    pre_d = w * hid + b
    out = sp.Max(0, v1 * sp.Max(0, hid) + v2 * sp.Max(0, pre_d))
    loss = (out - y) ** 2 / 2
    return (u, c, w, b, v1, v2), pre_d, loss


@claim("dead-relu-never-updates-again", kind="exact", target="counterexample")
@claim("dead-relu-never-updates-again", kind="exact", scope="instance", target="corrected")
def test_dead_relu_revived_by_upstream_step(impl, evidence, control):
    params, pre_d, loss = _dead_relu_network()
    u, c, w, b, v1, v2 = params
    theta = {u: 1, c: 0, w: -1, b: sp.Rational(1, 2), v1: 1, v2: 1}
    eta = sp.Rational(3, 8)
    grads = {p: sp.diff(loss, p) for p in params}
    g0 = {p: sp.nsimplify(g.subs(theta)) for p, g in grads.items()}
    assert pre_d.subs(theta) == sp.Rational(-1, 2), "unit d is dead on the input"
    assert g0[w] == 0 and g0[b] == 0, f"dead unit got a gradient: {g0[w]}, {g0[b]}"

    def derive(trained):  # the parameters one gradient step updates
        new = {p: theta[p] - eta * g0[p] if p in trained else theta[p] for p in params}
        assert new[w] == theta[w] and new[b] == theta[b], "its own weights do not move"
        assert pre_d.subs(new) > 0, f"after one step the unit's pre-activation is {pre_d.subs(new)}"
        g1 = {p: sp.nsimplify(g.subs(new)) for p, g in grads.items()}
        assert g1[w] != 0 and g1[b] != 0, f"revived gradient {g1[w]}, {g1[b]}"
        return new, g1

    new, g1 = control(derive, params, (w, b), (w, b, v1, v2),
                      labels=("a step on the dead unit's own weights only",
                              "the layer below (u, c) frozen"))
    assert pre_d.subs(new) == sp.Rational(1, 4), "after one step the unit is alive"
    assert g1[w] == sp.Rational(13, 128), f"revived gradient {g1[w]}"
    # the implementation's forward pass agrees (dyadic numbers: exact in float64)
    for th, d_expected in ((theta, 0.0), (new, 0.25)):
        Ws = [np.array([[float(th[u])]]), np.array([[1.0], [float(th[w])]])]
        bs = [np.array([float(th[c])]), np.array([0.0, float(th[b])])]
        hidden = impl.mlp_forward(Ws, bs, np.array([1.0]), "relu")
        assert hidden[1] == d_expected, f"unit d = {hidden[1]}, expected {d_expected}"
    evidence.counterexample("x = 1, y = 0, h = relu(u x + c), d = relu(w h + b), "
                            "y_hat = relu(v1 relu(h) + v2 d) with (u, c, w, b, v1, v2) = "
                            "(1, 0, -1, 1/2, 1, 1): d's pre-activation is -1/2 and dL/dw = "
                            "dL/db = 0, but one gradient step (eta = 3/8) on u, c, v1 makes it "
                            "+1/4 and then dL/dw = 13/128 != 0: the unit updates again")


# -- the table rows ------------------------------------------------------------------------
@claim("sigmoid-row-grad-quarter-at-zero-vanishing-tails", kind="symbolic")
def test_sigmoid_row_symbolic(impl, evidence, control):
    # sizeless: one real function (sigmoid) of one real variable
    d = sp.diff(sig(z), z)
    assert sp.simplify(d - sig(z) * (1 - sig(z))) == 0
    at0_impl = impl.sigmoid_grad(np.array([0.0]))[0]

    def derive(stmt):  # (sigma'(0), the largest slope, the limit of sigma' as |z| -> inf)
        at0, top, tail = stmt
        assert d.subs(z, 0) == at0, f"sigma'(0) = {d.subs(z, 0)}"
        assert _limit(d, z, sp.oo) == tail and _limit(d, z, -sp.oo) == tail, "tails"
        # top is the largest slope: with t = e^-z > 0, sigma' = t / (1 + t)^2 and
        # top (1 + t)^2 - t >= 0, attained only at t = 1 (z = 0)
        assert _sup_of_sigmoid_slope_is(top) == sp.FiniteSet(1), "the largest slope only at 0"
        assert at0_impl == float(at0), f"implementation: sigmoid'(0) = {at0_impl}"

    quarter = sp.Rational(1, 4)
    control(derive, (quarter, quarter, 0), (sp.Rational(1, 2), sp.Rational(1, 2), 0),
            (quarter, sp.Rational(1, 5), 0), (1, 1, 0),
            labels=("sigma'(0) = 1/2 (sigma(0))", "largest slope 1/5",
                    "sigma'(0) = 1 (tanh's)"))
    assert impl.sigmoid(np.array([0.0]))[0] == 0.5
    zs = np.linspace(-8, 8, 33)
    s_ = impl.sigmoid(zs)
    # O(1) values, a few ulp each
    np.testing.assert_allclose(impl.sigmoid_grad(zs), s_ * (1 - s_), rtol=1e-12, atol=1e-16,
                               err_msg="sigmoid' != sigmoid (1 - sigmoid)")
    evidence.note("sympy: sigma' = sigma (1 - sigma), sigma'(0) = 1/4, limits 0 at -+inf; "
                  "sigma' = t/(1+t)^2 <= 1/4 since (1+t)^2 - 4t = (1-t)^2 (t = e^-z): 1/4 is "
                  "the largest slope, attained only at 0")


@claim("tanh-row-grad-one-at-zero-vanishing-tails", kind="symbolic")
def test_tanh_row_symbolic(impl, evidence, control):
    # sizeless: one real function (tanh) of one real variable
    d = sp.diff(sp.tanh(z), z)
    assert _limit(_exp_form(d), z, sp.oo) == 0 and _limit(_exp_form(d), z, -sp.oo) == 0
    assert sp.simplify(d - (1 - sp.tanh(z) ** 2)) == 0  # <= 1, = 1 only at 0
    zs = np.linspace(-8, 8, 33)

    def derive(stmt):  # (tanh'(0), (a, k) with tanh(z) = a sigmoid(k z) - 1)
        at0, (a, k) = stmt
        assert d.subs(z, 0) == at0, f"tanh'(0) = {d.subs(z, 0)}"
        assert sp.simplify((sp.tanh(z) - (a * sig(k * z) - 1)).rewrite(sp.exp)) == 0, \
            f"tanh != {a} sigmoid({k} z) - 1"
        assert impl.tanh_grad(np.array([0.0]))[0] == float(at0), "implementation: tanh'(0)"
        # O(1) values, a few ulp each
        np.testing.assert_allclose(impl.tanh(zs), a * impl.sigmoid(k * zs) - 1, rtol=1e-12,
                                   atol=1e-15, err_msg=f"tanh != {a} sigmoid({k} z) - 1")

    control(derive, (1, (2, 2)), (sp.Rational(1, 4), (2, 2)), (1, (2, 1)),
            labels=("tanh'(0) = 1/4 (sigmoid's)", "tanh = 2 sigmoid(z) - 1"))
    # O(1) values, a few ulp each; 1 - tanh^2 itself loses ~1e-16 absolute
    np.testing.assert_allclose(impl.tanh_grad(zs), 1 - impl.tanh(zs) ** 2, rtol=1e-9,
                               atol=1e-15, err_msg="tanh' != 1 - tanh^2")
    evidence.note("sympy: tanh'(0) = 1, limits 0 at -+inf; tanh = 2 sigmoid(2z) - 1, so its "
                  "largest slope is 1 = 4 x sigmoid's 1/4 ('slightly better', still saturating)")


@claim("relu-row-grad-one-positive-zero-negative", kind="symbolic")
def test_relu_row_one_sided_derivatives(impl, evidence, control):
    # sizeless: one real function (ReLU) of one real variable
    relu = sp.Max(0, z)
    right = sp.limit((relu.subs(z, h) - relu.subs(z, 0)) / h, h, 0)
    left = sp.limit((relu.subs(z, -h) - relu.subs(z, 0)) / (-h), h, 0)
    # relu'(0) is a convention (any value in [0, 1] is a subgradient): the implementation's
    # declared value is tested exactly (article and reference: 1; JAX, PyTorch: 0); a
    # backend that flushes subnormals is not probed at +-5e-324 (reported in §7)
    at0 = impl.convention("relu_grad_at_0")
    pts = np.array([-2.0, -5e-324, 0.0, 5e-324, 3.0])
    keep = (np.abs(pts) != 5e-324) | (impl.convention("subnormals") == "honoured")
    g = impl.relu_grad(pts[keep])

    def derive(stmt):  # (ReLU' on z < 0, ReLU' on z > 0)
        assert (left, right) == stmt, f"one-sided derivatives {left}, {right}"
        want = np.array([stmt[0], stmt[0], at0, stmt[1], stmt[1]], dtype=float)
        np.testing.assert_array_equal(g, want[keep], err_msg=f"relu' = {stmt[0]} (z < 0), "
                                      f"{stmt[1]} (z > 0), {at0} at 0 (declared)")

    control(derive, (0, 1), (1, 0), (sp.Rational(1, 2), sp.Rational(1, 2)),
            labels=("1 for z < 0, 0 for z > 0 (halves swapped)", "1/2 on both sides"))
    evidence.note("sympy: one-sided derivatives of max(0, z) at 0 are 0 (left) and 1 (right): "
                  "no derivative at 0, every value in [0, 1] is a subgradient; the article's "
                  "convention 1 is the right derivative (PyTorch/JAX use 0); relu_grad(0) = 1")


@claim("gelu-row-grad-half-at-zero-smooth", kind="symbolic")
def test_gelu_row_symbolic(impl, evidence, control):
    # sizeless: one real function (GeLU) of one real variable
    at0_impl = impl.gelu_grad(np.array([0.0]))[0]

    def derive(stmt):  # (the activation, f'(0), lim f' at -inf, at +inf); smooth
        f, at0, lim_lo, lim_hi = stmt
        d = sp.diff(f, z)
        assert d.subs(z, 0) == at0, f"f'(0) = {d.subs(z, 0)}"
        assert (_limit(d, z, -sp.oo), _limit(d, z, sp.oo)) == (lim_lo, lim_hi), "limits of f'"
        # smooth: every derivative is (polynomial) phi + (0 or Phi); none has a kink
        dk = f
        for _ in range(4):
            dk = sp.diff(dk, z)
            assert not dk.has(sp.Heaviside, sp.Piecewise, sp.Abs, sp.sign, sp.Max, sp.Min), \
                f"a kink: {dk}"
        assert at0_impl == float(at0), f"implementation: GeLU'(0) = {at0_impl}"

    half = sp.Rational(1, 2)
    # ReLU: sympy's Heaviside(0) = 1/2 gives it the same slope at 0 and the same limits
    control(derive, (gelu(z), half, 0, 1), (gelu(z), sp.Rational(1, 4), 0, 1),
            (gelu(z), half, 1, 0), (sp.Max(0, z), half, 0, 1),
            labels=("GeLU'(0) = 1/4 (sigmoid's)", "GeLU' -> 1 at -inf, 0 at +inf (swapped)",
                    "ReLU (slope 1/2 at 0 in sympy's convention, the same limits; a kink)"))
    d = sp.diff(gelu(z), z)
    assert sp.simplify(d - (Phi(z) + z * phi(z))) == 0
    d2 = sp.diff(d, z)
    assert sp.simplify(d2 - phi(z) * (2 - z ** 2)) == 0  # extremes of GeLU' at -+sqrt 2
    top = d.subs(z, sp.sqrt(2))
    bottom = d.subs(z, -sp.sqrt(2))
    assert sp.simplify(top + bottom - 1) == 0
    top_f = float(top.evalf(30))
    relu = sp.Max(0, z)
    kink = (sp.limit((relu.subs(z, h)) / h, h, 0), sp.limit(relu.subs(z, -h) / (-h), h, 0))
    assert kink == (1, 0), "ReLU has a kink at 0 that GeLU removes"
    # O(1) values; sqrt 2 is rounded to float (GeLU'' = 0 there, so that costs nothing)
    np.testing.assert_allclose(impl.gelu_grad(np.array([0.0, math.sqrt(2), -math.sqrt(2)])),
                               [0.5, top_f, 1 - top_f], rtol=1e-13, atol=1e-15,
                               err_msg="GeLU'(0) = 1/2 and the extremes at -+sqrt 2")
    evidence.note(f"sympy: GeLU' = Phi + z phi, GeLU'(0) = 1/2, limits 1 (+inf) and 0 (-inf); "
                  f"GeLU'' = phi (2 - z^2): GeLU' peaks at {top_f:.6f} (z = sqrt 2) and dips to "
                  f"{1 - top_f:.6f} (z = -sqrt 2); derivatives up to order 4 have no kink")


# -- ReLU variants ---------------------------------------------------------------------------
@claim("leaky-relu-has-nonzero-grad-everywhere", kind="sampled")
@given(alpha=st.floats(1e-4, 0.999), zs=st.lists(st.floats(-1e6, 1e6), min_size=1,
                                                  max_size=10))
@example(alpha=1e-4, zs=[0.0])  # the kink itself, on every run (issue 25's example)
def test_leaky_relu_equals_max_form_and_never_dies(impl, evidence, alpha, zs):
    zs = np.array(zs)
    if impl.convention("subnormals") == "flushed":  # not probed there (a §7 finding)
        zs = zs[(zs == 0) | (np.abs(zs) >= np.finfo(np.float64).tiny)]
        if zs.size == 0:
            return
    np.testing.assert_array_equal(impl.leaky_relu(zs, alpha), np.maximum(alpha * zs, zs),
                                  err_msg="leaky_relu != max(alpha z, z) for 0 < alpha < 1")
    g = impl.leaky_relu_grad(zs, alpha)
    off = zs != 0
    np.testing.assert_array_equal(g[off], np.where(zs[off] > 0, 1.0, alpha),
                                  err_msg="leaky' = alpha (z < 0), 1 (z > 0)")
    # at the kink the claim asks a non-zero gradient only: a one-sided derivative (alpha
    # or 1), or exactly the value the implementation declares (never 0)
    at0 = kinks.allowed_values(impl, "leaky_relu", alpha)
    assert all(v in at0 for v in g[~off].tolist()), \
        f"leaky'(0) = {g[~off].tolist()} with alpha = {alpha}: not in {at0}"
    evidence.count("(alpha, z) batches")


@claim("leaky-relu-has-nonzero-grad-everywhere", kind="symbolic")
def test_leaky_relu_one_sided_derivatives_symbolic(evidence, control):
    # sizeless: one real function of one real variable and its real slope alpha
    t = sp.Symbol("t", positive=True)
    neg, pos = sp.Symbol("n", negative=True), sp.Symbol("p", positive=True)

    def derive(stmt):  # (the assumption on alpha, alpha(t), t > 0, for the max form)
        assumption, alpha_of_t = stmt
        a = sp.Symbol("alpha", **{assumption: True})
        leaky = sp.Piecewise((z, z >= 0), (a * z, True))
        right = sp.limit(leaky.subs(z, h) / h, h, 0)
        left = sp.limit(leaky.subs(z, -h) / (-h), h, 0)
        assert (left, right) == (a, 1)
        assert left.is_nonzero and right.is_nonzero, f"a dying region for alpha {assumption}"
        # max(alpha z, z) is the piecewise form on the stated range of alpha: on each half
        # sympy decides the max
        a_t = alpha_of_t(t)
        assert sp.simplify(sp.Max(a_t * neg, neg) - a_t * neg) == 0, "z < 0: max = alpha z"
        assert sp.simplify(sp.Max(a_t * pos, pos) - pos) == 0, "z > 0: max = z"

    # alpha = 1 / (1 + t) with t > 0 covers (0, 1)
    control(derive, ("positive", lambda t_: 1 / (1 + t_)), ("nonnegative", lambda t_: 1 / (1 + t_)),
            ("positive", lambda t_: 1 + t_),
            labels=("alpha >= 0 (alpha = 0 is ReLU)", "max(alpha z, z) for alpha > 1"))
    evidence.note("sympy: leaky' is alpha on z < 0 and 1 on z > 0 (both non-zero for alpha > 0); "
                  "max(alpha z, z) is this function only for alpha <= 1 (alpha = 2: max(2, 1) = 2 "
                  "at z = 1)")


@claim("prelu-is-leaky-relu-with-learnable-slope", kind="sampled")
@given(alpha=st.lists(st.floats(-1.0, 2.0), min_size=1, max_size=4),
       rows=st.integers(1, 5), seed=st.integers(0, 2 ** 32 - 1))
def test_prelu_learnable_per_channel_slope(impl, evidence, alpha, rows, seed):
    a = np.array(alpha)
    zs = np.random.default_rng(seed).normal(size=(rows, a.size)) * 3
    y = impl.prelu(zs, a)
    np.testing.assert_array_equal(y, np.maximum(zs, 0) + a * np.minimum(zs, 0),
                                  err_msg="prelu != max(0, z) + alpha min(0, z) per channel")
    for j, aj in enumerate(a):
        if 0 < aj < 1:
            np.testing.assert_array_equal(y[:, j], impl.leaky_relu(zs[:, j], aj),
                                          err_msg="prelu with slope alpha != leaky_relu")
    ga = impl.prelu_alpha_grad(zs, a)
    np.testing.assert_array_equal(ga, np.minimum(zs, 0.0), err_msg="d prelu/d alpha != min(0,z)")
    step = 1e-6
    fd = (impl.prelu(zs, a + step) - impl.prelu(zs, a - step)) / (2 * step)
    # prelu is linear in alpha: the central difference is exact up to rounding of
    # |z| alpha terms (~1e-16 * 10 / 1e-6 = 1e-9)
    np.testing.assert_allclose(fd, ga, rtol=1e-7, atol=1e-8,
                               err_msg="finite difference in alpha != prelu_alpha_grad")
    evidence.count("per-channel alpha batches")


@claim("prelu-is-leaky-relu-with-learnable-slope", kind="symbolic")
def test_prelu_alpha_derivative_symbolic(evidence, control):
    # sizeless: one real function of one real variable and its real slope alpha (one
    # alpha per layer or per channel: the same derivative for each)
    a = sp.Symbol("alpha", real=True)
    prelu = sp.Max(0, z) + a * sp.Min(0, z)

    def derive(grad):  # the stated d PReLU / d alpha
        assert sp.simplify(sp.diff(prelu, a) - grad) == 0, f"d/d alpha = {sp.diff(prelu, a)}"

    control(derive, sp.Min(0, z), sp.Max(0, z), sp.Integer(0),
            labels=("max(0, z) (the positive part)", "0 (alpha a fixed hyperparameter)"))
    evidence.note("sympy: d/d alpha [max(0, z) + alpha min(0, z)] = min(0, z): alpha is "
                  "differentiable, hence learnable by gradient descent")
    evidence.note("'one alpha per layer' is He et al.'s (2015) channel-shared variant (and "
                  "PyTorch's nn.PReLU default); their default is one alpha per channel; the "
                  "derivative is the same for each alpha, and our prelu takes either (a "
                  "scalar or a per-channel array)")


@claim("elu-tends-to-minus-alpha-bounded-below", kind="symbolic")
def test_elu_saturates_at_minus_alpha(impl, evidence, control):
    # sizeless: one real function of one real variable and its real parameter alpha
    a = sp.Symbol("alpha", positive=True)
    neg = a * (sp.exp(z) - 1)
    zs = np.array([-1e300, -745.0, -40.0, -1.0, 0.0, 3.0])
    ys = {alpha: impl.elu(zs, alpha) for alpha in (0.5, 1.0, 2.0)}

    def derive(inf_of):  # the stated infimum (and limit at -inf) as a function of alpha
        low = inf_of(a)
        assert _limit(neg, z, -sp.oo) == low, f"the limit at -inf is {_limit(neg, z, -sp.oo)}"
        assert sp.simplify(neg - low).is_positive, f"ELU - ({low}) = {sp.simplify(neg - low)}"
        for alpha, y in ys.items():
            low_f = float(inf_of(alpha))
            assert np.all(y >= low_f), f"elu below {low_f} (alpha={alpha})"
            # e^z <= e^-40 ~ 4e-18 relative to alpha: below half an ulp, so -alpha to 1e-15
            np.testing.assert_allclose(y[:3], low_f, rtol=1e-15, atol=0,
                                       err_msg=f"elu -> {low_f}")
            assert y[3] > low_f and y[5] == 3.0

    control(derive, lambda al: -al, lambda al: -1 + 0 * al, lambda al: 0 * al,
            labels=("-1 (alpha forgotten)", "0 (ReLU's floor)"))
    evidence.note("sympy: alpha (e^z - 1) = -alpha + alpha e^z > -alpha, limit -alpha at -inf "
                  "(an infimum never attained; in float64 elu(z) rounds to -alpha below z ~ -37)")


@claim("elu-value-and-branch-at-zero", kind="symbolic")
def test_elu_value_and_branch_at_zero(impl, evidence, control):
    # sizeless: one real function of one real variable and its real parameter alpha
    a = sp.Symbol("alpha", positive=True)
    neg = a * (sp.exp(z) - 1)  # the article's branch for z <= 0, which holds z = 0
    alphas = (0.5, 1.0, 1.6732632423543772, 3.0)  # 1.67...: SELU's alpha
    at0 = {al: (impl.elu(np.array([0.0, -0.0]), al), impl.elu_grad(np.array([0.0, -0.0]), al))
           for al in alphas}
    at_kink = impl.convention(kinks.KINKS["elu"][0])  # the article's (and reference's): left

    def derive(stmt):  # (ELU(0), ELU'(0)) as functions of alpha
        value, slope = stmt
        assert neg.subs(z, 0) == value(a) and sp.limit(z, z, 0, "+") == value(a), \
            "both branches give the value at 0"
        assert sp.diff(neg, z).subs(z, 0) == slope(a), "the branch's slope at 0"
        for alpha, (v0, g0) in at0.items():
            assert np.all(v0 == value(alpha)), f"ELU(0) = {v0} (alpha={alpha})"
            # an implementation declaring the other branch at the kink (elu_grad_at_0 =
            # "right", a §7 finding) is held to its declaration: 1
            want = slope(alpha) if at_kink == "left" else 1.0
            assert np.all(g0 == want), \
                f"ELU'(0) = {g0}, the declared branch gives {want} (alpha = {alpha})"

    control(derive, (lambda al: 0 * al, lambda al: al), (lambda al: 0 * al, lambda al: 1 + 0 * al),
            (lambda al: -al, lambda al: al),
            labels=("ELU'(0) = 1 (the z > 0 branch)", "ELU(0) = -alpha"))
    for alpha in alphas:
        slope = alpha / 4  # Leaky ReLU's slope below 0 is exactly its alpha
        # a backend that flushes subnormals to 0 (declared, a §7 finding) is not probed there
        below = [-1.0, -1e300] if impl.convention("subnormals") == "flushed" else \
            [-5e-324, -1.0, -1e300]
        gl = impl.leaky_relu_grad(np.array(below), slope)
        assert np.all(gl == slope), f"leaky'(z < 0) = {gl}, expected {slope}"
    evidence.note("sympy: alpha (e^z - 1) is 0 at z = 0 with slope alpha; implementation, "
                  f"exactly: elu(0) = elu(-0) = 0 and elu_grad(0) = alpha for alpha in {alphas}; "
                  "leaky_relu_grad = alpha (exactly) below 0")


@claim("elu-differentiable-everywhere", kind="symbolic", target="counterexample")
def test_elu_one_sided_derivatives_at_zero(impl, evidence, control):
    # sizeless: one real function of one real variable and its real parameter alpha
    a = sp.Symbol("alpha", positive=True)
    elu = sp.Piecewise((z, z > 0), (a * (sp.exp(z) - 1), True))
    right = sp.limit(elu.subs(z, h) / h, h, 0)
    left = sp.limit(elu.subs(z, -h) / (-h), h, 0)
    assert (left, right) == (a, 1), f"one-sided derivatives {left}, {right}"

    def derive(alpha):  # the counterexample's alpha: ELU has no derivative at 0 there
        l_, r_ = left.subs(a, alpha), right.subs(a, alpha)
        assert sp.simplify(l_ - r_) != 0, f"alpha = {alpha}: one-sided derivatives {l_} = {r_}"

    control(derive, 2, 1, labels=("alpha = 1 (the corrected statement's case)",))
    d = sp.Piecewise((1, z > 0), (a * sp.exp(z), True))
    assert (sp.limit(sp.diff(d.subs(z, h), h), h, 0),
            sp.limit(sp.diff(a * sp.exp(z), z).subs(z, -h), h, 0)) == (0, a)
    # the implementation at alpha = 2: one-sided difference quotients 2 and 1
    s = 1e-7
    q_left = (impl.elu(np.array([0.0]), 2.0) - impl.elu(np.array([-s]), 2.0))[0] / s
    q_right = (impl.elu(np.array([s]), 2.0) - impl.elu(np.array([0.0]), 2.0))[0] / s
    # difference quotients err by ~alpha s / 2 = 1e-7 (curvature) + rounding 1e-16 / s
    np.testing.assert_allclose([q_left, q_right], [2.0, 1.0], rtol=1e-6, atol=1e-6,
                               err_msg="ELU(alpha = 2) one-sided slopes at 0")
    g = impl.elu_grad(np.array([-1e-12, 1e-12]), 1.0)
    # e^(-1e-12) = 1 - 1e-12: the two sides agree to 1e-11 iff ELU' is continuous at 0
    np.testing.assert_allclose(g, [1.0, 1.0], rtol=1e-11, atol=0,
                               err_msg="ELU(alpha = 1)' is continuous at 0")
    evidence.counterexample("alpha = 2: ELU's one-sided derivatives at 0 are 2 (left) and 1 "
                            "(right), so it is not differentiable there (sympy; difference "
                            f"quotients of the implementation {q_left:.6f}, {q_right:.6f})")
    evidence.note("corrected: differentiable iff alpha = 1; then ELU' is continuous at 0 but "
                  "ELU'' jumps from 1 (left) to 0 (right): C^1, not C^2")


# -- Swish / SiLU versus GeLU ---------------------------------------------------------------
def _bracket(fun, lo_s, hi_s):
    """fun(lo) < 0 < fun(hi), certified (point intervals, 120 bits)."""
    with ivz.precision(120):
        a, b = fun(ivz.I(lo_s)), fun(ivz.I(hi_s))
        return ivz.hi(a) < 0 and ivz.lo(b) > 0


@claim("swish-dips-below-zero-near-minus-1-3", kind="interval")
def test_swish_minimum_certified(impl, evidence):
    s = sig
    dsilu = sp.diff(z * s(z), z)
    hfun = 1 + z * s(-z)
    assert sp.simplify((dsilu - s(z) * hfun).rewrite(sp.exp)) == 0, "SiLU' = sigma(z) h(z)"
    assert sp.simplify((sp.diff(hfun, z) - s(-z) * (1 - z * s(z))).rewrite(sp.exp)) == 0
    # h' = sigma(-z)(1 - z sigma(z)) > 0 for z <= 0 and h(0) = 1: one root z* < 0, h >= 1
    # on z >= 0; at z*, sigma(z*) = 1 + 1/z* so SiLU(z*) = z* + 1
    zs = sp.Symbol("zs", negative=True)
    crit = sp.Eq(1 + zs * (1 - sp.Symbol("S")), 0)
    S_at = sp.solve(crit, sp.Symbol("S"))[0]
    assert sp.simplify(zs * S_at - (zs + 1)) == 0
    h_iv = lambda x: 1 + x * ivz.sigmoid(-x)  # noqa: E731
    assert _bracket(h_iv, "-1.2785", "-1.2784"), "z* not certified in [-1.2785, -1.2784]"
    gelu_grad_iv = ivz.gelu_grad
    assert _bracket(gelu_grad_iv, "-0.7519", "-0.7517"), "GeLU's minimiser not bracketed"
    with ivz.precision(120):
        g_min = ivz.gelu(ivz.I("-0.7519", "-0.7517"))
        g_lo, g_hi = float(ivz.lo(g_min)), float(ivz.hi(g_min))
    zz = np.array([-1.2785, -1.2784])
    d = impl.silu_grad(zz)
    assert d[0] < 0 < d[1], f"implementation's SiLU' does not change sign in the bracket: {d}"
    # -1.27846 is within 4e-5 of z*; SiLU is flat there (SiLU' = 0), so its value is
    # z* + 1 to ~1e-9 and the 5-digit rounding of z* + 1 dominates: atol 2e-5
    np.testing.assert_allclose(impl.silu(np.array([-1.27846])), -0.27846, rtol=0, atol=2e-5,
                               err_msg="SiLU(z*) = z* + 1")
    # SiLU(z) < 0 for every z < 0 (z sigma(z), sigma > 0); in float64 it underflows to -0
    # below z ~ -745, so sample the representable part
    assert np.all(impl.silu(-np.logspace(-300, math.log10(700), 61)) < 0), "SiLU < 0 on z < 0"
    evidence.note("the dip is deepest at z* ~ -1.2785 ('around -1.3'); SiLU is negative on the "
                  "whole half-line z < 0 (e.g. SiLU(-20) = "
                  f"{float(impl.silu(np.array([-20.0]))[0]):.3g}, SiLU(-1e-3) = "
                  f"{float(impl.silu(np.array([-1e-3]))[0]):.3g})")
    evidence.note(f"certified: SiLU' < 0 exactly on (-inf, z*), z* in [-1.2785, -1.2784] "
                  "(mpmath.iv sign change of 1 + z sigmoid(-z), increasing on z <= 0), minimum "
                  f"z* + 1 in [-0.2785, -0.2784]; GeLU's minimiser in [-0.7519, -0.7517], "
                  f"minimum in [{g_lo:.4f}, {g_hi:.4f}]")


def _sup_distance(beta: str, gap: float, z_max: float = 8.0, rounds: int = 16):
    """Certified [lower, upper] for sup_z |z sigma(beta z) - z Phi(z)| (an even function),
    with upper - lower < gap (branch and bound).

    z in [p, q] >= 0: sigma(beta z) - Phi(z) lies in [sigma(beta p) - Phi(q),
    sigma(beta q) - Phi(p)]; times [p, q]. Beyond z_max: |.| <= z e^(-beta z) + phi(z)
    (Mills: z (1 - Phi(z)) <= phi(z)), decreasing there."""
    iv = ivz.iv
    B = iv.mpf(beta)
    cache: dict = {}

    def ends(x):
        if x not in cache:
            X = iv.mpf(x)
            cache[x] = (ivz.sigmoid(B * X), ivz._phi_point(X))
        return cache[x]

    def upper(p, q):
        (sp_, Pp), (sq, Pq) = ends(p), ends(q)
        e = iv.mpf([p, q]) * iv.mpf([ivz.lo(sp_ - Pq), ivz.hi(sq - Pp)])
        return max(abs(float(ivz.lo(e))), abs(float(ivz.hi(e)))) * (1 + 1e-12)

    def at(x):
        s_, P = ends(x)
        e = iv.mpf(x) * (s_ - P)
        return min(abs(float(ivz.lo(e))), abs(float(ivz.hi(e)))) * (1 - 1e-12)

    with ivz.precision(64):
        zm = iv.mpf(z_max)
        tail = float(ivz.hi(zm * iv.exp(-B * zm) + ivz.phi(zm)))
        cells = [(k * z_max / 32, (k + 1) * z_max / 32) for k in range(32)]
        lower = 0.0
        for _ in range(rounds):
            ups = [upper(p, q) for p, q in cells]
            best = cells[int(np.argmax(ups))]
            lower = max(lower, at(best[0]), at(best[1]))
            if max(ups) - lower < gap:
                break
            cells = [half for (p, q), u in zip(cells, ups) if u > lower
                     for half in ((p, (p + q) / 2), ((p + q) / 2, q))]
        up = max(max(upper(p, q) for p, q in cells), tail)
    return lower, up, len(cache)


@claim("named-models-use-gelu", kind="interval", target="counterexample")
@claim("swish-and-gelu-nearly-interchangeable", kind="interval")
def test_silu_gelu_sup_distance_certified(impl, evidence):
    lo1, up1, n1 = _sup_distance("1", gap=2e-3)
    lo2, up2, n2 = _sup_distance("1.702", gap=4e-4)
    assert 0.18 < lo1 <= up1 < 0.2, f"sup |SiLU - GeLU| in [{lo1}, {up1}]"
    assert up2 < 0.021, f"sup |z sigmoid(1.702 z) - GeLU| <= {up2}"
    grid = np.linspace(-10, 10, 20001)
    d_impl = np.max(np.abs(impl.silu(grid) - impl.gelu(grid)))
    # a grid maximum lies below the sup; the grid step 1e-3 misses it by < slope * 1e-3
    assert lo1 - 1e-3 <= d_impl <= up1, f"implementation's max |SiLU - GeLU| = {d_impl}"
    at = float(grid[np.argmax(np.abs(impl.silu(grid) - impl.gelu(grid)))])
    evidence.note(f"certified (mpmath.iv, rigorous Phi): sup_z |SiLU(z) - GeLU(z)| in "
                  f"[{lo1:.5f}, {up1:.5f}] (near |z| = {abs(at):.2f}); "
                  f"sup_z |z sigmoid(1.702 z) - GeLU(z)| in [{lo2:.5f}, {up2:.5f}] "
                  "(branch and bound, "
                  f"{n1} + {n2} rigorous Phi evaluations)")
    evidence.counterexample(f"SiLU is not GeLU: |SiLU(z) - GeLU(z)| reaches {lo1:.4f} "
                            f"(z ~ {abs(at):.2f}), comparable to GeLU's whole negative dip "
                            "(~0.170); the same shape up to rescaling the axes, Swish with "
                            f"beta = 1.702, is within {up2:.4f} of GeLU")


@claim("named-models-use-gelu", kind="sampled", target="counterexample")
def test_named_models_activation_record(impl, evidence):
    # SwiGLU(x) = (SiLU(x W) * (x V)) W2: its non-linearity is SiLU; at z = 2.2 SiLU and
    # GeLU differ by > 0.18 (certified), so "LLaMA uses GeLU" cannot be right
    with ivz.precision(120):
        gap = ivz.silu(ivz.I("2.2")) - ivz.gelu(ivz.I("2.2"))
        assert ivz.hi(gap) < -0.18, f"SiLU(2.2) - GeLU(2.2) = {gap}"
    z0 = np.array([2.2])
    assert impl.silu(z0)[0] - impl.gelu(z0)[0] < -0.18
    evidence.table("Activation of the named model families",
                   ["model", "article", "paper", "source"],
                   [["BERT", "GeLU", "GeLU", "Devlin et al. 2019, §3 (following GPT)"],
                    ["GPT-1/2/3", "GeLU", "GeLU", "Radford et al. 2018 §4.1; GPT-2/3 reuse it"],
                    ["LLaMA", "GeLU", "SwiGLU (SiLU-gated)", "Touvron et al. 2023, §2.2"]])
    evidence.counterexample("LLaMA: the article lists it among GeLU users, but LLaMA replaces "
                            "ReLU by SwiGLU, (SiLU(x W) * x V) W2 (Touvron et al. 2023); SiLU "
                            "is not GeLU: SiLU(2.2) - GeLU(2.2) < -0.18 (certified)")


@claim("output-and-gate-activation-ranges", kind="symbolic")
def test_output_and_gate_ranges_symbolic(impl, evidence, control):
    t = sp.Symbol("t", positive=True)  # t = e^-z ranges over (0, oo)
    j, k = sp.symbols("j k", integer=True, positive=True)
    M = sp.Symbol("M", integer=True, positive=True)
    th = sp.simplify(sp.tanh(-sp.log(t)).rewrite(sp.exp))  # tanh z with t = e^-z
    assert sp.simplify(th - (1 - t**2) / (1 + t**2)) == 0

    def open_range(f, lo, hi):
        """f(t) strictly inside (lo, hi) for every t > 0, with both ends approached (as
        z -> -inf, t -> oo; as z -> +inf, t -> 0): the range is exactly (lo, hi)."""
        assert sp.factor(f - lo).is_positive and sp.factor(hi - f).is_positive, \
            f"{f} not inside ({lo}, {hi})"
        assert {_limit(f, t, sp.oo), _limit(f, t, 0, "+")} == {lo, hi}, f"ends of {f}"

    def derive(stmt):
        (s_lo, s_hi), (t_lo, t_hi), (scores, terms, K_min) = stmt
        open_range(1 / (1 + t), s_lo, s_hi)  # sigmoid = 1 / (1 + e^-z)
        open_range(th, t_lo, t_hi)
        # softmax for any number K >= K_min of classes: p_k = e_k / sum_{j<=K} e_j with
        # e_j = exp(z_j) (any positive reals; ``scores`` says what is normalised)
        K = M + K_min - 1
        e = sp.IndexedBase("e", **{scores: True})
        S = sp.Sum(e[j], (j, 1, terms(K)))
        p_k = e[k] / S
        assert p_k.is_positive, f"p_k = {p_k} not > 0"
        # sum_k p_k = 1: linearity, the sums' dummy index renamed to compare them
        total = linear(sp.Sum(p_k, (k, 1, K))).replace(
            lambda x_: isinstance(x_, sp.Sum), lambda x_: x_.xreplace({x_.limits[0][0]: j}))
        assert sp.simplify(total - 1) == 0, f"sum_k p_k = {total}"
        # p_k < 1: the other K - 1 terms (relabelled f_1..f_{K-1}) have a positive sum
        f = sp.IndexedBase("f", **{scores: True})
        others = sp.Sum(f[j], (j, 1, K - 1))
        assert (1 - e[k] / (e[k] + others)).together().is_positive, "p_k < 1 needs K >= 2"
        # both ends approached: e_k -> oo gives 1, e_k -> 0 gives 0
        x = sp.Symbol("x", positive=True)
        O = sp.Symbol("O", positive=True)
        assert {_limit(x / (x + O), x, sp.oo), _limit(x / (x + O), x, 0, "+")} == {0, 1}

    softmax = ("positive", lambda K: K, 2)
    control(derive, ((0, 1), (-1, 1), softmax), ((0, 1), (0, 1), softmax),
            ((0, 1), (-1, 1), ("positive", lambda K: K - 1, 2)),
            ((0, 1), (-1, 1), ("real", lambda K: K, 2)),
            ((0, 1), (-1, 1), ("positive", lambda K: K, 1)),
            labels=("tanh in (0, 1) (sigmoid's range)",
                    "softmax normalised by the first K - 1 terms (off by one)",
                    "softmax of the raw scores z_k / sum z_j (no exponential)",
                    "open range (0, 1) for K >= 1 (K = 1 gives p = 1)"))
    zs = np.linspace(-30, 30, 61)
    sv, tv = impl.sigmoid(zs), impl.tanh(zs / 2)  # tanh(z) rounds to -+1 beyond |z| ~ 19
    assert np.all((sv > 0) & (sv < 1)) and np.all((tv > -1) & (tv < 1)), "open ranges"
    evidence.note("sympy: sigmoid = 1/(1+t) in (0, 1), tanh = (1 - t^2)/(1 + t^2) in (-1, 1) "
                  "(t = e^-z > 0, both ends approached); for any K (symbolic), softmax "
                  "components e_k / sum_{j<=K} e_j are > 0 and sum to 1, and are < 1 for "
                  "K >= 2 (open simplex; K = 1 gives the probability vector (1)); "
                  "implementation "
                  "strictly inside (sigmoid on [-30, 30], tanh on [-15, 15]; float64 rounds to the "
                  "endpoints beyond)")
