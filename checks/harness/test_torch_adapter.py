"""The PyTorch adapter itself (``--impl torch``) and the teeth of the §7 frameworks checks.

* Provenance: every protocol name is either computed by PyTorch in
  ``implementations/adapters/torch_adapter.py`` or listed in its ``NOT_PROVIDED``; no
  provided name is (or imports) a reference implementation.
* Contract: numpy float64 out, float64 arithmetic inside, ValueError on bad input,
  reproducible randomness from the numpy ``rng`` without touching torch's global state,
  the caller's arrays never modified.
* ``KNOWN_DIFFERENCES`` names registered claims and, for each, the §7 claim that states
  the PyTorch behaviour behind it.
* Teeth: each §7 check rejects a function that follows the article's convention instead
  of PyTorch's, and the article's checks reject an adapter whose conversion (kl_div's
  argument order, dropout's rescaling, BatchNorm's momentum) is done wrong.
"""
from __future__ import annotations

import ast
import inspect
import math
import pathlib
import re
import textwrap

import numpy as np
import pytest

pytestmark = pytest.mark.harness

torch = pytest.importorskip("torch", reason="torch not installed")

import implementations  # noqa: E402
from claimledger.claims import load as load_claims  # noqa: E402
from checks import test_s7_frameworks as S7  # noqa: E402
from checks.harness.test_teeth import run_checks_against  # noqa: E402
from implementations.adapters import torch_adapter as T  # noqa: E402
from implementations.adapters import torch_known_differences as K  # noqa: E402

F = torch.nn.functional
PROVIDED = sorted(n for n in implementations.__all__ if hasattr(T, n))


# -- provenance ----------------------------------------------------------------------------------
def test_every_protocol_name_is_provided_or_declared_not_provided():
    missing = set(implementations.__all__) - set(PROVIDED)
    assert missing == set(T.NOT_PROVIDED), \
        f"undeclared gaps {missing - set(T.NOT_PROVIDED)}, stale {set(T.NOT_PROVIDED) - missing}"
    assert len(PROVIDED) >= 40, "the adapter covers the protocol's differentiable blocks"


@pytest.mark.parametrize("name", PROVIDED)
def test_provided_name_is_the_adapters_own_code(name):
    obj = getattr(T, name)
    assert obj is not getattr(implementations, name), f"{name} is the reference object"
    assert obj.__module__ == T.__name__, f"{name} comes from {obj.__module__}"


def test_adapter_imports_no_reference_module():
    tree = ast.parse(pathlib.Path(T.__file__).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not (node.module or "").startswith("implementations"), \
                f"line {node.lineno}: imports from {node.module!r}"
        elif isinstance(node, ast.Import):
            assert not any(a.name.startswith("implementations") for a in node.names), \
                f"line {node.lineno}: imports a reference module"
    leaked = [k for k, v in vars(T).items() if inspect.ismodule(v)
              and v.__name__.startswith("implementations")]
    assert not leaked, f"reference modules in the adapter's namespace: {leaked}"


# -- contract: dtypes, validation, randomness, no mutation ------------------------------------
def test_outputs_are_float64_numpy_arrays():
    z = np.linspace(-3, 3, 7)
    for name in ("sigmoid", "tanh", "relu", "gelu", "gelu_tanh", "silu", "sigmoid_grad",
                 "relu_grad", "gelu_grad", "softmax", "log_softmax", "log_sigmoid"):
        out = getattr(T, name)(z)
        assert isinstance(out, np.ndarray) and out.dtype == np.float64, name
    assert isinstance(T.mse_loss(z, z + 1), float)
    assert T.he_normal(3, 2, rng=np.random.default_rng(0)).dtype == np.float64


def test_blocks_compute_in_float64_not_in_torch_default_float32():
    assert torch.get_default_dtype() == torch.float32, "the adapter does not change the default"
    # float32 would round tanh(0.1) by ~1e-9 and lose a squared error of 1e-24 entirely
    np.testing.assert_allclose(T.tanh([0.1]), np.tanh([0.1]), rtol=2.3e-16, atol=0,
                               err_msg="tanh in float64")
    assert T.mse_loss([1.0 + 2**-40], [1.0]) == 2.0**-80, "MSE in float64"


@pytest.mark.parametrize("call, match", [
    pytest.param(lambda: T.sigmoid([1.0, np.nan]), "NaN", id="nan-activation"),
    pytest.param(lambda: T.relu_grad(["a"]), "numeric", id="strings"),
    pytest.param(lambda: T.leaky_relu([1.0], 1.5), "alpha", id="leaky-alpha-above-1"),
    pytest.param(lambda: T.elu([1.0], 0.0), "alpha", id="elu-alpha-zero"),
    pytest.param(lambda: T.prelu(np.ones((2, 3)), [0.1, 0.2]), "per channel", id="prelu-shape"),
    pytest.param(lambda: T.soft_threshold([1.0], [0.5]), "scalar", id="softshrink-array-t"),
    pytest.param(lambda: T.mse_loss([1.0, 2.0], [1.0]), "same shape", id="loss-shapes"),
    pytest.param(lambda: T.binary_cross_entropy([1.5], [1.0]), r"\[0, 1\]", id="bce-prob"),
    pytest.param(lambda: T.kl_divergence([0.5, 0.6], [0.5, 0.5]), "sum to 1", id="kl-not-dist"),
    pytest.param(lambda: T.entropy([0.5, 0.5], base=1.0), "base", id="entropy-base"),
    pytest.param(lambda: T.softmax([[1.0, 2.0]], axis=2), "axis", id="softmax-axis"),
    pytest.param(lambda: T.xavier_normal(0, 3, rng=np.random.default_rng(0)), "fan_in",
                 id="fan-in-zero"),
    pytest.param(lambda: T.he_uniform(3, 2, rng=0), "rng", id="rng-not-generator"),
    pytest.param(lambda: T.batchnorm_train([[1.0]], [1.0], [0.0], [0.0], [1.0], momentum=0.1,
                                           eps=1e-5), "at least 2", id="bn-one-sample"),
    pytest.param(lambda: T.batchnorm_train([[1.0], [2.0]], [1.0], [0.0], [0.0], [1.0],
                                           momentum=1.5, eps=1e-5), "momentum", id="bn-momentum"),
    pytest.param(lambda: T.batchnorm_eval([[1.0]], [1.0], [0.0], [0.0], [-1.0], eps=1e-5),
                 "running_var", id="bn-negative-var"),
    pytest.param(lambda: T.layernorm(np.ones((2, 3)), np.ones(2), np.zeros(3), eps=1e-5),
                 "gamma", id="ln-gamma-length"),
    pytest.param(lambda: T.dropout_train([1.0], 1.0, rng=np.random.default_rng(0)), "p",
                 id="dropout-p-one"),
    pytest.param(lambda: T.clip_grad_norm(np.ones(3), 1.0), "list", id="clip-array"),
    pytest.param(lambda: T.clip_grad_norm([np.ones(2)], 0.0), "max_norm", id="clip-tau-zero"),
    pytest.param(lambda: T.gradient_descent(lambda x: x, [1.0], eta=0.1,
                                            steps=T.MAX_STEPS + 1), "steps", id="gd-cap"),
    pytest.param(lambda: T.mlp_gradients([np.ones((1, 2))], [np.zeros(1)], np.ones((1, 2)),
                                         np.ones((1, 1)), "relu", "huber"), "loss",
                 id="mlp-loss"),
    pytest.param(lambda: T.mlp_forward([np.ones((1, 2))], [np.zeros(2)], np.ones(2), "relu"),
                 "bias", id="mlp-bias-shape"),
])
def test_adapter_rejects_bad_input_with_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_random_blocks_reproducible_from_rng_and_torch_state_untouched():
    state = torch.get_rng_state()
    h = np.arange(1.0, 41.0).reshape(4, 10)
    a = T.dropout_train(h, 0.5, rng=np.random.default_rng(7))
    b = T.dropout_train(h, 0.5, rng=np.random.default_rng(7))
    assert all(np.array_equal(x, y) for x, y in zip(a, b)), "same rng, same mask and output"
    w1 = T.xavier_uniform(5, 4, rng=np.random.default_rng(3))
    w2 = T.xavier_uniform(5, 4, rng=np.random.default_rng(3))
    assert np.array_equal(w1, w2) and w1.shape == (4, 5)
    assert torch.equal(torch.get_rng_state(), state), "torch's global generator is untouched"


def test_caller_arrays_are_not_modified():
    rm, rv = np.zeros(2), np.ones(2)
    T.batchnorm_train(np.array([[0.0, 1.0], [2.0, 5.0]]), np.ones(2), np.zeros(2), rm, rv,
                      momentum=0.5, eps=1e-5)
    assert np.array_equal(rm, np.zeros(2)) and np.array_equal(rv, np.ones(2))
    g = [np.array([3.0, 4.0])]
    T.clip_grad_norm(g, 1.0)
    assert np.array_equal(g[0], [3.0, 4.0])


# -- the list of known differences ---------------------------------------------------------------
def test_known_differences_name_claims_and_their_frameworks_claim():
    registry = load_claims(["theorems"])
    frameworks = {cid for cid, c in registry.items() if c.section == "7"}
    assert not set(K.KNOWN_DIFFERENCES) & set(K.CHECK_ARTIFACTS)
    assert K.SEED_DEPENDENT <= set(K.KNOWN_DIFFERENCES)
    for cid, why in {**K.KNOWN_DIFFERENCES, **K.CHECK_ARTIFACTS}.items():
        assert cid in registry, f"{cid} is not a registered claim"
        assert registry[cid].section != "7", f"{cid}: list article claims, not §7's own"
        assert len(why) > 80, f"{cid}: the explanation must give input, outputs and size"
    for cid, why in K.KNOWN_DIFFERENCES.items():
        named = set(re.findall(r"\[(torch-[a-z0-9-]+)\]", why))
        assert named and named <= frameworks, f"{cid}: names no §7 claim ({named})"


# -- teeth of the §7 checks: the article's convention is rejected ---------------------------------
class _ArticleDropout:
    """Dropout in the article's convention: train m h, evaluate (1 - p) h."""

    def __init__(self, p):
        self.p, self.training = p, True

    def train(self):
        self.training = True

    def eval(self):
        self.training = False

    def __call__(self, h):
        if not self.training:
            return (1 - self.p) * h
        return h * (torch.rand(h.shape, dtype=h.dtype) >= self.p).to(h.dtype)


class _ArticleBatchNorm:
    """BatchNorm tracking the *biased* variance; ``keras`` weights the old value by m."""

    def __init__(self, features, momentum, eps, keras=False):
        self.m, self.eps, self.keras = momentum, eps, keras
        self.running_mean = torch.zeros(features, dtype=torch.float64)
        self.running_var = torch.ones(features, dtype=torch.float64)

    def train(self):
        pass

    def __call__(self, x):
        mu, var = x.mean(0), x.var(0, unbiased=False)
        w = 1 - self.m if self.keras else self.m
        self.running_mean = (1 - w) * self.running_mean + w * mu
        self.running_var = (1 - w) * self.running_var + w * var
        return (x - mu) / torch.sqrt(var + self.eps)


class _ReluRightDerivative(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (x >= 0).to(g.dtype)


def _kl_read_as_written(input, target, reduction="mean"):
    """kl_div(a, b) read as KL(exp(a) || b): the article's order."""
    terms = input.exp() * (input - target.log())
    if reduction == "sum":
        return terms.sum()
    return terms.sum() / terms.shape[0] if reduction == "batchmean" else terms.mean()


def _clip_exact(params, max_norm):
    norm = torch.sqrt(sum((p.grad**2).sum() for p in params))
    if norm > max_norm:
        for p in params:
            p.grad.mul_(max_norm / norm)
    return norm


def _bce_unclamped(p, y):
    return -(torch.special.xlogy(y, p) + torch.special.xlogy(1 - y, 1 - p)).mean()


@pytest.mark.parametrize("name, run", [
    ("dropout article convention",
     lambda: S7.check_dropout_is_inverted(_ArticleDropout, 0.5, np.arange(1.0, 65.0), 1)),
    ("running_var biased", lambda: S7.check_batchnorm_variances(
        _ArticleBatchNorm, np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 8.0]]), 0.5, 1e-5)),
    ("Keras momentum", lambda: S7.check_batchnorm_momentum(
        lambda f, m, e: _ArticleBatchNorm(f, m, e, keras=True), 0.25, [[1, 3], [5, 9]])),
    ("kl_div in the article's order", lambda: S7.check_kl_div_convention(
        _kl_read_as_written, np.array([0.5, 0.5]), np.array([0.25, 0.75]))),
    ("clipping by tau/||g||", lambda: S7.check_clip_epsilon(
        _clip_exact, [np.array([3.0, 4.0])], 1.0)),
    ("relu'(0) = 1", lambda: S7.check_kink_derivatives(_ReluRightDerivative.apply,
                                                       F.leaky_relu)),
    ("BCE without the clamp", lambda: S7.check_bce_cap(_bce_unclamped, 0.0, 1.0)),
])
def test_frameworks_check_rejects_the_article_convention(name, run):
    with pytest.raises(AssertionError):
        run()


# -- teeth of the article's checks against a wrongly converted adapter --------------------------
BROKEN_ADAPTERS = {
    "kl_div_arguments_unconverted": (
        ["kl-divergence-matches-catalogue", "kl-divergence-asymmetric"], '''
        """kl_divergence(p, q) as F.kl_div(log p, q): kl_div(input, target) read as
        KL(input || target); it returns D(q || p)."""
        from implementations.adapters.torch_adapter import *  # noqa
        from implementations.adapters.torch_adapter import _dist_pair, _info_out, _log_base
        import torch
        import torch.nn.functional as F

        def kl_divergence(p, q, base=2.718281828459045):
            pt, qt = _dist_pair(p, q)
            terms = F.kl_div(torch.log(pt), qt, reduction="none")
            return _info_out(terms.sum(-1) / _log_base(base))
        '''),
    "dropout_not_rescaled": (
        ["dropout-inference-scales-by-one-minus-p",
         "dropout-train-drops-each-unit-independently-with-probability-p"], '''
        """nn.Dropout's inverted outputs handed out for the article's convention."""
        from implementations.adapters import torch_adapter as _a
        from implementations.adapters.torch_adapter import *  # noqa

        def dropout_train(h, p, *, rng, inverted=False):
            return _a.dropout_train(h, p, rng=rng, inverted=True)

        def dropout_eval(h, p, *, inverted=False):
            return _a.dropout_eval(h, p, inverted=True)
        '''),
    "batchnorm_keras_momentum": (
        ["batchnorm-running-averages-of-batch-statistics"], '''
        """BatchNorm's momentum converted the Keras way (1 - momentum passed to torch)."""
        from implementations.adapters import torch_adapter as _a
        from implementations.adapters.torch_adapter import *  # noqa

        def batchnorm_train(x, gamma, beta, running_mean, running_var, *, momentum, eps):
            return _a.batchnorm_train(x, gamma, beta, running_mean, running_var,
                                      momentum=1.0 - momentum, eps=eps)
        '''),
}


@pytest.mark.parametrize("name", sorted(BROKEN_ADAPTERS))
def test_article_checks_reject_a_wrongly_converted_adapter(name, pytester, tmp_path):
    targets, source = BROKEN_ADAPTERS[name]
    module = tmp_path / "impl" / f"torch_{name}.py"
    module.parent.mkdir()
    module.write_text(textwrap.dedent(source))
    (tmp_path / "run").mkdir()
    claims, _ = run_checks_against(pytester, tmp_path / "run", str(module), targets)
    verdicts = {c: claims[c]["verdict"] for c in targets}
    assert all(v == "failed" for v in verdicts.values()), \
        f"adapter with {name} survived: {verdicts}"


def test_unconverted_kl_div_really_is_the_reverse_divergence():
    p, q = [0.5, 0.5], [0.25, 0.75]
    assert math.isclose(T.kl_divergence(p, q), float(S7._mp_kl(np.array(p), np.array(q))),
                        rel_tol=1e-14)
    assert not math.isclose(T.kl_divergence(p, q), T.kl_divergence(q, p), rel_tol=1e-3)


# -- the §7 threshold claims hold on every CPU kernel path (issue 25) -----------------------
def test_band_check_rejects_a_gelu_that_does_not_cancel():
    from checks import torch_paths as P
    stable = lambda x: x * 0.5 * torch.special.erfc(-x / math.sqrt(2))  # noqa: E731
    result = P.probe(("gelu64",), fns={"gelu": stable})
    with pytest.raises(AssertionError, match="not 0"):
        S7.check_bands_on_every_path([result], ("gelu64",))


def test_band_check_sees_a_difference_of_the_vectorised_path():
    """A GeLU that agrees with F.gelu on 1-element tensors (the scalar path, all the old
    check looked at besides one 41-element grid) but not on tensors of 16 or more
    elements, where it stays negative in the tail: the per-path check names the size."""
    from checks import torch_paths as P

    def vector_differs(x):
        y = F.gelu(x)
        return y if x.numel() < 16 else torch.where(x < -8.0, -1e-300, y)

    assert vector_differs(torch.tensor([-9.0], dtype=torch.float64)).item() == 0.0
    result = P.probe(("gelu64",), fns={"gelu": vector_differs})
    with pytest.raises(AssertionError, match="tensors of 16"):
        S7.check_bands_on_every_path([result], ("gelu64",))
    S7.check_bands_on_every_path([P.probe(("gelu64",))], ("gelu64",))  # PyTorch's passes


def test_band_check_rejects_a_zero_inside_the_band():
    from checks import torch_paths as P
    early = lambda x: torch.where(x < -7.0, 0.0, F.gelu(x))  # noqa: E731  zero from -7
    result = P.probe(("gelu64",), fns={"gelu": early})
    with pytest.raises(AssertionError, match="wrong sign"):
        S7.check_bands_on_every_path([result], ("gelu64",))
