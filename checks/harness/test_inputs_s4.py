"""§4 reference implementations reject bad input with a clear ValueError.

Initialisers (``implementations/init.py``), normalisation layers
(``implementations/normalization.py``) and gradient clipping
(``implementations/clipping.py``). Clipping deliberately accepts inf/NaN gradients (they are
the failure mode it is checked on) and documents what it returns for them.

Every message is stated in full (``raises_exactly``): the argument's name in it is what
tells a caller which of five per-feature vectors was wrong, so every validator call site
has a case of its own. Where the message quotes numpy's own reason for refusing a value,
that reason is taken from numpy at run time rather than copied, so a numpy release that
rewords it does not break the contract being checked (the prefix with our name).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import implementations as I
from claimledger.raises import numpy_reason, raises_exactly, text_refused

pytestmark = pytest.mark.harness

INITS = ["xavier_normal", "xavier_uniform", "he_normal", "he_uniform"]


# ---------------------------------------------------------------------------- initialisers

@pytest.mark.parametrize("name", INITS)
@pytest.mark.parametrize("fan_in, fan_out, message", [
    pytest.param(0, 3, "fan_in must be an integer >= 1, got 0", id="fan-in-zero"),
    pytest.param(-2, 3, "fan_in must be an integer >= 1, got -2", id="fan-in-negative"),
    pytest.param(2.0, 3, "fan_in must be an integer >= 1, got 2.0", id="fan-in-float"),
    pytest.param(True, 3, "fan_in must be an integer >= 1, got True", id="fan-in-bool"),
    pytest.param(3, 0, "fan_out must be an integer >= 1, got 0", id="fan-out-zero"),
    pytest.param(3, 2.5, "fan_out must be an integer >= 1, got 2.5", id="fan-out-float"),
    pytest.param(3, False, "fan_out must be an integer >= 1, got False", id="fan-out-bool"),
])
def test_initialisers_reject_bad_fans(name, fan_in, fan_out, message):
    with raises_exactly(message):
        getattr(I, name)(fan_in, fan_out, rng=np.random.default_rng(0))


@pytest.mark.parametrize("name", INITS)
@pytest.mark.parametrize("rng, message", [
    pytest.param(None, "rng must be a numpy.random.Generator, got NoneType", id="none"),
    pytest.param(0, "rng must be a numpy.random.Generator, got int", id="int-seed"),
    pytest.param(np.random.RandomState(0),
                 "rng must be a numpy.random.Generator, got RandomState", id="legacy"),
])
def test_initialisers_need_a_generator(name, rng, message):
    with raises_exactly(message):
        getattr(I, name)(3, 4, rng=rng)


@pytest.mark.parametrize("name", ["xavier_normal", "xavier_uniform"])
@pytest.mark.parametrize("gain, message", [
    pytest.param(0.0, "gain must be a finite number > 0, got 0.0", id="zero"),
    pytest.param(-1.0, "gain must be a finite number > 0, got -1.0", id="negative"),
    pytest.param(math.nan, "gain must be a finite number > 0, got nan", id="nan"),
    pytest.param(math.inf, "gain must be a finite number > 0, got inf", id="inf"),
    pytest.param(True, "gain must be a finite number > 0, got True", id="bool"),
    pytest.param("1", "gain must be a finite number > 0, got '1'", id="string"),
])
def test_xavier_rejects_bad_gain(name, gain, message):
    with raises_exactly(message):
        getattr(I, name)(3, 4, rng=np.random.default_rng(0), gain=gain)


@pytest.mark.parametrize("name", INITS)
def test_initialisers_return_fan_out_by_fan_in(name):
    W = getattr(I, name)(3, 5, rng=np.random.default_rng(1))
    assert W.shape == (5, 3) and W.dtype == np.float64


# --------------------------------------------------------------------------------- BatchNorm

X = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 7.0]])
G, B0, RM, RV = np.ones(2), np.zeros(2), np.zeros(2), np.ones(2)

# A length-1 vector would broadcast against two features without complaint, so these cases
# are the ones that show the length is checked rather than left to numpy.
_FEATURE_CASES = [
    pytest.param(dict(gamma=[1.0]), "gamma has length 1, expected 2 (the features of x)", id="gamma-length-one"),
    pytest.param(dict(gamma=[1.0, 1.0, 1.0]), "gamma has length 3, expected 2 (the features of x)",
                 id="gamma-length-three"),
    pytest.param(dict(gamma=[[1.0, 1.0]]), "gamma must be 1-D, got shape (1, 2)",
                 id="gamma-2d"),
    pytest.param(dict(beta=[0.0]), "beta has length 1, expected 2 (the features of x)", id="beta-length-one"),
    pytest.param(dict(beta=[0.0, np.inf]), "beta contains NaN or infinite entries",
                 id="beta-inf"),
    pytest.param(dict(beta=["a", "b"]),
                 text_refused("beta"),
                 id="beta-strings"),
    pytest.param(dict(running_mean=[0.0]), "running_mean has length 1, expected 2 (the features of x)",
                 id="rm-length-one"),
    pytest.param(dict(running_mean=[np.nan, 0.0]),
                 "running_mean contains NaN or infinite entries", id="rm-nan"),
    pytest.param(dict(running_var=[1.0]), "running_var has length 1, expected 2 (the features of x)",
                 id="rv-length-one"),
    pytest.param(dict(running_var=[1.0, np.inf]),
                 "running_var contains NaN or infinite entries", id="rv-inf"),
    pytest.param(dict(running_var=[1.0, -1.0]), "running_var must be >= 0", id="rv-negative"),
]

_X_CASES = [
    pytest.param(dict(x=[1.0, 2.0]), "x must be 2-D (samples x features), got shape (2,)",
                 id="x-1d"),
    pytest.param(dict(x=np.zeros((3, 2, 1))),
                 "x must be 2-D (samples x features), got shape (3, 2, 1)", id="x-3d"),
    pytest.param(dict(x=[[np.nan, 1.0], [0.0, 1.0]]), "x contains NaN or infinite entries",
                 id="x-nan"),
    pytest.param(dict(x=np.zeros((0, 2))), "x is empty (shape (0, 2))", id="x-empty"),
    pytest.param(dict(x=[["a", "b"], ["c", "d"]]),
                 text_refused("x"), id="x-strings"),
]

_EPS_CASES = [
    pytest.param(dict(eps=0.0), "eps must be a finite number > 0, got 0.0", id="eps-zero"),
    pytest.param(dict(eps=-1e-5), "eps must be a finite number > 0, got -1e-05",
                 id="eps-negative"),
    pytest.param(dict(eps=math.nan), "eps must be a finite number > 0, got nan", id="eps-nan"),
]


def _batchnorm_train(x=X, gamma=G, beta=B0, running_mean=RM, running_var=RV, momentum=0.1,
                     eps=1e-5):
    return I.batchnorm_train(x, gamma, beta, running_mean, running_var, momentum=momentum,
                             eps=eps)


def _batchnorm_eval(x=X, gamma=G, beta=B0, running_mean=RM, running_var=RV, eps=1e-5):
    return I.batchnorm_eval(x, gamma, beta, running_mean, running_var, eps=eps)


@pytest.mark.parametrize("kwargs, message", _X_CASES + _FEATURE_CASES + _EPS_CASES + [
    pytest.param(dict(x=[[0.0, 1.0]]),
                 "batchnorm_train needs a batch of at least 2 samples, got 1 (the batch "
                 "variance of one sample is 0 and its unbiased estimate is undefined)",
                 id="batch-of-one"),
    pytest.param(dict(momentum=-0.1), "momentum must be a number in [0, 1], got -0.1",
                 id="momentum-negative"),
    pytest.param(dict(momentum=1.5), "momentum must be a number in [0, 1], got 1.5",
                 id="momentum-above-one"),
    pytest.param(dict(momentum=math.nan), "momentum must be a number in [0, 1], got nan",
                 id="momentum-nan"),
    pytest.param(dict(momentum=math.inf), "momentum must be a number in [0, 1], got inf",
                 id="momentum-inf"),
    # True == 1 numerically, but a flag passed where a rate belongs is a caller's mistake
    pytest.param(dict(momentum=True), "momentum must be a number in [0, 1], got True",
                 id="momentum-bool"),
    pytest.param(dict(momentum="0.1"), "momentum must be a number in [0, 1], got '0.1'",
                 id="momentum-string"),
    pytest.param(dict(momentum=None), "momentum must be a number in [0, 1], got None",
                 id="momentum-none"),
])
def test_batchnorm_train_rejects_bad_input(kwargs, message):
    with raises_exactly(message):
        _batchnorm_train(**kwargs)


@pytest.mark.parametrize("kwargs, message", _X_CASES + _FEATURE_CASES + _EPS_CASES)
def test_batchnorm_eval_rejects_bad_input(kwargs, message):
    with raises_exactly(message):
        _batchnorm_eval(**kwargs)


def test_batchnorm_eval_accepts_a_single_sample():
    y = _batchnorm_eval(x=[[1.0, 2.0]])
    assert y.shape == (1, 2)


# ---------------------------------------------------------------------- LayerNorm, RMSNorm

# A single sample (1-D) and a batch (2-D) are validated on two different paths; each path
# gets its own cases so the name "x" is checked on both.
_ROW_CASES = [
    pytest.param(np.zeros((2, 2, 2)), np.ones(2), 1e-5,
                 "x must be 2-D (samples x features), got shape (2, 2, 2)", id="x-3d"),
    pytest.param([[1.0, np.nan]], np.ones(2), 1e-5, "x contains NaN or infinite entries",
                 id="batch-nan"),
    pytest.param([1.0, np.inf], np.ones(2), 1e-5, "x contains NaN or infinite entries",
                 id="sample-inf"),
    pytest.param([], np.ones(0), 1e-5, "x is empty (shape (1, 0))", id="sample-empty"),
    pytest.param(np.zeros((2, 0)), np.ones(0), 1e-5, "x is empty (shape (2, 0))",
                 id="batch-empty"),
    pytest.param([["a", "b"]], np.ones(2), 1e-5,
                 text_refused("x"), id="x-strings"),
    # a complex sample must not lose its imaginary part silently
    pytest.param([[1 + 1j, 2.0]], np.ones(2), 1e-5,
                 "x is complex; a real array is required (converting would drop the imaginary part)", id="x-complex"),
    pytest.param([[1.0, 2.0]], np.ones(1), 1e-5, "gamma has length 1, expected 2 (the features of x)",
                 id="gamma-length-one"),
    pytest.param([1.0, 2.0, 3.0], np.ones(2), 1e-5, "gamma has length 2, expected 3 (the features of x)",
                 id="sample-gamma-length"),
    pytest.param([[1.0, 2.0]], [1.0, np.nan], 1e-5, "gamma contains NaN or infinite entries",
                 id="gamma-nan"),
    pytest.param([[1.0, 2.0]], np.ones(2), 0.0, "eps must be a finite number > 0, got 0.0",
                 id="eps-zero"),
    pytest.param([1.0, 2.0], np.ones(2), math.inf, "eps must be a finite number > 0, got inf",
                 id="eps-inf"),
    pytest.param([[1.0, 2.0]], np.ones(2), True, "eps must be a finite number > 0, got True",
                 id="eps-bool"),
]


@pytest.mark.parametrize("x, gamma, eps, message", _ROW_CASES)
def test_layernorm_rejects_bad_input(x, gamma, eps, message):
    with raises_exactly(message):
        I.layernorm(x, gamma, np.zeros(len(gamma)), eps=eps)


@pytest.mark.parametrize("x, gamma, eps, message", _ROW_CASES)
def test_rmsnorm_rejects_bad_input(x, gamma, eps, message):
    with raises_exactly(message):
        I.rmsnorm(x, gamma, eps=eps)


@pytest.mark.parametrize("x, beta, message", [
    pytest.param([[1.0, 2.0]], [0.0], "beta has length 1, expected 2 (the features of x)", id="beta-length-one"),
    pytest.param([1.0, 2.0], [0.0, 0.0, 0.0], "beta has length 3, expected 2 (the features of x)",
                 id="sample-beta-length"),
    pytest.param([[1.0, 2.0]], [np.nan, 0.0], "beta contains NaN or infinite entries",
                 id="beta-nan"),
    pytest.param([[1.0, 2.0]], [[0.0, 0.0]], "beta must be 1-D, got shape (1, 2)",
                 id="beta-2d"),
])
def test_layernorm_rejects_bad_beta(x, beta, message):
    with raises_exactly(message):
        I.layernorm(x, np.ones(2), beta, eps=1e-5)


def test_layernorm_and_rmsnorm_take_one_sample_or_a_batch():
    v = np.array([1.0, 2.0, 4.0])
    assert I.layernorm(v, np.ones(3), np.zeros(3), eps=1e-5).shape == (3,)
    assert I.rmsnorm(v[None, :], np.ones(3), eps=1e-5).shape == (1, 3)


# ---------------------------------------------------------------------------------- clipping

_NOT_A_LIST = "grads must be a list or tuple of arrays (one per parameter)"


@pytest.mark.parametrize("grads, max_norm, message", [
    pytest.param(np.ones(3), 1.0, _NOT_A_LIST, id="bare-array"),
    pytest.param(np.ones((2, 3)), 1.0, _NOT_A_LIST, id="bare-matrix"),
    # not arrays, but iterable or sized: they must not be taken apart element by element
    pytest.param("ab", 1.0, _NOT_A_LIST, id="string"),
    pytest.param({"w": np.ones(2)}, 1.0, _NOT_A_LIST, id="dict"),
    pytest.param(3.0, 1.0, _NOT_A_LIST, id="scalar"),
    pytest.param(None, 1.0, _NOT_A_LIST, id="none"),
    pytest.param([], 1.0, "grads is empty", id="empty-list"),
    pytest.param((), 1.0, "grads is empty", id="empty-tuple"),
    pytest.param([["a"]], 1.0, text_refused("grads[0]"),
                 id="first-strings"),
    pytest.param([np.ones(2), [1.0, "x"]], 1.0,
                 text_refused("grads[1]"),
                 id="second-strings"),
    pytest.param([np.ones(2)], 0.0, "max_norm must be a finite number > 0, got 0.0",
                 id="tau-zero"),
    pytest.param([np.ones(2)], -1.0, "max_norm must be a finite number > 0, got -1.0",
                 id="tau-negative"),
    pytest.param([np.ones(2)], math.nan, "max_norm must be a finite number > 0, got nan",
                 id="tau-nan"),
    pytest.param([np.ones(2)], math.inf, "max_norm must be a finite number > 0, got inf",
                 id="tau-inf"),
    pytest.param([np.ones(2)], "1", "max_norm must be a finite number > 0, got '1'",
                 id="tau-string"),
])
def test_clip_grad_norm_rejects_bad_input(grads, max_norm, message):
    with raises_exactly(message):
        I.clip_grad_norm(grads, max_norm)


def test_clip_grad_norm_reports_nonfinite_gradients_instead_of_raising():
    out, total = I.clip_grad_norm([np.array([np.inf, 1.0])], 1.0)
    assert total == math.inf and np.isnan(out[0][0]) and out[0][1] == 0.0
    out, total = I.clip_grad_norm([np.array([np.nan, 1.0])], 1.0)
    assert math.isnan(total) and np.isnan(out[0][0]) and out[0][1] == 1.0
