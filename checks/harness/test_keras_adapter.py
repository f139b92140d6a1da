"""The Keras adapter and the §7 Keras checks (issue 25).

* the adapter is self-contained (imports nothing from ``implementations``), defines exactly
  the protocol names minus ``NOT_PROVIDED``, each its own code, declares valid conventions,
  refuses bad input with ValueError, never touches torch's global generator or the
  caller's arrays; every known difference names a registered §7 claim;
* every §7 Keras check helper (``checks/test_s7_keras.py``) rejects a function that
  behaves as the article (or the reference) does instead of as Keras does.

Skipped without Keras ("keras not installed").
"""
from __future__ import annotations

import ast
import inspect
import math
import pathlib
import re

import numpy as np
import pytest

pytestmark = pytest.mark.harness

S7 = pytest.importorskip("checks.test_s7_keras", reason="keras not installed")
if S7.keras is None:  # pragma: no cover
    pytest.skip("keras not installed", allow_module_level=True)

import implementations  # noqa: E402
from implementations.adapters import keras_adapter as A  # noqa: E402
from implementations.adapters import keras_known_differences as K  # noqa: E402

keras, torch = S7.keras, S7.torch
PROVIDED = sorted(n for n in implementations.__all__ if hasattr(A, n))


def _rejects(fn, *args) -> None:
    with pytest.raises(AssertionError):
        fn(*args)


# -- the adapter ---------------------------------------------------------------------------------
def test_every_protocol_name_is_provided_or_declared_not_provided():
    missing = set(implementations.__all__) - set(PROVIDED)
    assert missing == set(A.NOT_PROVIDED), \
        f"undeclared gaps {missing - set(A.NOT_PROVIDED)}, stale {set(A.NOT_PROVIDED) - missing}"
    assert len(PROVIDED) == 47


@pytest.mark.parametrize("name", PROVIDED)
def test_provided_name_is_the_adapters_own_code(name):
    obj = getattr(A, name)
    assert obj is not getattr(implementations, name)
    assert obj.__module__ == A.__name__, f"{name} comes from {obj.__module__}"


def test_adapter_imports_no_reference_module():
    tree = ast.parse(pathlib.Path(A.__file__).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not (node.module or "").startswith("implementations")
        elif isinstance(node, ast.Import):
            assert not any(a.name.startswith("implementations") for a in node.names)
    assert not [k for k, v in vars(A).items() if inspect.ismodule(v)
                and v.__name__.startswith("implementations")]


def test_conventions_are_valid_and_known_differences_name_section_7_claims():
    from claimledger.claims import claims_of
    from claimledger.impl import Implementation

    impl = Implementation(A, "keras", implementations)
    for key in A.CONVENTIONS:
        impl.convention(key)  # a usage error for an unknown key or invalid value
    assert impl.convention("precision") == "float32"
    registry = claims_of(["theorems"])
    for cid, text in {**K.KNOWN_DIFFERENCES, **K.DECLARED}.items():
        assert cid in registry, cid
        refs = re.findall(r"\[([a-z0-9]+(?:-[a-z0-9]+)+)\]", text)
        assert refs, f"{cid}: names no §7 claim"
        for ref in refs:
            assert ref in registry and registry[ref].section == "7", (cid, ref)
    assert set(K.SEED_DEPENDENT) <= set(K.KNOWN_DIFFERENCES)


@pytest.mark.parametrize("call, match", [
    pytest.param(lambda: A.sigmoid([1.0, np.nan]), "NaN", id="nan"),
    pytest.param(lambda: A.relu_grad(["a"]), "numeric", id="strings"),
    pytest.param(lambda: A.leaky_relu([1.0], 1.5), "alpha", id="leaky-alpha"),
    pytest.param(lambda: A.prelu(np.ones((2, 3)), [0.1, 0.2]), "broadcast", id="prelu-shape"),
    pytest.param(lambda: A.soft_threshold([1.0], [0.5]), "scalar", id="softshrink-array"),
    pytest.param(lambda: A.mse_loss([1.0, 2.0], [1.0]), "same shape", id="loss-shapes"),
    pytest.param(lambda: A.binary_cross_entropy([1.5], [1.0]), r"\[0, 1\]", id="bce-prob"),
    pytest.param(lambda: A.kl_divergence([0.5, 0.6], [0.5, 0.5]), "sum to 1", id="kl"),
    pytest.param(lambda: A.xavier_normal(0, 3, rng=np.random.default_rng(0)), "fan_in",
                 id="fan-in"),
    pytest.param(lambda: A.he_uniform(3, 2, rng=0), "rng", id="rng"),
    pytest.param(lambda: A.batchnorm_train([[1.0]], [1.0], [0.0], [0.0], [1.0], momentum=0.1,
                                           eps=1e-5), "at least 2", id="bn-one-sample"),
    pytest.param(lambda: A.dropout_train([1.0], 1.0, rng=np.random.default_rng(0)), "p",
                 id="dropout-p"),
    pytest.param(lambda: A.clip_grad_norm(np.ones(3), 1.0), "list", id="clip-array"),
    pytest.param(lambda: A.gradient_descent(lambda x: x, [1.0], eta=0.1,
                                            steps=A.MAX_STEPS + 1), "steps", id="gd-cap"),
    pytest.param(lambda: A.mlp_gradients([np.ones((1, 2))], [np.zeros(1)], np.ones((1, 2)),
                                         np.ones((1, 1)), "relu", "huber"), "loss",
                 id="mlp-loss"),
])
def test_adapter_rejects_bad_input_with_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_randomness_from_rng_only_and_arguments_untouched():
    state = torch.get_rng_state()
    h = np.arange(1.0, 41.0).reshape(4, 10)
    a = A.dropout_train(h, 0.5, rng=np.random.default_rng(7))
    b = A.dropout_train(h, 0.5, rng=np.random.default_rng(7))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    w1 = A.he_normal(5, 4, rng=np.random.default_rng(3))
    assert np.array_equal(w1, A.he_normal(5, 4, rng=np.random.default_rng(3)))
    assert w1.shape == (4, 5)
    assert torch.equal(torch.get_rng_state(), state), "torch's global generator untouched"
    rm, rv = np.zeros(2), np.ones(2)
    A.batchnorm_train(np.array([[0.0, 1.0], [2.0, 5.0]]), np.ones(2), np.zeros(2), rm, rv,
                      momentum=0.5, eps=1e-5)
    assert np.array_equal(rm, np.zeros(2)) and np.array_equal(rv, np.ones(2))
    g = [np.array([3.0, 4.0])]
    A.clip_grad_norm(g, 1.0)
    assert np.array_equal(g[0], [3.0, 4.0])


def test_batchnorm_momentum_is_converted_to_keras():
    """The protocol's momentum weights the new batch; Keras' the old value: with momentum
    1 the new running mean is the batch mean exactly."""
    x = np.array([[0.0], [2.0]])
    _, rm, rv = A.batchnorm_train(x, [1.0], [0.0], [5.0], [7.0], momentum=1.0, eps=1e-5)
    assert rm[0] == 1.0 and rv[0] == 1.0  # biased variance, declared


# -- teeth of the §7 Keras checks -----------------------------------------------------------
def test_demotion_check_rejects_a_float64_layer():
    full = dict(S7.DEMOTED, **{"ops.matmul": lambda x: S7._t(x) @ S7._t(S7.W)})
    _rejects(S7.check_demotion, full, S7.KEPT)


def test_kink_check_rejects_the_article_prelu():
    _rejects(S7.check_kinks, keras.activations.relu,
             lambda t: keras.activations.leaky_relu(t, negative_slope=0.3),
             lambda t: keras.activations.elu(t, alpha=0.5),
             lambda t: torch.where(t >= 0, t, 0.25 * t))  # PReLU'(0) = 1


def test_batchnorm_check_rejects_the_unbiased_running_variance():
    def unbiased(x, rm, rv, m):
        B = x.shape[0]
        return (m * rm + (1 - m) * float(x.mean()),
                m * rv + (1 - m) * float(x.var()) * B / (B - 1))
    _rejects(S7.check_batchnorm_running_stats, unbiased)


def test_truncation_check_rejects_a_true_normal():
    from claimledger.evidence import Evidence
    _rejects(S7.check_truncated_normal,
             lambda s: keras.initializers.RandomNormal(stddev=0.1, seed=s),
             np.random.default_rng(3), Evidence(), "normal", 0.1, 2000)


def test_dropout_check_rejects_the_article_convention():
    drop = lambda p, h, seed: S7._keras_drop_train(p, h, seed) * (1 - p)  # noqa: E731
    _rejects(S7.check_dropout_inverted, drop, S7._keras_drop_eval, np.random.default_rng(4),
             0.3, 200)


def test_epsilon_check_rejects_unclipped_losses():
    def bce(y, p):
        return -(torch.special.xlogy(y, p) + torch.special.xlogy(1 - y, 1 - p)).mean()

    def kl(p, q):
        return torch.special.xlogy(p, p).sum() - torch.special.xlogy(p, q).sum()

    def cce(p, q):
        return -torch.special.xlogy(p, q).sum()

    _rejects(S7.check_epsilon_clipping, bce, kl, cce)


def test_twin_check_rejects_a_non_torch_activation():
    twins = dict(S7.TORCH_TWINS)
    twins["sigmoid"] = (lambda t: torch.exp(torch.nn.functional.logsigmoid(t)),
                        lambda t: torch.sigmoid(t))
    _rejects(S7.check_torch_twins, twins)


def test_cancellation_check_rejects_a_two_pass_variance():
    from claimledger.evidence import Evidence

    def two_pass(x, momentum=0.99, moving_var=1.0):
        x32 = torch.tensor(x, dtype=torch.float32)
        mu = x32.mean(0)
        var = ((x32 - mu) ** 2).mean(0)
        y = (x32 - mu) / torch.sqrt(var + 1e-3)
        mv = momentum * moving_var + (1 - momentum) * float(var[0])
        return y.double().numpy(), mv

    _rejects(S7.check_batchnorm_cancellation, two_pass, np.random.default_rng(5), Evidence())


def test_clip_check_rejects_a_scaled_float64_norm():
    def clip(grads, tau):
        m = max(float(np.max(np.abs(g))) for g in grads)
        n = m * math.sqrt(sum(float(np.sum((g / m) ** 2)) for g in grads))
        return [g * min(1.0, tau / n) for g in grads], n

    _rejects(S7.check_global_clipnorm, clip)
