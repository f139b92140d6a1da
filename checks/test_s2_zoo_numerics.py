"""Evidence for §2.4, numerical part: the implementations of the zoo and the figures.

* Stability: every function on arbitrary finite float64 arrays (whole range, subnormals,
  +-max) under ``np.errstate(over/invalid/divide='raise')``, compared with a 50-digit
  mpmath reference.
* Derivatives: each ``*_grad`` against the sympy derivative of the defining formula
  (evaluated at 30 digits) and against a central difference of the implementation.
* Figures: the article's four §2.4 plots, regenerated from the implementations on
  z in [-4, 4]; each check also asserts the features the article reads off the plot.
"""
from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from checks.support import kinks
from checks.support import strategies as S

claim = pytest.mark.claim

# -- references: value and 'scale' (the size of the terms it is computed from) -------------
C_TANH = mpmath.mpf("0.044715")


def _sig(x):
    return 1 / (1 + mpmath.exp(-x))


def _ncdf(x):
    """Phi at 50 digits; beyond |x| = 40 the Mills-ratio value phi(x)/|x| (relative error
    < 1/x^2): there float64 results are 0 or 1 to within 1e-300, so it is ample."""
    if abs(x) <= 40:
        return mpmath.ncdf(x)
    tail = mpmath.npdf(x) / abs(x)
    return 1 - tail if x > 0 else tail


def _gelu_tanh_parts(x):
    c = mpmath.sqrt(2 / mpmath.pi)
    u = c * (x + C_TANH * x ** 3)
    return u, c * (1 + 3 * C_TANH * x ** 2)


def _ref(name, x, alpha):
    """(value, scale) at 50 digits; scale bounds the terms a float evaluation adds up, so
    |impl - value| <= rtol * scale is the right test also near a function's zeros."""
    s = _sig(x)
    if name == "sigmoid":
        return s, s
    if name == "sigmoid_grad":
        return s * _sig(-x), s * _sig(-x)
    if name == "tanh":
        return mpmath.tanh(x), abs(mpmath.tanh(x))
    if name == "tanh_grad":
        return mpmath.sech(x) ** 2, mpmath.sech(x) ** 2
    if name == "relu":
        return max(x, 0), abs(x)
    if name == "relu_grad":
        return mpmath.mpf(1 if x >= 0 else 0), 1
    if name in ("leaky_relu", "prelu"):
        return (x if x >= 0 else alpha * x), abs(x)
    if name in ("leaky_relu_grad", "prelu_grad"):
        return mpmath.mpf(1 if x >= 0 else alpha), 1
    if name == "elu":
        v = x if x > 0 else alpha * mpmath.expm1(x)
        return v, abs(v)
    if name == "elu_grad":
        v = 1 if x > 0 else alpha * mpmath.exp(x)
        return mpmath.mpf(v), abs(v)
    if name == "gelu":
        v = x * _ncdf(x)
        return v, abs(v)
    if name == "gelu_grad":
        return _ncdf(x) + x * mpmath.npdf(x), _ncdf(x) + abs(x) * mpmath.npdf(x)
    if name == "gelu_tanh":
        u, _ = _gelu_tanh_parts(x)
        v = x * _sig(2 * u)  # = 0.5 x (1 + tanh u) without cancellation
        return v, abs(v)
    if name == "gelu_tanh_grad":
        u, du = _gelu_tanh_parts(x)
        t2 = 2 * x * _sig(2 * u) * _sig(-2 * u) * du
        return _sig(2 * u) + t2, _sig(2 * u) + abs(t2)
    if name == "silu":
        return x * s, abs(x * s)
    if name == "silu_grad":
        t2 = x * s * _sig(-x)
        return s + t2, s + abs(t2)
    if name == "prelu_alpha_grad":
        return min(x, 0), abs(x)
    raise KeyError(name)


FUNCS = ["sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "gelu", "gelu_tanh", "silu"]
KINK_BLOCKS = ("relu", "leaky_relu", "prelu", "elu")  # implementations.KINKS
GRADS = [f + "_grad" for f in FUNCS]
ALPHA = {"leaky_relu": (0.01, 0.3, 0.9), "prelu": (0.0, 0.25, 1.0), "elu": (0.5, 1.0, 2.0)}
# true ranges (closed, as float64 may round onto the ends), for any alpha used above
RANGES = {"sigmoid": (0, 1), "sigmoid_grad": (0, 0.25), "tanh": (-1, 1), "tanh_grad": (0, 1),
          "relu_grad": (0, 1), "gelu_grad": (-0.1290, 1.1290), "silu_grad": (-0.0999, 1.0999),
          "gelu_tanh_grad": (-0.1300, 1.1300)}


def _call(impl, name, z, alpha):
    base = name.removesuffix("_grad").removesuffix("_alpha")
    f = getattr(impl, name)
    return f(z, alpha) if base in ALPHA else f(z)


@claim("zoo-implementations-finite-for-every-float", kind="sampled")
@settings(max_examples=20)  # 19 functions x 8 points at 50 digits per example
@given(z=S.activation_inputs(), pick=st.integers(0, 2))
@example(z=np.array(S._S2_SPECIAL), pick=1)  # every break point, on every run
def test_zoo_is_finite_and_accurate_on_every_float(impl, evidence, z, pick):
    worst = 0.0
    if impl.convention("subnormals") == "flushed":
        # a flush-to-zero backend is not probed with subnormal inputs (the flushing is a
        # §7 finding about the framework); its subnormal outputs are compared as 0
        z = z[~((z != 0) & (np.abs(z) < np.finfo(np.float64).tiny))]
        if z.size == 0:
            return
    sub = mpmath.mpf("1e-300") if impl.convention("subnormals") == "honoured" else \
        mpmath.mpf(float(np.finfo(np.float64).tiny))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            for name in FUNCS + GRADS + ["prelu_alpha_grad"]:
                base = name.removesuffix("_grad").removesuffix("_alpha")
                alpha = ALPHA[base][pick] if base in ALPHA else None
                y = np.asarray(_call(impl, name, z, alpha))
                assert y.shape == z.shape, f"{name}: shape {y.shape} != {z.shape}"
                assert np.all(np.isfinite(y)), f"{name}: non-finite output at {z[~np.isfinite(y)]}"
                if name in RANGES:  # up to rounding (1e-15 ~ 4 ulp at 0.25)
                    lo, hi = RANGES[name]
                    assert np.all((y >= lo - 1e-15) & (y <= hi + 1e-15)), \
                        f"{name} outside [{lo}, {hi}]: {y}"
                if base == "elu" and name == "elu":
                    assert np.all(y >= -alpha), "elu below -alpha"
                with mpmath.workdps(50):
                    for zi, yi in zip(z.tolist(), y.tolist()):
                        ref, scale = _ref(name, mpmath.mpf(zi), alpha)
                        if zi == 0 and name.removesuffix("_grad") in KINK_BLOCKS \
                                and name.endswith("_grad"):
                            # no derivative at the kink: the declared one-sided value, or
                            # (undeclared) either one-sided derivative - never another
                            ok = kinks.allowed_values(impl, name.removesuffix("_grad"),
                                                      alpha)
                            ref = min((mpmath.mpf(v) for v in ok),
                                      key=lambda v: abs(mpmath.mpf(yi) - v))
                        err = abs(mpmath.mpf(yi) - ref)
                        # 1e-12: the worst float64 error of these formulas is ~2e-13
                        # relative (exp of an argument z^2/2 or z^3 near the underflow
                        # cliff carries u |argument| <= 1e-13); 1e-300: subnormal outputs
                        tol = mpmath.mpf("1e-12") * scale + sub
                        assert err <= tol, (f"{name}({zi!r}) = {yi!r}, 50-digit value "
                                            f"{mpmath.nstr(ref, 17)} (err {mpmath.nstr(err, 3)})")
                        worst = max(worst, float(err / (scale + mpmath.mpf("1e-300"))))
    evidence.count("input arrays (19 functions each)")
    evidence.worst("error / scale against the 50-digit reference", worst)


@claim("zoo-implementations-finite-for-every-float", kind="sampled")
@settings(max_examples=20)  # 19 functions x 3 shapes per example; cheap, no references
@given(z=S.activation_inputs(), pick=st.integers(0, 2), seed=st.integers(0, 2 ** 32 - 1))
def test_zoo_is_elementwise_on_arrays_of_any_shape(impl, evidence, z, pick, seed):
    # the same numbers as a 2-D batch and a 3-D tensor (in a shuffled order): every
    # function must act entry by entry and keep the shape
    rng = np.random.default_rng(seed)
    flat = np.concatenate([z, rng.permutation(z), -z])
    shapes = [(3, z.size), (z.size, 1, 3)]
    for name in FUNCS + GRADS + ["prelu_alpha_grad"]:
        base = name.removesuffix("_grad").removesuffix("_alpha")
        alpha = ALPHA[base][pick] if base in ALPHA else None
        ref = np.asarray(_call(impl, name, flat, alpha))
        for shape in shapes:
            y = np.asarray(_call(impl, name, flat.reshape(shape), alpha))
            assert y.shape == shape, f"{name}: shape {y.shape} for input of shape {shape}"
            np.testing.assert_array_equal(y.ravel(), ref,
                                          err_msg=f"{name} is not elementwise on {shape}")
    evidence.count("arrays checked as 2-D and 3-D batches (19 functions each)")


def _sym(name, alpha):
    """The defining formula of an activation as a sympy expression in z, by branch."""
    z = sp.Symbol("z", real=True)
    a = sp.nsimplify(alpha) if alpha is not None else None
    s = 1 / (1 + sp.exp(-z))
    Phi = (1 + sp.erf(z / sp.sqrt(2))) / 2
    u = sp.sqrt(2 / sp.pi) * (z + sp.Rational(44715, 10 ** 6) * z ** 3)
    smooth = {"sigmoid": s, "tanh": sp.tanh(z), "gelu": z * Phi,
              "gelu_tanh": z * (1 + sp.tanh(u)) / 2, "silu": z * s}
    if name in smooth:
        return z, smooth[name], smooth[name]
    neg = {"relu": 0 * z, "leaky_relu": a * z if a is not None else None,
           "prelu": a * z if a is not None else None,
           "elu": a * (sp.exp(z) - 1) if a is not None else None}[name]
    return z, z, neg  # (symbol, branch z > 0, branch z < 0)


@claim("zoo-derivatives-match-symbolic-and-finite-differences", kind="sampled")
@pytest.mark.parametrize("name", FUNCS)
def test_grad_matches_sympy_and_finite_differences(impl, evidence, name, rng):
    alphas = [None] if name not in ALPHA else [0.1, 0.5, 2.0] if name == "elu" else [0.05, 0.7]
    z_pts = np.concatenate([rng.uniform(-6, 6, 24), rng.uniform(-30, 30, 8), [-1.3, 1.41]])
    worst_sym = worst_fd = 0.0
    for alpha in alphas:
        z, pos, neg = _sym(name, alpha)
        d_pos = sp.lambdify(z, sp.diff(pos, z), "mpmath")
        d_neg = sp.lambdify(z, sp.diff(neg, z), "mpmath")
        g = _call(impl, name + "_grad", z_pts, alpha)
        with mpmath.workdps(30):
            ref = np.array([float(d_pos(mpmath.mpf(x)) if x > 0 else d_neg(mpmath.mpf(x)))
                            for x in z_pts])
        # derivatives are O(1): 1e-12 relative / 1e-15 absolute is a few hundred ulp
        np.testing.assert_allclose(g, ref, rtol=1e-12, atol=1e-15,
                                   err_msg=f"{name}_grad(alpha={alpha}) != sympy derivative")
        step = 1e-6 * np.maximum(1.0, np.abs(z_pts))
        ok = np.abs(z_pts) > 4 * step  # away from the kinks at 0
        f = lambda x: _call(impl, name, x, alpha)  # noqa: E731
        fd = (f(z_pts + step) - f(z_pts - step)) / (2 * step)
        # central difference: truncation step^2 |f'''| / 6 <= 1e-11, rounding
        # u |f| / step <= 1e-16 * 30 / 1e-6 = 3e-9
        np.testing.assert_allclose(fd[ok], g[ok], rtol=1e-6, atol=1e-7,
                                   err_msg=f"{name}_grad(alpha={alpha}) != finite difference")
        worst_sym = max(worst_sym, float(np.max(np.abs(g - ref))))
        worst_fd = max(worst_fd, float(np.max(np.abs(fd[ok] - g[ok]))))
    evidence.worst("|grad - sympy derivative|", worst_sym, at=name)
    evidence.worst("|grad - central difference|", worst_fd, at=name)


# -- the article's four figures ---------------------------------------------------------
Z = np.linspace(-4, 4, 801)
I0 = 400  # Z[400] = 0
ROWS = ("sigmoid-row-grad-quarter-at-zero-vanishing-tails",
        "tanh-row-grad-one-at-zero-vanishing-tails", "relu-row-grad-one-positive-zero-negative",
        "gelu-row-grad-half-at-zero-smooth")
VARIANTS = ("leaky-relu-has-nonzero-grad-everywhere", "elu-tends-to-minus-alpha-bounded-below",
            "elu-differentiable-everywhere", "swish-dips-below-zero-near-minus-1-3")


def _figure(curves, ylabel, title):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.6, 3.5))
    for (label, y), style in zip(curves, ["-", "--", "-.", ":"]):
        ax.plot(Z, y, style, label=label, lw=1.8)
    ax.axhline(0, color="0.6", lw=0.6)
    ax.axvline(0, color="0.6", lw=0.6)
    ax.set_xlabel("Input z")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    return fig


def _four(impl):
    acts = [("Sigmoid", impl.sigmoid(Z)), ("Tanh", impl.tanh(Z)), ("ReLU", impl.relu(Z)),
            ("GeLU", impl.gelu(Z))]
    grads = [("Sigmoid'", impl.sigmoid_grad(Z)), ("Tanh'", impl.tanh_grad(Z)),
             ("ReLU'", impl.relu_grad(Z)), ("GeLU'", impl.gelu_grad(Z))]
    return acts, grads


def _variants(impl):
    acts = [("ReLU (reference)", impl.relu(Z)),
            ("Leaky ReLU (alpha=0.1)", impl.leaky_relu(Z, 0.1)),
            ("ELU (alpha=1)", impl.elu(Z, 1.0)), ("Swish / SiLU", impl.silu(Z))]
    grads = [("ReLU'", impl.relu_grad(Z)),
             ("Leaky ReLU' (alpha=0.1)", impl.leaky_relu_grad(Z, 0.1)),
             ("ELU' (alpha=1)", impl.elu_grad(Z, 1.0)), ("Swish' / SiLU'", impl.silu_grad(Z))]
    return acts, grads


@claim(*ROWS, kind="figure")
def test_figures_four_activations_and_derivatives(impl, evidence, save_figure):
    acts, grads = _four(impl)
    for label, y in acts + grads:
        assert np.all(np.isfinite(y)), f"{label} not finite on the plot"
    for label, y in acts:  # the article's axis: -1 .. 4
        assert np.all((y >= -1) & (y <= 4)), f"{label} leaves the article's axis [-1, 4]"
    save_figure(_figure(acts, "Activation sigma(z)", "Four activation functions"),
                "s2_activations", "Sigmoid, tanh, ReLU, GeLU on [-4, 4] (article §2.4, figure 1)")
    save_figure(_figure(grads, "Derivative sigma'(z)", "Derivatives of the four activations"),
                "s2_activation_derivatives",
                "Their derivatives (figure 2); GeLU' exceeds 1 and dips below 0 near -+sqrt 2")
    evidence.note("figures 1-2 regenerated from the implementation on 801 points of [-4, 4]")


# each row's own entries, read off the plotted data: sigma'(0), sigma' at z = -4 and 4
ROW_FACTS = {"Sigmoid'": (0.25, lambda lo, hi: lo < 0.02 and hi < 0.02),
             "Tanh'": (1.0, lambda lo, hi: lo < 0.002 and hi < 0.002),
             "ReLU'": (1.0, lambda lo, hi: (lo, hi) == (0.0, 1.0)),
             "GeLU'": (0.5, lambda lo, hi: abs(lo) < 1e-3 and abs(hi - 1) < 1e-3)}


@pytest.mark.parametrize("row", [pytest.param(k, marks=claim(c, kind="sampled")) for k, c in
                                 zip(ROW_FACTS, ROWS)])
def test_table_row_read_off_the_plotted_derivative(impl, evidence, row):
    _, grads = _four(impl)
    y = dict(grads)[row]
    assert Z[I0] == 0.0
    at0, edge_ok = ROW_FACTS[row]
    if row == "ReLU'":  # a convention the implementation declares (the table's is 1)
        at0 = impl.convention("relu_grad_at_0")
    assert float(y[I0]) == at0, f"{row}(0) = {y[I0]}, the table says {at0}"
    assert edge_ok(float(y[0]), float(y[-1])), f"{row} at z = -4, 4: {y[0]}, {y[-1]}"
    evidence.note(f"plotted {row}: value {at0} at 0; {float(y[0]):.4g} at z = -4, "
                  f"{float(y[-1]):.4g} at z = 4")


@claim("leaky-relu-has-nonzero-grad-everywhere", kind="figure")
@claim("elu-tends-to-minus-alpha-bounded-below", kind="figure")
@claim("elu-differentiable-everywhere", kind="figure", target="corrected")
@claim("swish-dips-below-zero-near-minus-1-3", kind="figure")
def test_figures_relu_variants_and_derivatives(impl, evidence, save_figure):
    acts, grads = _variants(impl)
    for label, y in acts + grads:
        assert np.all(np.isfinite(y)), f"{label} not finite on the plot"
    for label, y in acts:
        assert np.all((y >= -1) & (y <= 4)), f"{label} leaves the article's axis [-1, 4]"
    for label, y in grads:  # the article's axis: -0.2 .. 1.2
        assert np.all((y >= -0.2) & (y <= 1.2)), f"{label} leaves the axis [-0.2, 1.2]"
    save_figure(_figure(acts, "Activation sigma(z)", "ReLU-family variants"),
                "s2_relu_variants", "ReLU, Leaky ReLU (0.1), ELU (1), Swish on [-4, 4] (figure 3)")
    save_figure(_figure(grads, "Derivative sigma'(z)", "Derivatives of ReLU-family variants"),
                "s2_relu_variant_derivatives", "Their derivatives (figure 4)")
    evidence.note("figures 3-4 regenerated from the implementation on 801 points of [-4, 4]")


@claim("leaky-relu-has-nonzero-grad-everywhere", kind="sampled")
def test_plotted_leaky_derivative_is_flat_alpha(impl, evidence):
    _, grads = _variants(impl)
    np.testing.assert_array_equal(grads[1][1][Z < 0], 0.1,
                                  err_msg="Leaky ReLU' is the flat line alpha on z < 0")
    evidence.note("plotted Leaky ReLU' (alpha = 0.1): exactly 0.1 on every z < 0")


@claim("elu-tends-to-minus-alpha-bounded-below", kind="sampled")
@claim("elu-differentiable-everywhere", kind="sampled", target="corrected")
def test_plotted_elu_stays_above_minus_one_with_continuous_slope(impl, evidence):
    acts, grads = _variants(impl)
    assert np.all(acts[2][1] > -1), "ELU(alpha=1) stays above -1"
    elu_g = grads[2][1]
    jump = abs(float(elu_g[I0 + 1] - elu_g[I0 - 1]))
    # a continuous slope changes by ~|ELU''| x 0.02 = 0.01 across [-0.01, 0.01]
    assert jump < 0.011, f"ELU'(alpha=1) must be continuous at 0, jumps by {jump} over 0.02"
    evidence.note(f"plotted ELU (alpha = 1) > -1 (min {float(acts[2][1].min()):.4f}); ELU' "
                  f"changes by {jump:.4f} across [-0.01, 0.01]")


@claim("swish-dips-below-zero-near-minus-1-3", kind="sampled")
def test_plotted_swish_dip_and_negative_slope(impl, evidence):
    acts, grads = _variants(impl)
    silu, silu_g = acts[3][1], grads[3][1]
    k = int(np.argmin(silu))
    assert -1.3 < Z[k] < -1.25 and np.min(silu_g) < 0, "SiLU's dip and its negative slope"
    assert np.all(silu[Z < 0] < 0), "SiLU < 0 on the whole negative part of the plot"
    evidence.note(f"plotted SiLU: negative on all z < 0, minimum {float(silu[k]):.4f} at "
                  f"z = {Z[k]:.2f}; SiLU' down to {float(np.min(silu_g)):.4f} at "
                  f"z = {Z[int(np.argmin(silu_g))]:.2f}")
