"""Evidence for §7 (Keras 3): Keras' conventions and numerics, on Keras itself.

Like ``test_s7_frameworks.py`` (PyTorch) and ``test_s7_jax.py``, these checks do not go
through ``--impl``: each asks Keras directly (KERAS_BACKEND=torch, as the adapter runs
it) how it computes a block, so they run the same under every implementation and skip
(their claims unverified, "keras not installed") where Keras is absent. Each check is a
helper taking the Keras function under test, so ``checks/harness/test_keras_adapter.py``
can show it rejects a function that behaves as the article (or the reference) does.
"""
from __future__ import annotations

import math
import os
import sys

import numpy as np
import pytest

from claimledger.stattests import binomial_one_sided, binomial_one_sided_sample_size

try:
    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = "torch"  # the adapter's backend (before the import)
    import keras
    import torch
    from keras import ops
    from keras.src.optimizers.base_optimizer import global_norm as _global_norm
    if keras.backend.backend() != "torch":  # pragma: no cover - another backend loaded first
        raise ImportError("keras is loaded on another backend")
    torch.set_num_threads(1)
except ImportError:
    keras = torch = ops = _global_norm = None

pytestmark = pytest.mark.skipif(keras is None, reason="keras not installed")
claim = pytest.mark.claim

F64 = "float64"
U32 = 2.0**-24  # unit roundoff of float32


def _np(t) -> np.ndarray:
    return t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)


def _t(x) -> "torch.Tensor":
    return torch.tensor(np.asarray(x, dtype=np.float64))


def float32_valued(t) -> bool:
    """The result is float32, or every entry is a float32 number (computed in float32)."""
    a = _np(t)
    return a.dtype == np.float32 or bool(np.all(a.astype(np.float32).astype(a.dtype) == a))


# == precision ====================================================================================
# float64 inputs whose results are not float32 numbers (so float32 arithmetic shows)
X = np.array([[1.0 + 2.0**-30, 0.3, -0.7], [0.1, 2.0 + 2.0**-40, 0.45],
              [-0.2, 0.9, 1.0 / 3.0]])
W = np.array([[0.7, -0.3], [0.11, 0.5], [1.0 / 7.0, 0.2]])


def _dense(x):
    d = keras.layers.Dense(2, dtype=F64)
    d.build((None, 3))
    d.kernel.assign(W)
    return d(_t(x))


def _bn(training):
    def f(x):
        bn = keras.layers.BatchNormalization(dtype=F64)
        bn.build((None, x.shape[1]))
        return bn(_t(x), training=training)
    return f


def _layer(cls):
    def f(x):
        layer = cls(dtype=F64)
        layer.build((None, x.shape[1]))
        return layer(_t(x))
    return f


def _loss(cls, **kw):
    return lambda x: cls(dtype=F64, **kw)(_t(np.clip(x, 0.05, 0.95)),
                                          _t(np.clip(x[::-1], 0.05, 0.95)))


def _sgd(x):
    """The learning rate SGD applies: (0 - v_1) / g for g of powers of two (exact)."""
    g = np.array([1.0, 2.0, 0.5])
    v = keras.Variable(np.zeros(3), dtype=F64)
    keras.optimizers.SGD(learning_rate=0.1).apply_gradients([(_t(g), v)])
    return -v.value / _t(g)


def _clip_factor(x):
    """The factor global_clipnorm = 0.5 applies to g = (1, 2, 2) (norm 3, factor 1/6):
    read off exactly, the entries being powers of two."""
    g = [_t([1.0, 2.0, 2.0])]
    v = [keras.Variable(np.zeros(3), dtype=F64)]
    keras.optimizers.SGD(learning_rate=1.0, global_clipnorm=0.5).apply_gradients(zip(g, v))
    return -v[0].value / g[0]


DEMOTED = {  # Keras call on float64 input -> its result
    "ops.matmul": lambda x: ops.matmul(_t(x), _t(W)),
    "layers.Dense(dtype=float64)": _dense,
    "layers.BatchNormalization (training)": _bn(True),
    "layers.BatchNormalization (inference)": _bn(False),
    "layers.LayerNormalization": _layer(keras.layers.LayerNormalization) if keras else None,
    "layers.RMSNormalization": _layer(keras.layers.RMSNormalization) if keras else None,
    "losses.MeanSquaredError": _loss(keras.losses.MeanSquaredError) if keras else None,
    "losses.MeanAbsoluteError": _loss(keras.losses.MeanAbsoluteError) if keras else None,
    "losses.BinaryCrossentropy": _loss(keras.losses.BinaryCrossentropy) if keras else None,
    "losses.CategoricalCrossentropy": (lambda x: keras.losses.CategoricalCrossentropy(
        dtype=F64)(_t(np.eye(3)), _t(np.exp(x) / np.exp(x).sum(1, keepdims=True))))
    if keras else None,
    "optimizers.SGD update (eta = 0.1)": _sgd,
    "global_clipnorm factor": _clip_factor,
}
KEPT = {  # elementwise activations and the softmax family keep float64
    "activations.sigmoid": lambda x: keras.activations.sigmoid(_t(x)),
    "activations.tanh": lambda x: keras.activations.tanh(_t(x)),
    "activations.gelu": lambda x: keras.activations.gelu(_t(x), approximate=False),
    "ops.softmax": lambda x: ops.softmax(_t(x)),
    "ops.log_softmax": lambda x: ops.log_softmax(_t(x)),
}


def check_demotion(demoted: dict, kept: dict) -> list[list]:
    """Every call of ``demoted`` returns a float32 or float32-valued result on X, every
    call of ``kept`` a float64 one that is not (so the test can tell them apart)."""
    assert keras.backend.result_type("float64", "float64") == "float32"
    rows = []
    for name, f in demoted.items():
        out = f(X)
        assert float32_valued(out), f"{name}: float64 result on float64 input"
        rows.append([name, str(_np(out).dtype), "float32-valued"])
    for name, f in kept.items():
        out = f(X)
        assert _np(out).dtype == np.float64 and not float32_valued(out), \
            f"{name}: expected float64 arithmetic"
        rows.append([name, "float64", "float64"])
    return rows


@claim("keras-float64-inputs-computed-in-float32", kind="sampled")
def test_float64_is_demoted_to_float32(evidence):
    rows = check_demotion(DEMOTED, KEPT)
    exact = float(np.float64(1.0 + 2.0**-30) * 0.7 + 0.3 * 0.11 - 0.7 / 7.0)
    got = float(_np(ops.matmul(_t(X), _t(W)))[0, 0])
    assert abs(got - exact) > 1e-10 * abs(exact), "ops.matmul in float64 after all"
    step = float(_np(_sgd(X))[0])
    assert step == float(np.float32(0.1)) != 0.1, f"SGD's eta is {step!r}"
    evidence.table("Keras calls on float64 input (layers built with dtype='float64')",
                   ["call", "result dtype", "values"], rows)
    evidence.counterexample(f"keras.backend.result_type('float64', 'float64') = 'float32'; "
                            f"ops.matmul row 0, column 0 = {got!r} vs {exact!r}; SGD's "
                            f"learning rate 0.1 applied as {step!r} (float32)")


# == conventions ==================================================================================
def _grad(fn, z) -> np.ndarray:
    x = _t(np.atleast_1d(z)).requires_grad_(True)
    (g,) = torch.autograd.grad(fn(x).sum(), x)
    return _np(g)


def _prelu(alpha):
    def f(x):
        layer = keras.layers.PReLU(dtype=F64)
        layer.build((None, *x.shape))
        layer.alpha.assign(np.full(tuple(x.shape), alpha))
        return layer(x[None])[0]
    return f


def check_kinks(relu, leaky, elu, prelu) -> None:
    """relu'(0) = 0; leaky'(0) = elu'(0) = alpha (the left derivatives); PReLU'(0) = 0;
    away from 0 each has its one-sided derivative."""
    z = np.array([0.0, -0.0, 1e-300, 2.0, -1e-300, -2.0])
    np.testing.assert_array_equal(_grad(relu, z), [0, 0, 1, 1, 0, 0], err_msg="relu'")
    np.testing.assert_array_equal(_grad(leaky, [0.0, 1.0, -1.0]), [0.3, 1.0, 0.3],
                                  err_msg="leaky_relu' (alpha 0.3): alpha at 0")
    np.testing.assert_array_equal(_grad(elu, [0.0, 1.0]), [0.5, 1.0],
                                  err_msg="elu' (alpha 0.5): alpha at 0")
    np.testing.assert_array_equal(_grad(prelu, [0.0, -0.0, 1.0, -1.0]), [0.0, 0.0, 1.0, 0.25],
                                  err_msg="PReLU' (alpha 0.25): 0 at 0")


@claim("keras-kinks-take-the-left-derivative-and-prelu-is-dead-at-zero", kind="sampled")
def test_keras_kinks(evidence):
    check_kinks(keras.activations.relu,
                lambda t: keras.activations.leaky_relu(t, negative_slope=0.3),
                lambda t: keras.activations.elu(t, alpha=0.5), _prelu(0.25))
    layer = keras.layers.PReLU(dtype=F64)
    layer.build((None, 1))
    layer.alpha.assign(np.array([0.25]))
    (ga,) = torch.autograd.grad(layer(_t([[0.0]])).sum(), layer.alpha.value)
    assert float(_np(ga)[0]) == 0.0
    evidence.counterexample("keras.layers.PReLU at z = 0: derivative 0 (relu(z) - alpha "
                            "relu(-z)), neither alpha nor 1; relu'(0) = 0, leaky/elu'(0) = "
                            "alpha")


def check_batchnorm_running_stats(bn_step) -> tuple[float, float]:
    """One step on {0, 2} from (mean 0, var 1) with Keras momentum 0.9, then the fixed
    point of repeated steps. Returns (one-step var, converged var)."""
    x = np.array([[0.0], [2.0]])
    rm, rv = bn_step(x, 0.0, 1.0, 0.9)
    # float32 inside Keras (keras-float64-inputs-computed-in-float32): 4 u32 tolerance
    np.testing.assert_allclose([rm, rv], [0.1, 1.0], rtol=4 * U32, atol=0,
                               err_msg="moving <- m moving + (1 - m) stat, biased variance")
    m, v = 0.0, 5.0
    for _ in range(300):  # 0.9^300 ~ 2e-14
        m, v = bn_step(x, m, v, 0.9)
    np.testing.assert_allclose([m, v], [1.0, 1.0], rtol=8 * U32, atol=8 * U32,
                               err_msg="moving statistics converge to mu_B = 1, biased var 1")
    return rv, v


def _keras_bn_step(x, rm, rv, momentum):
    bn = keras.layers.BatchNormalization(momentum=momentum, epsilon=1e-5, dtype=F64)
    bn.build((None, 1))
    bn.moving_mean.assign(np.array([rm]))
    bn.moving_variance.assign(np.array([rv]))
    bn(_t(x), training=True)
    return float(_np(bn.moving_mean.value)[0]), float(_np(bn.moving_variance.value)[0])


@claim("keras-batchnorm-tracks-biased-variance-and-momentum-weights-old", kind="sampled")
def test_keras_batchnorm_running_statistics(evidence):
    _, conv = check_batchnorm_running_stats(_keras_bn_step)
    assert keras.layers.BatchNormalization().momentum == 0.99
    evidence.counterexample(f"batch {{0, 2}}: Keras' moving_variance converges to {conv:.7g} "
                            "(biased), PyTorch's and the reference's to 2 (unbiased)")
    evidence.note("Keras momentum m weights the old value: PyTorch momentum = 1 - m; "
                  "default m = 0.99")


TRUNC = 2.0 / 0.87962566103423978  # |w| / sigma bound of a truncated "normal"
P_BEYOND = math.erfc(TRUNC / math.sqrt(2.0))  # P(|Z| > TRUNC) for a true normal: 0.0230
P_MISS4 = math.erfc(2.0 / math.sqrt(2.0)) ** 4  # all four of Keras' draws outside (-2, 2)


def check_truncated_normal(make_init, rng, evidence, name: str, sigma: float,
                           n: int) -> tuple[int, int]:
    """|w| > TRUNC sigma at a rate below 1 % (a normal: 2.30 %; Keras' torch backend: the
    rate P_MISS4 = 4.3e-6 at which its four candidate draws all miss (-2, 2)), by the exact
    one-sided binomial test at alpha 1e-6; variance sigma^2 within 5 %. Returns (weights
    beyond, n)."""
    draws = []
    while sum(d.size for d in draws) < n:
        init = make_init(int(rng.integers(0, 2**31 - 1)))
        draws.append(_np(init(shape=(100, 200), dtype=F64)).ravel())
    w = np.concatenate(draws)[:n] / sigma
    beyond = int(np.sum(np.abs(w) > TRUNC * (1 + 1e-12)))
    out = binomial_one_sided(beyond, n, 0.01, alternative="less", false_fail_rate=1e-6,
                             effect=0.01 - P_MISS4)
    out.assert_ok(f"{name}: |w| > {TRUNC:.4f} sigma less often than 1 %")
    # sd of the sample variance ~ sqrt(2/n) <= 1 % at n >= 2e4: 5 % is > 5 sd
    np.testing.assert_allclose(np.var(w), 1.0, rtol=0.05, atol=0,
                               err_msg=f"{name}: variance sigma^2 as stated")
    evidence.note(f"{name}: {beyond} of {n} draws beyond {TRUNC:.6f} sigma (a normal: "
                  f"{P_BEYOND * n:.0f} expected; Keras' four-draw truncation: "
                  f"{P_MISS4 * n:.2g}); {out.evidence()}")
    return beyond, n


@claim("keras-glorot-and-he-normal-are-truncated-normals", kind="statistical")
def test_glorot_and_he_normal_are_truncated(evidence, rng):
    n = max(binomial_one_sided_sample_size(0.01, P_MISS4), 20_000)
    I = keras.initializers
    # Keras' kernel layout (fan_in, fan_out) = (100, 200)
    check_truncated_normal(lambda s: I.GlorotNormal(seed=s), rng, evidence, "GlorotNormal",
                           math.sqrt(2.0 / 300), n)
    check_truncated_normal(lambda s: I.HeNormal(seed=s), rng, evidence, "HeNormal",
                           math.sqrt(2.0 / 100), n)
    evidence.counterexample(f"GlorotNormal/HeNormal exceed {TRUNC:.4f} sigma with "
                            f"probability {P_MISS4:.2g} (four candidates all outside "
                            f"(-2, 2)); a normal does so with probability {P_BEYOND:.4f}")


def check_dropout_inverted(drop_train, drop_eval, rng, p: float, n: int) -> int:
    h = np.linspace(1.0, 2.0, n)
    out = _np(drop_train(p, _t(h), int(rng.integers(0, 2**31 - 1))))
    kept = out != 0
    assert 0 < kept.sum() < n
    np.testing.assert_allclose(out[kept], h[kept] / (1 - p), rtol=4e-16, atol=0,
                               err_msg="kept units are h / (1 - p) (inverted dropout)")
    np.testing.assert_array_equal(_np(drop_eval(p, _t(h))), h,
                                  err_msg="inference output is h unchanged")
    return int(kept.sum())


def _keras_drop_train(p, h, seed):
    return keras.layers.Dropout(p, seed=seed, dtype=F64)(h, training=True)


def _keras_drop_eval(p, h):
    return keras.layers.Dropout(p, dtype=F64)(h, training=False)


@claim("keras-dropout-is-inverted", kind="sampled")
def test_keras_dropout_is_inverted(evidence, rng):
    kept = check_dropout_inverted(_keras_drop_train, _keras_drop_eval, rng, 0.3, 2000)
    evidence.note(f"p = 0.3: {kept}/2000 kept, each equal to h/(1 - p) to one rounding; "
                  "inference returns h")


def check_epsilon_clipping(bce, kl, cce) -> dict:
    """The clipped values of Keras' probability losses, exactly as epsilon = 1e-7 gives."""
    eps = 1e-7
    b = float(_np(bce(_t([1.0]), _t([0.0]))))
    assert math.isfinite(b) and abs(b + math.log(eps)) < 1e-6 * abs(math.log(eps)), b
    k_inf = float(_np(kl(_t([0.5, 0.5]), _t([1.0, 0.0]))))
    want = 0.5 * math.log(0.5) + 0.5 * math.log(0.5 / eps)
    assert math.isfinite(k_inf) and abs(k_inf - want) < 1e-9 * want, k_inf
    k_zero = float(_np(kl(_t([1.0, 0.0]), _t([0.5, 0.5]))))
    want0 = math.log(2.0) + eps * math.log(eps / 0.5)
    assert abs(k_zero - want0) < 1e-12 and k_zero != math.log(2.0), k_zero
    h = float(_np(cce(_t([1.0, 0.0]), _t([1.0, 0.0]))))
    assert h > 0, "H(p, p) for a point mass is its entropy 0 only without the clip"
    return {"bce": b, "kl_inf": k_inf, "kl_zero": k_zero, "cce_self": h}


@claim("keras-losses-clip-probabilities-at-epsilon", kind="sampled")
def test_keras_losses_clip_probabilities(evidence):
    assert keras.config.epsilon() == 1e-7
    v = check_epsilon_clipping(keras.losses.binary_crossentropy, keras.losses.kl_divergence,
                               keras.losses.categorical_crossentropy)
    evidence.counterexample(f"BCE(p = 0, y = 1) = {v['bce']:.6g} (not inf); "
                            f"KL((1/2, 1/2) || (1, 0)) = {v['kl_inf']:.6g} (not inf); "
                            f"KL((1, 0) || (1/2, 1/2)) = {v['kl_zero']!r} (not ln 2); "
                            f"H((1, 0), (1, 0)) = {v['cce_self']:.3g} (not 0)")


TORCH_TWINS = {  # Keras activation -> the torch function it must equal bit for bit
    "sigmoid": (lambda t: keras.activations.sigmoid(t), lambda t: torch.sigmoid(t)),
    "tanh": (lambda t: keras.activations.tanh(t), lambda t: torch.tanh(t)),
    "relu": (lambda t: keras.activations.relu(t), lambda t: torch.relu(t)),
    "leaky_relu": (lambda t: keras.activations.leaky_relu(t, negative_slope=0.1),
                   lambda t: torch.nn.functional.leaky_relu(t, 0.1)),
    "elu": (lambda t: keras.activations.elu(t, alpha=0.7),
            lambda t: torch.nn.functional.elu(t, 0.7)),
    "gelu": (lambda t: keras.activations.gelu(t, approximate=False),
             lambda t: torch.nn.functional.gelu(t)),
    "gelu_tanh": (lambda t: keras.activations.gelu(t, approximate=True),
                  lambda t: torch.nn.functional.gelu(t, approximate="tanh")),
    "silu": (lambda t: keras.activations.silu(t), lambda t: torch.nn.functional.silu(t)),
}


def check_torch_twins(twins: dict) -> None:
    z = np.concatenate([np.linspace(-40, 40, 161), [-1e300, -745.0, -36.0, -8.38, -0.0, 0.0,
                                                    19.07, 36.74, 1e300]])
    for name, (k, t) in twins.items():
        for n in (1, 7, 33, z.size):  # the scalar and the vectorised kernels
            zz = np.resize(z, n) if n < z.size else z
            np.testing.assert_array_equal(_np(k(_t(zz))), _np(t(_t(zz))),
                                          err_msg=f"keras.activations.{name} != torch's")
            np.testing.assert_array_equal(_grad(k, zz), _grad(t, zz),
                                          err_msg=f"{name}': Keras' autograd != torch's")


@claim("keras-activations-are-torch-functions-on-the-torch-backend", kind="sampled")
def test_keras_activations_are_torch_functions(evidence):
    check_torch_twins(TORCH_TWINS)
    s40 = float(_grad(keras.activations.sigmoid, [40.0])[0])
    g = float(_np(keras.activations.gelu(_t([-8.38]), approximate=False))[0])
    assert s40 == 0.0 and g == 0.0
    evidence.counterexample(f"keras sigmoid'(40) = {s40} and gelu(-8.38) = {g} (as torch's; "
                            "true values 4.25e-18 and -2.2e-16)")


# == numerics =====================================================================================
def _keras_bn_train(x, momentum=0.99, moving_var=1.0):
    bn = keras.layers.BatchNormalization(momentum=momentum, dtype=F64)
    bn.build((None, x.shape[1]))
    bn.moving_variance.assign(np.full(x.shape[1], moving_var))
    y = bn(_t(x), training=True)
    return _np(y), float(_np(bn.moving_variance.value)[0])


def check_batchnorm_cancellation(bn_train, rng, evidence) -> None:
    """The batch variance is E[x^2] - E[x]^2 in float32: on a fixed batch exactly that;
    NaN outputs for more than 10 % of batches of 4 from N(1000, 1e-6) (exact one-sided
    binomial test, alpha 1e-6, sized for a rate of 25 %); negative moving variances."""
    x = np.array([[1000.0], [1000.001], [1000.002], [999.999]])
    _, mv = bn_train(x, momentum=0.0)
    x32 = torch.tensor(x, dtype=torch.float32)
    fast = float((x32 ** 2).mean() - x32.mean() ** 2)
    assert mv == fast, f"variance {mv} is not float32 E[x^2] - E[x]^2 = {fast}"
    n = binomial_one_sided_sample_size(0.1, 0.25)
    batches = 1000.0 + 1e-3 * rng.standard_normal((n, 4, 1))
    nan = neg = 0
    for b in batches:
        y, mv = bn_train(b, momentum=0.0)
        nan += bool(np.isnan(y).any())
        neg += mv < 0
    out = binomial_one_sided(nan, n, 0.1, alternative="greater", false_fail_rate=1e-6,
                             effect=0.15)
    out.assert_ok("BatchNorm output NaN for more than 10 % of the batches")
    assert neg > 0, "some moving variance goes negative"
    _, from0 = bn_train(np.array([[1000.0], [1000.001], [1000.0], [1000.001]]),
                        momentum=0.99, moving_var=0.0)
    evidence.note(f"{nan}/{n} batches of 4 from N(1000, 1e-6) give NaN outputs, {neg} a "
                  f"negative moving variance (momentum 0); {out.evidence()}")
    evidence.counterexample(f"batch (1000, 1000.001, 1000.002, 999.999): variance {fast!r} "
                            f"(true 1.25e-6); from moving variance 0 with momentum 0.99: "
                            f"{from0!r}")


@claim("keras-batchnorm-variance-cancels-in-float32-without-clamp", kind="statistical")
def test_keras_batchnorm_variance_cancels(evidence, rng):
    check_batchnorm_cancellation(_keras_bn_train, rng, evidence)


def _keras_clip(grads, tau):
    g = [_t(a) for a in grads]
    v = [keras.Variable(np.zeros(np.shape(a)), dtype=F64) for a in grads]
    keras.optimizers.SGD(learning_rate=1.0, global_clipnorm=tau).apply_gradients(zip(g, v))
    return [-_np(x.value) for x in v], float(_np(_global_norm(g)))


def check_global_clipnorm(clip) -> list[list]:
    rows = []
    # a float32 factor: the clipped norm is tau to float32 rounding, not to float64's
    errs = []
    for g in ([3.0, 4.0 + 2**-30], [1.0 / 3.0, 0.1, 7.0], [1e30, 3e29]):
        out, norm = clip([np.array(g)], 0.5)
        errs.append(abs(np.linalg.norm(out[0]) / 0.5 - 1))
    assert max(errs) > 1e-12 and max(errs) < 4 * U32, errs
    rows.append(["float32 factor", "relative error of the clipped norm", f"{max(errs):.3g}"])
    # the factor underflows in float32: 1/||g|| <= 2^-150 rounds to 0
    at = 2.0**150
    out, _ = clip([np.array([at])], 1.0)
    assert out[0][0] == 0.0, f"||g|| = 2^150: {out[0]}"
    out, _ = clip([np.array([np.nextafter(2.0**149, 0)])], 1.0)
    assert out[0][0] > 0.0, "just below 2^149 the factor is a float32 subnormal, not 0"
    rows.append(["factor 0", "||g|| = 2^150 ~ 1.43e45", "zeros"])
    # the norm overflows from an entry 2^512 on: NaN everywhere
    big = 2.0**512
    out, norm = clip([np.array([big]), np.array([1.0])], 1.0)
    assert norm == math.inf and all(np.isnan(o).all() for o in out), (norm, out)
    out, norm = clip([np.array([np.nextafter(big, 0)])], 1.0)
    assert math.isfinite(norm) and not np.isnan(out[0]).any()
    rows.append(["NaN", "an entry 2^512 ~ 1.3408e154", "every entry NaN"])
    return rows


@claim("keras-global-clipnorm-factor-float32-and-norm-overflow", kind="sampled")
def test_keras_global_clipnorm(evidence):
    rows = check_global_clipnorm(_keras_clip)
    evidence.table("keras.optimizers.SGD(global_clipnorm=tau)", ["what", "where", "result"],
                   rows)
    evidence.counterexample("clip of the finite gradient (2^512, 1) to tau = 1: every entry "
                            "NaN (norm inf); of (2^150,): 0 (factor underflows in float32)")
