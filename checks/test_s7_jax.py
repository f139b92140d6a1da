"""Evidence for §7 (JAX): JAX's, flax's and optax's conventions and numerics, on JAX itself.

Like ``test_s7_frameworks.py`` for PyTorch, these checks do not go through ``--impl``: each
asks JAX directly how it computes a block, so they run the same under every
implementation and skip (their claims unverified, "jax not installed") where JAX is
absent - the default ``make test`` does not install it. Each threshold is a float64
number found by bisection, checked at itself, on a grid beyond it and at the float just
inside; the random blocks are tested with the exact tests of ``claimledger/stattests.py``.
Each check is a helper taking the JAX function under test, so
``checks/harness/test_jax_adapter.py`` can show it rejects a function that behaves as
the article does instead.
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimledger.stattests import zero_failures_sample_size

try:
    import jax
    jax.config.update("jax_enable_x64", True)  # float64, as the adapter runs JAX
    jax.config.update("jax_platforms", "cpu")
    import flax.linen as fnn
    import jax.numpy as jnp
    import optax
except ImportError:
    jax = jnp = fnn = optax = None

pytestmark = pytest.mark.skipif(jax is None, reason="jax not installed")
claim = pytest.mark.claim

TINY = float(np.finfo(np.float64).tiny)  # smallest normal float64, 2.2250738585072014e-308


def _down(x: float) -> float:
    return float(np.nextafter(x, 0.0))


def _grad(fn, z) -> np.ndarray:
    """jax.grad of sum(fn(z)) at the float64 points z (fn elementwise)."""
    zj = jnp.asarray(np.atleast_1d(np.asarray(z, dtype=np.float64)))
    return np.asarray(jax.grad(lambda t: jnp.sum(fn(t)))(zj), dtype=np.float64)


def _out(fn, z) -> np.ndarray:
    return np.asarray(fn(jnp.asarray(np.atleast_1d(np.asarray(z, dtype=np.float64)))))


# == conventions ==================================================================================
def check_relu_kink(relu, leaky, prelu) -> None:
    """relu'(+-0) = 0, relu' = 1 on z > 0 and 0 on z < 0; leaky/PReLU' (0) = 1."""
    z = np.array([0.0, -0.0, 1e-300, 1.0, 1e300, -1e-300, -1.0, -1e300])
    np.testing.assert_array_equal(_grad(relu, z), [0, 0, 1, 1, 1, 0, 0, 0],
                                  err_msg="jax.grad(relu): 0 at the kink, else the step")
    np.testing.assert_array_equal(_grad(leaky, [0.0, -1.0]), [1.0, 0.01],
                                  err_msg="leaky_relu': 1 at 0 (z >= 0 branch), alpha below")
    np.testing.assert_array_equal(_grad(prelu, [0.0, -1.0]), [1.0, 0.25],
                                  err_msg="PReLU': 1 at 0 (z >= 0 branch), alpha below")


def _flax_prelu(slope: float):
    mod = fnn.PReLU(param_dtype=jnp.float64)
    return lambda t: mod.apply({"params": {"negative_slope": jnp.float64(slope)}}, t)


@claim("jax-relu-derivative-at-zero-is-zero", kind="sampled", scope="instance")
def test_relu_derivative_at_zero(evidence):
    check_relu_kink(jax.nn.relu, jax.nn.leaky_relu, _flax_prelu(0.25))
    evidence.counterexample("jax.grad(jax.nn.relu)(0.0) = 0.0 (article's table: 1); "
                            "leaky_relu'(0) = PReLU'(0) = 1")


def check_batchnorm_running_stats(bn_step) -> tuple[float, float]:
    """One flax BatchNorm step on {0, 2} from (mean 0, var 1) with flax momentum 0.9; then
    the fixed point of repeated steps. Returns (one-step var, converged var)."""
    x = np.array([[0.0], [2.0]])
    rm, rv = bn_step(x, 0.0, 1.0, 0.9)
    # old value weighted 0.9: mean 0.9*0 + 0.1*1 = 0.1; biased var 1: 0.9*1 + 0.1*1 = 1.0
    np.testing.assert_allclose([rm, rv], [0.1, 1.0], rtol=4e-16, atol=0,
                               err_msg="ra <- m ra + (1 - m) stat, stat = biased variance")
    m, v = 0.0, 5.0
    for _ in range(400):  # 0.9^400 ~ 5e-19: converged to the fixed point in float64
        m, v = bn_step(x, m, v, 0.9)
    np.testing.assert_allclose([m, v], [1.0, 1.0], rtol=1e-15, atol=1e-15,
                               err_msg="running statistics converge to mu_B = 1, biased var 1")
    return rv, v


def _flax_bn_step(x, rm, rv, momentum):
    bn = fnn.BatchNorm(use_running_average=False, momentum=momentum, epsilon=1e-5,
                       param_dtype=jnp.float64)
    _, upd = bn.apply({"params": {"scale": jnp.ones(1), "bias": jnp.zeros(1)},
                       "batch_stats": {"mean": jnp.array([rm]), "var": jnp.array([rv])}},
                      jnp.asarray(x), mutable=["batch_stats"])
    return float(upd["batch_stats"]["mean"][0]), float(upd["batch_stats"]["var"][0])


@claim("flax-batchnorm-tracks-biased-variance-and-momentum-weights-old", kind="sampled")
def test_flax_batchnorm_running_statistics(evidence):
    one, conv = check_batchnorm_running_stats(_flax_bn_step)
    assert fnn.BatchNorm.__dataclass_fields__["momentum"].default == 0.99
    evidence.counterexample(f"batch {{0, 2}}: flax's running_var converges to {conv} "
                            "(biased), PyTorch's and the reference's to 2 (unbiased)")
    evidence.note("flax momentum m weights the old value: PyTorch momentum = 1 - m; "
                  "default m = 0.99")


TRUNC = 2.0 / 0.87962566103423978  # |w| / sigma bound of JAX's truncated "normal"
P_BEYOND = math.erfc(TRUNC / math.sqrt(2.0))  # P(|Z| > TRUNC) for a true normal: 0.0230


def check_truncated_normal(init, rng, evidence, name: str, sigma: float, n: int) -> None:
    """Every |w| <= TRUNC sigma (exact); a true normal would exceed it in n draws with
    probability 1 - (1 - P_BEYOND)^n, the zero-failure test's power."""
    draws = []
    while sum(d.size for d in draws) < n:
        key = jax.random.key(int(rng.integers(0, 2**63 - 1)))
        draws.append(np.asarray(init(key, (200, 100), jnp.float64)).ravel())
    w = np.concatenate(draws)[:n] / sigma
    beyond = int(np.sum(np.abs(w) > TRUNC * (1 + 1e-12)))
    assert beyond == 0, f"{name}: {beyond} weights beyond {TRUNC:.6f} sigma"
    # against the normal hypothesis: zero exceedances in n draws has probability
    # (1 - P_BEYOND)^n, which is the false-pass rate of "it is normal"
    assert (1 - P_BEYOND) ** n < 1e-6
    evidence.note(f"{name}: max |w|/sigma = {np.max(np.abs(w)):.6f} <= {TRUNC:.6f} over "
                  f"{n} draws; a N(0, sigma^2) sample would exceed it {P_BEYOND * n:.0f} "
                  f"times on average (P(none) = {(1 - P_BEYOND) ** n:.2g})")
    # the variance as stated: the sample variance of n >= 2e4 bounded draws has standard
    # deviation <= sqrt(2/n) ~ 1%, so 5% is > 5 standard deviations (Chebyshev on the
    # bounded fourth moment gives a false-fail rate < 1e-6 there too: Var(w^2) <= 2)
    np.testing.assert_allclose(np.var(w), 1.0, rtol=0.05, atol=0,
                               err_msg=f"{name}: variance sigma^2 as stated (5% at n={n})")


@claim("jax-glorot-and-he-normal-are-truncated-normals", kind="statistical")
def test_glorot_and_he_normal_are_truncated(evidence, rng):
    n = zero_failures_sample_size(P_BEYOND, false_pass_rate=1e-6)
    n = max(n, 20_000)  # the variance assertion's 5% needs ~2e4 draws (sd ~1%)
    I = jax.nn.initializers
    check_truncated_normal(I.glorot_normal(in_axis=-1, out_axis=-2), rng, evidence,
                           "glorot_normal", math.sqrt(2.0 / 300), n)
    check_truncated_normal(I.he_normal(in_axis=-1, out_axis=-2), rng, evidence,
                           "he_normal", math.sqrt(2.0 / 100), n)
    evidence.counterexample(f"glorot_normal/he_normal never exceed {TRUNC:.4f} sigma; a "
                            f"normal does so with probability {P_BEYOND:.4f}")


def check_dropout_inverted(drop_train, drop_eval, rng, p: float, n: int) -> int:
    h = np.linspace(1.0, 2.0, n)
    key = jax.random.key(int(rng.integers(0, 2**63 - 1)))
    out = np.asarray(drop_train(p, jnp.asarray(h), key))
    kept = out != 0
    np.testing.assert_allclose(out[kept], h[kept] / (1 - p), rtol=4e-16, atol=0,
                               err_msg="kept units are h / (1 - p) (inverted dropout)")
    np.testing.assert_array_equal(np.asarray(drop_eval(p, jnp.asarray(h))), h,
                                  err_msg="inference output is h unchanged")
    return int(kept.sum())


def _flax_drop_train(p, h, key):
    return fnn.Dropout(rate=p, deterministic=False).apply({}, h, rngs={"dropout": key})


def _flax_drop_eval(p, h):
    return fnn.Dropout(rate=p, deterministic=True).apply({}, h)


@claim("flax-dropout-is-inverted", kind="sampled")
def test_flax_dropout_is_inverted(evidence, rng):
    kept = check_dropout_inverted(_flax_drop_train, _flax_drop_eval, rng, 0.3, 2000)
    evidence.note(f"p = 0.3: {kept}/2000 kept, each equal to h/(1 - p) to one rounding; "
                  "inference returns h")


# == numerics ====================================================================================
SATURATION = {  # name -> (function, first float where jax.grad's derivative is 0, sides)
    "sigmoid": (lambda: jax.nn.sigmoid, 36.73680056967711, (1,)),
    "tanh": (lambda: jnp.tanh, 20.0, (1, -1)),
    "elu": (lambda: jax.nn.elu, 37.42994775023705, (-1,)),
}


def _true_derivative(name: str, z: float):
    with mpmath.workdps(30):
        x = mpmath.mpf(z)
        if name == "sigmoid":
            return mpmath.exp(-x) / (1 + mpmath.exp(-x)) ** 2
        if name == "tanh":
            return mpmath.sech(x) ** 2
        return mpmath.exp(x)


def check_saturated_zero(fns: dict) -> list[list]:
    rows = []
    for name, (fn, t, sides) in SATURATION.items():
        f = fns[name]
        for s in sides:
            grid = s * np.concatenate([[t], t + np.geomspace(1e-6, 600, 40)])
            assert np.all(_grad(f, grid) == 0), f"{name}' = 0 from {s * t}"
            below = _grad(f, s * _down(t))[0]
            assert below > 0, f"{name}' > 0 just inside {s * t}"
        true = _true_derivative(name, sides[0] * t)
        assert true > 0
        rows.append([name, f"{sides[0] * t!r}", f"{below:.3g}", mpmath.nstr(true, 4)])
    return rows


@claim("jax-grad-saturated-derivatives-are-exactly-zero", kind="sampled")
def test_saturated_derivatives_are_exactly_zero(evidence):
    rows = check_saturated_zero({k: v[0]() for k, v in SATURATION.items()})
    # between 19.07 and 20, tanh' is 1 - y^2 with y one ulp below 1: 34x the true value
    t = _grad(jnp.tanh, 19.5)[0]
    true = float(_true_derivative("tanh", 19.5))
    assert 30 * true < t < 1.6e-15, f"tanh'(19.5) = {t}, true {true}"
    evidence.table("first float where jax.grad's derivative is exactly 0 (float64)",
                   ["function", "z (and beyond)", "derivative at the float inside",
                    "true derivative at z"], rows)
    evidence.counterexample("jax.grad(jax.nn.sigmoid)(40.) = 0 (true 4.25e-18); "
                            "jax.grad(jax.nn.elu)(-40.) = 0 (true 4.25e-18); "
                            f"tanh'(19.5) = {t:.4g} (true 4.6e-17)")


@claim("jax-grad-saturated-derivatives-are-exactly-zero", kind="sampled")
@given(z=st.floats(36.73680056967711, 1e300))
def test_sigmoid_derivative_zero_beyond_threshold(evidence, z):
    assert _grad(jax.nn.sigmoid, z)[0] == 0.0
    evidence.count("z >= 36.7368: jax.grad sigmoid'(z) = 0 exactly")


def check_flush_to_zero(mul, relu, leaky_grad, xlogy) -> None:
    assert float(mul(1e-300, 1e-10)) == 0.0, "subnormal product flushed (true 1e-310)"
    assert float(mul(TINY, 1.0)) == TINY, "the smallest normal survives"
    assert float(relu(1e-310)) == 0.0, "relu(1e-310) flushed (true 1e-310)"
    assert float(relu(TINY)) == TINY
    assert float(leaky_grad(-1e-310)) == 1.0, "subnormal input read as 0: z >= 0 branch"
    assert float(leaky_grad(-TINY)) == 0.01
    assert math.isinf(float(-xlogy(1.0, 5e-324))), "-log(5e-324) = 744.44 lost to inf"


@claim("jax-cpu-flushes-subnormals-to-zero", kind="sampled", scope="instance")
def test_cpu_backend_flushes_subnormals(evidence):
    assert jax.default_backend() == "cpu"
    check_flush_to_zero(lambda a, b: jnp.float64(a) * jnp.float64(b),
                        lambda z: jax.nn.relu(jnp.float64(z)),
                        lambda z: jax.grad(jax.nn.leaky_relu)(jnp.float64(z)),
                        lambda y, p: jax.scipy.special.xlogy(jnp.float64(y), jnp.float64(p)))
    t = 708.3964185322642
    assert _grad(jax.nn.sigmoid, -t)[0] == 0.0 and _grad(jax.nn.sigmoid, -_down(t))[0] > 0
    evidence.counterexample("1e-300 * 1e-10 = 0 in JAX (CPU); relu(1e-310) = 0; "
                            "leaky_relu'(-1e-310) = 1 instead of alpha; -xlogy(1, 5e-324) = "
                            "inf instead of 744.44; sigmoid'(z) = 0 for z <= -708.3964")


GELU_TANH_ZERO = -7.345329488481829


def _gelu_tanh_exact(x):
    c, k = mpmath.sqrt(2 / mpmath.pi), mpmath.mpf("0.044715")
    u, du = c * (x + k * x**3), c * (1 + 3 * k * x**2)
    s = 1 / (1 + mpmath.exp(-2 * u))
    return x * s, s + 2 * x * s * (1 - s) * du


def check_gelu_tanh_tail(f) -> list[list]:
    grid = GELU_TANH_ZERO - np.geomspace(1e-6, 1e3, 40)
    assert np.all(_out(f, np.concatenate([[GELU_TANH_ZERO], grid])) == 0), "0 from -7.3453"
    assert np.all(_grad(f, np.concatenate([[GELU_TANH_ZERO], grid])) == 0)
    inside = -_down(-GELU_TANH_ZERO)
    assert _out(f, inside)[0] < 0, "negative just inside the threshold"
    rows = []
    with mpmath.workdps(40):
        for z in (-4.0, -6.0, -7.0):
            v, d = _gelu_tanh_exact(mpmath.mpf(z))
            rv = float(abs((_out(f, z)[0] - v) / v))
            rd = float(abs((_grad(f, z)[0] - d) / d))
            rows.append([z, f"{rv:.2g}", f"{rd:.2g}"])
    assert float(rows[1][1]) > 1e-7 and float(rows[2][1]) > 1e-2, "cancellation at -6, -7"
    return rows


@claim("jax-gelu-tanh-left-tail-cancels", kind="sampled")
def test_gelu_tanh_left_tail_cancels(evidence):
    rows = check_gelu_tanh_tail(lambda t: jax.nn.gelu(t, approximate=True))
    # the exact GeLU does not cancel: z Phi(z) at z = -36 to 1e-12 relative
    with mpmath.workdps(40):
        true = -36 * mpmath.ncdf(-36)
    got = _out(lambda t: jax.nn.gelu(t, approximate=False), -36.0)[0]
    assert abs((got - true) / true) < 1e-12, f"exact gelu(-36) = {got}, true {true}"
    evidence.table("relative error of jax.nn.gelu(approximate=True) and its derivative",
                   ["z", "value", "derivative"], rows)
    evidence.counterexample(f"jax.nn.gelu(z, approximate=True) = 0 for z <= {GELU_TANH_ZERO!r}; "
                            f"relative error {rows[1][1]} at z = -6")


GELU_TANH_NAN = 7.741001517595157e153


@claim("jax-gelu-tanh-derivative-nan-for-huge-inputs", kind="sampled")
def test_gelu_tanh_derivative_nan(evidence):
    f = lambda t: jax.nn.gelu(t, approximate=True)  # noqa: E731
    for s in (1, -1):
        grid = s * np.concatenate([[GELU_TANH_NAN], GELU_TANH_NAN * np.geomspace(1, 2e154, 20)])
        grid = grid[np.isfinite(grid)]
        assert np.all(np.isnan(_grad(f, grid))), f"NaN from {s * GELU_TANH_NAN}"
        assert np.isfinite(_grad(f, s * _down(GELU_TANH_NAN))[0])
    evidence.counterexample(f"jax.grad(gelu_tanh)({GELU_TANH_NAN!r}) = NaN (true -> 1)")


def check_log1p_error(log1p) -> list[list]:
    rows = []
    with mpmath.workdps(40):
        for x in (-0.40401996611839575, -0.414195):
            true = mpmath.log1p(mpmath.mpf(x))
            got = float(log1p(x))
            rel = float(abs((got - true) / true))
            assert rel > 1e-14, f"log1p({x!r}) within 1e-14 (relative {rel:.3g})"
            ref = float(abs((math.log1p(x) - true) / true))
            assert ref <= 2.3e-16, f"math.log1p within 1 ulp here ({ref:.3g})"
            rows.append([x, repr(got), mpmath.nstr(true, 17), f"{rel:.2g}"])
    return rows


@claim("jax-log1p-loses-digits-near-minus-0-41", kind="sampled")
def test_log1p_error_near_minus_0_41(evidence):
    rows = check_log1p_error(lambda x: jnp.log1p(jnp.float64(x)))
    evidence.table("jnp.log1p on the CPU backend vs 40-digit values",
                   ["x", "jnp.log1p", "true", "relative error"], rows)
    evidence.counterexample(f"jnp.log1p(-0.40401996611839575) = {rows[0][1]} (relative "
                            f"error {rows[0][3]})")


NORM_INF = 1.3407807929942597e154
NORM_ZERO = 1.4916681462400413e-154


def check_global_norm(global_norm, clip) -> None:
    assert math.isinf(global_norm([np.array([NORM_INF])])), "norm inf from 1.3408e154"
    assert global_norm([np.array([_down(NORM_INF)])]) == _down(NORM_INF)
    assert global_norm([np.array([_down(NORM_ZERO)])]) == 0.0, "squares underflow to 0"
    assert global_norm([np.array([NORM_ZERO])]) > 0
    g = [np.array([1e200, 1e200])]
    assert math.isinf(global_norm(g))
    out = clip(g, 1.0)
    np.testing.assert_array_equal(out[0], [0.0, 0.0], err_msg="finite gradient zeroed")
    # below the overflow the factor is exactly tau / ||g|| (no epsilon): (3, 4) -> (0.6, 0.8)
    np.testing.assert_allclose(clip([np.array([3.0, 4.0])], 1.0)[0], [0.6, 0.8], rtol=2.3e-16,
                               atol=0, err_msg="clip scales by tau / ||g|| exactly")


def _optax_clip(g, tau):
    tx = optax.clip_by_global_norm(tau)
    arrs = [jnp.asarray(a) for a in g]
    return [np.asarray(c) for c in tx.update(arrs, tx.init(arrs))[0]]


@claim("optax-global-norm-overflows-and-clip-zeroes-finite-gradients", kind="sampled")
def test_optax_global_norm_overflow(evidence):
    check_global_norm(lambda g: float(optax.global_norm([jnp.asarray(a) for a in g])),
                      _optax_clip)
    evidence.counterexample(f"optax.global_norm([{NORM_INF!r}]) = inf; clip_by_global_norm "
                            "maps (1e200, 1e200) to (0, 0) (true norm 1.414e200)")


def check_kl_nan(kl) -> None:
    assert math.isnan(kl(np.array([0.0, 1.0]), np.array([0.0, 1.0]))), "KL(p||p) = NaN"
    assert math.isinf(kl(np.array([0.5, 0.5]), np.array([0.0, 1.0]))), "q = 0 < p: +inf"
    assert kl(np.array([0.25, 0.75]), np.array([0.25, 0.75])) == 0.0


@claim("optax-kl-divergence-is-nan-where-p-and-q-both-vanish", kind="sampled", scope="instance")
def test_optax_kl_nan(evidence):
    check_kl_nan(lambda p, q: float(optax.kl_divergence(jnp.log(jnp.asarray(q)),
                                                        jnp.asarray(p))))
    evidence.counterexample("optax.kl_divergence(log (0, 1), (0, 1)) = NaN (Gibbs: 0)")


def _two_pass(x, eps):
    """Float64 reference (two-pass variance) for the BN check, with mpmath verification."""
    with mpmath.workdps(50):
        xs = [mpmath.mpf(float(v)) for v in x]
        mu = sum(xs) / len(xs)
        var = sum((v - mu) ** 2 for v in xs) / len(xs)
        return [float((v - mu) / mpmath.sqrt(var + mpmath.mpf(eps))) for v in xs]


def check_fast_variance(bn, offsets=(1e4, 1e5)) -> list[list]:
    base = np.array([0.0, 1e-3, 2e-3])
    rows = []
    for off in offsets:
        x = base + off
        got = bn(x, 1e-5)
        true = _two_pass(x, 1e-5)
        rel = abs(got[0] - true[0]) / abs(true[0])
        rows.append([off, got[0], true[0], f"{rel:.2g}"])
        assert rel > 1e3 * 2.2e-16, f"offset {off}: fast variance should cancel"
    return rows


def _flax_bn(x, eps, fast=True):
    bn = fnn.BatchNorm(use_running_average=False, epsilon=eps, param_dtype=jnp.float64,
                       use_fast_variance=fast)
    y, _ = bn.apply({"params": {"scale": jnp.ones(1), "bias": jnp.zeros(1)},
                     "batch_stats": {"mean": jnp.zeros(1), "var": jnp.ones(1)}},
                    jnp.asarray(x).reshape(-1, 1), mutable=["batch_stats"])
    return np.asarray(y).ravel()


def _flax_ln(x, eps, fast=True):
    ln = fnn.LayerNorm(epsilon=eps, param_dtype=jnp.float64, use_fast_variance=fast)
    return np.asarray(ln.apply({"params": {"scale": jnp.ones(x.size), "bias":
                                           jnp.zeros(x.size)}}, jnp.asarray(x))).ravel()


@claim("flax-fast-variance-cancels-under-large-offsets", kind="sampled")
def test_flax_fast_variance_cancels(evidence):
    rows = check_fast_variance(_flax_bn)
    check_fast_variance(_flax_ln)
    np.testing.assert_allclose(rows[0][1], -0.3061304653352215, rtol=1e-9, atol=0,
                               err_msg="the stated BatchNorm output at offset 1e4")
    # the two-pass variance (use_fast_variance=False) does not cancel
    x = np.array([0.0, 1e-3, 2e-3]) + 1e5
    # (float64 centring of values 1e-3 apart near 1e5 costs ~u * 1e5 / 1e-3 ~ 1e-8 relative)
    np.testing.assert_allclose(_flax_bn(x, 1e-5, fast=False), _two_pass(x, 1e-5), rtol=1e-7,
                               atol=1e-8, err_msg="use_fast_variance=False: two-pass")
    y = _flax_bn(np.array([0.0, 1e-3, 2e-3]) + 1e6, 1e-9)
    assert abs(y[0] - _two_pass(np.array([0.0, 1e-3, 2e-3]) + 1e6, 1e-9)[0]) > 0.5
    evidence.table("flax BatchNorm of 1e-3 * (0, 1, 2) + offset, eps = 1e-5: first output",
                   ["offset", "flax", "two-pass (50 digits)", "relative error"], rows)
    evidence.counterexample(f"offset 1e4: flax {rows[0][1]!r} vs {rows[0][2]!r}")

